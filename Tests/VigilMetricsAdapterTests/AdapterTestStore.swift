import Logging
import VigilMetricsAdapter
import VigilModel
import VigilPromQL
import VigilTSDB
import VigilTestSupport

/// A TSDB in a temporary directory, with the adapter's two data functions over it and a real
/// PromQL engine.
final class AdapterTestStore: Sendable {
    let directory: TemporaryDirectory
    let tsdb: TSDB

    init() throws {
        directory = try TemporaryDirectory()
        tsdb = try TSDB.open(directory: directory.path + "/metrics")
    }

    func append(_ labels: Labels, _ samples: [(Int64, Double)]) throws {
        var appender = tsdb.appender()
        for (time, value) in samples {
            _ = try appender.append(ref: nil, labels: labels, timestamp: time, value: value)
        }
        try appender.commit()
    }

    /// A counter rising by `perSecond` every 10 s from 0 to `until` (ms).
    func counter(_ labels: Labels, perSecond: Double, until: Int64) throws {
        try append(labels, stride(from: Int64(0), through: until, by: 10_000).map { ($0, Double($0 / 1000) * perSecond) })
    }

    var series: MetricsAdapter.SeriesLister {
        let tsdb = tsdb
        return { selector, start, end in
            let matchers = try PromQL.parseMetricSelector(selector)
            return try tsdb.querier(mint: start, maxt: end).seriesLabels(matchers, mint: start, maxt: end)
        }
    }

    var query: MetricsAdapter.InstantQuery {
        let tsdb = tsdb
        return { query, time in try Engine().instantQuery(query, time: time, querier: tsdb.querier()).value }
    }

    static let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
}
