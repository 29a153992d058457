import VigilTestSupport
import Testing
import VigilModel
@testable import VigilScrape
import VigilTSDB

/// Pushed series landing in the TSDB as a `honor_labels: true` scrape of the Pushgateway would
/// store them, with stale markers when a group goes away.
@Suite struct IngestingPushedSeries {
    typealias F = PushgatewayFixtures

    func stored(_ tsdb: TSDB, _ name: String) throws -> [Labels: [(timestamp: Int64, value: Double)]] {
        var result: [Labels: [(timestamp: Int64, value: Double)]] = [:]
        for series in try tsdb.querier().select([try LabelMatcher(.equal, "__name__", name)], mint: .min, maxt: .max) {
            result[series.labels] = series.samples()
        }
        return result
    }

    @Test func roundsAppendEveryLineAndMarkGoneSeriesStale() async throws {
        let directory = try TemporaryDirectory()
        let tsdb = try TSDB.open(directory: directory.path)
        defer { try? tsdb.close() }
        let store = PushgatewayStore(directory: nil, logger: F.quietLogger, clock: StepClock().read)
        let ingestor = PushgatewayIngestor(store: store, tsdb: tsdb, logger: F.quietLogger)
        #expect(try await F.push(store, "/metrics/job/batch/instance/db1", "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_count 3\nh_sum 4\nx{a=\"\"} 7\n") == nil)
        #expect(try await F.push(store, "/metrics/job/batch", "x 8\n") == nil)

        let first = await ingestor.ingest(at: 1_000_000)
        #expect(first.samples == 4 + 2 + 2 * 2, "h: 2 buckets, sum, count; two x; two push time gauges per group")
        #expect(first.staleMarkers == 0)
        #expect(try stored(tsdb, "x")[["__name__": "x", "job": "batch", "instance": "db1"]]?.map(\.value) == [7])
        #expect(try stored(tsdb, "x")[["__name__": "x", "job": "batch"]]?.map(\.value) == [8], "instance=\"\" is no label once stored")
        #expect(try stored(tsdb, "h_bucket")[["__name__": "h_bucket", "job": "batch", "instance": "db1", "le": "+Inf"]]?.map(\.value) == [3])
        #expect(try stored(tsdb, "push_time_seconds")[["__name__": "push_time_seconds", "job": "batch"]]?.map(\.value) == [1001])

        try await store.delete(F.key("/metrics/job/batch/instance/db1"))
        let second = await ingestor.ingest(at: 1_015_000)
        #expect(second.staleMarkers == 7)
        let x = try stored(tsdb, "x")
        #expect(x[["__name__": "x", "job": "batch"]]?.map(\.timestamp) == [1_000_000, 1_015_000])
        let gone = try #require(x[["__name__": "x", "job": "batch", "instance": "db1"]])
        #expect(gone.map(\.timestamp) == [1_000_000, 1_015_000])
        #expect(isStaleNaN(gone[1].value))

        let third = await ingestor.ingest(at: 1_030_000)
        #expect(third.staleMarkers == 0, "a series is marked stale once")
    }

    @Test func theIntervalFollowsTheConfig() throws {
        let directory = try TemporaryDirectory()
        let tsdb = try TSDB.open(directory: directory.path)
        defer { try? tsdb.close() }
        let ingestor = PushgatewayIngestor(store: PushgatewayStore(directory: nil, logger: F.quietLogger), tsdb: tsdb, logger: F.quietLogger)
        #expect(ingestor.currentInterval == .seconds(60))
        ingestor.setInterval(.seconds(15))
        #expect(ingestor.currentInterval == .seconds(15))
        ingestor.setInterval(.zero)
        #expect(ingestor.currentInterval == .seconds(60))
    }
}
