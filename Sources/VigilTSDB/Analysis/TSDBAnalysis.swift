public import VigilModel

/// What `vigil tsdb analyze` reports about stored data: totals, the cardinality top lists, and the
/// label pairs most involved in series churn (series that start or stop inside the range), the
/// usual cause of a TSDB growing faster than its targets.
public struct TSDBAnalysis: Sendable {
    /// Series with at least one sample in the range.
    public var seriesCount = 0
    /// Samples in the range.
    public var sampleCount = 0
    /// First and last sample timestamp in milliseconds; `nil` when there is no data.
    public var timeRange: ClosedRange<Int64>?
    /// Series that started after the range's first 5 minutes or ended before its last 5 minutes.
    public var churnedSeriesCount = 0
    /// The cardinality top lists over the analysed series.
    public var cardinality = CardinalityStats(
        seriesCountByMetricName: [], labelValueCountByLabelName: [], memoryInBytesByLabelName: [],
        seriesCountByLabelValuePair: []
    )
    /// Label pairs ranked by how many churned series carry them.
    public var churnByLabelPair: [CardinalityStats.Entry] = []

    /// How far inside the range a series must start and end not to count as churn: the
    /// staleness lookback, so one missed scrape is not churn.
    static let churnMargin: Int64 = 5 * 60 * 1000

    /// Analyses everything `querier` holds in `[mint, maxt]`, keeping `limit` rows per top list.
    public init(querier: any Querier, mint: Int64 = .min, maxt: Int64 = .max, limit: Int = 20) throws(TSDBError) {
        let everything: LabelMatcher
        do {
            everything = try LabelMatcher(.regexMatch, "__name__", ".+")
        } catch {
            preconditionFailure("the constant matcher __name__=~\".+\" is valid: \(error)")
        }
        var spans: [(labels: Labels, first: Int64, last: Int64)] = []
        for series in try querier.select([everything], mint: mint, maxt: maxt) {
            var iterator = series.makeIterator()
            var first = Int64.max
            var last = Int64.min
            var count = 0
            while iterator.next() {
                first = min(first, iterator.timestamp)
                last = max(last, iterator.timestamp)
                count += 1
            }
            guard count > 0 else { continue }
            sampleCount += count
            spans.append((series.labels, first, last))
        }
        seriesCount = spans.count
        guard let low = spans.map(\.first).min(), let high = spans.map(\.last).max() else { return }
        timeRange = low...high

        var metricNames: [String: Int] = [:]
        var valuesByName: [String: Set<String>] = [:]
        var bytesByName: [String: Int] = [:]
        var seriesByPair: [String: Int] = [:]
        var churnByPair: [String: Int] = [:]
        for span in spans {
            let churned = span.first > low + Self.churnMargin || span.last < high - Self.churnMargin
            if churned { churnedSeriesCount += 1 }
            for label in span.labels {
                if label.name == "__name__" { metricNames[label.value, default: 0] += 1 }
                valuesByName[label.name, default: []].insert(label.value)
                bytesByName[label.name, default: 0] += label.value.utf8.count
                let pair = label.name + "=" + label.value
                seriesByPair[pair, default: 0] += 1
                if churned { churnByPair[pair, default: 0] += 1 }
            }
        }
        func entries(_ counts: [String: Int]) -> [CardinalityStats.Entry] {
            CardinalityStats.top(counts.map { CardinalityStats.Entry(name: $0.key, value: $0.value) }, limit)
        }
        cardinality = CardinalityStats(
            seriesCountByMetricName: entries(metricNames),
            labelValueCountByLabelName: entries(valuesByName.mapValues(\.count)),
            memoryInBytesByLabelName: entries(bytesByName),
            seriesCountByLabelValuePair: entries(seriesByPair)
        )
        churnByLabelPair = entries(churnByPair)
    }
}
