import Testing
import Synchronization
import VigilModel
@testable import VigilTSDB

final class RecordingWAL: WriteAheadLog {
    let records = Mutex<[WALRecord]>([])
    let failing = Atomic<Bool>(false)
    func log(_ records: [WALRecord]) throws(TSDBError) {
        if failing.load(ordering: .relaxed) { throw TSDBError(.io, "disk full") }
        self.records.withLock { $0.append(contentsOf: records) }
    }
}

/// Expects `body` to throw a ``TSDBError`` of `kind`.
func expectKind(_ kind: TSDBError.Kind, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected \(kind), nothing thrown", sourceLocation: sourceLocation)
    } catch let error as TSDBError {
        #expect(error.kind == kind, sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
    }
}

@Suite("Head")
struct HeadTests {
    let up: Labels = ["__name__": "up", "job": "node"]

    func samples(_ head: Head, _ matchers: [LabelMatcher], _ mint: Int64 = .min, _ maxt: Int64 = .max) throws -> [Labels: [Int64]] {
        var result: [Labels: [Int64]] = [:]
        for series in try HeadQuerier(head: head).select(matchers, mint: mint, maxt: maxt) {
            result[series.labels] = series.samples().map(\.timestamp)
        }
        return result
    }

    @Test func walIsWrittenBeforeSamplesAreVisibleAndReplays() throws {
        let wal = RecordingWAL()
        let head = Head(wal: wal)
        var appender = head.appender()
        let ref = try appender.append(ref: nil, labels: up, timestamp: 1000, value: 1)
        _ = try appender.append(ref: ref, labels: .empty, timestamp: 2000, value: StaleNaN.value)
        #expect(try samples(head, [LabelMatcher(.equal, "job", "node")]).isEmpty)
        try appender.commit()
        let logged = wal.records.withLock { $0 }
        #expect(logged == [
            .series([.init(ref: ref, labels: up)]),
            .samples([RefSample(ref: ref, timestamp: 1000, value: 1), RefSample(ref: ref, timestamp: 2000, value: StaleNaN.value)]),
        ])
        // WAL failure: nothing stored.
        wal.failing.store(true, ordering: .relaxed)
        _ = try appender.append(ref: ref, labels: up, timestamp: 3000, value: 3)
        #expect(throws: TSDBError.self) { try appender.commit() }
        wal.failing.store(false, ordering: .relaxed)

        let replayed = Head()
        for record in logged { replayed.apply(record) }
        let series = try HeadQuerier(head: replayed).select([LabelMatcher(.equal, "__name__", "up")], mint: .min, maxt: .max)
        #expect(series.count == 1)
        let values = series[0].samples()
        #expect(values.map(\.timestamp) == [1000, 2000])
        #expect(isStaleNaN(values[1].value))
        // A new series after replay does not reuse the ref.
        var next = replayed.appender()
        let other = try next.append(ref: nil, labels: ["__name__": "other"], timestamp: 1, value: 1)
        #expect(other > ref)
    }

    @Test func appendRules() throws {
        let head = Head()
        var appender = head.appender()
        let ref = try appender.append(ref: nil, labels: up, timestamp: 1_000_000, value: 1)
        try appender.commit()
        _ = try appender.append(ref: ref, labels: up, timestamp: 1_000_000, value: 1)  // exact duplicate: ignored
        #expect(appender.pendingCount == 0)
        expectKind(.duplicateSampleForTimestamp) {
            _ = try appender.append(ref: ref, labels: up, timestamp: 1_000_000, value: 2)
        }
        expectKind(.outOfBounds) {
            _ = try appender.append(ref: ref, labels: up, timestamp: 1_000_000 - 600_001, value: 2)
        }
        _ = try appender.append(ref: ref, labels: up, timestamp: 1_000_000 - 600_000, value: 5)  // OOO accepted
        try appender.commit()
        expectKind(.invalidLabels) { _ = try appender.append(ref: nil, labels: .empty, timestamp: 1, value: 1) }
        expectKind(.invalidLabels) { _ = try appender.append(ref: nil, labels: ["": "x"], timestamp: 1, value: 1) }
        #expect(try samples(head, [LabelMatcher(.equal, "job", "node")])[up] == [400_000, 1_000_000])

        var options = HeadOptions()
        options.outOfOrderWindow = 0
        options.maxSeries = 1
        let strict = Head(options: options)
        var other = strict.appender()
        _ = try other.append(ref: nil, labels: up, timestamp: 10, value: 1)
        try other.commit()
        expectKind(.outOfOrder) { _ = try other.append(ref: nil, labels: up, timestamp: 9, value: 1) }
        expectKind(.limitExceeded) { _ = try other.append(ref: nil, labels: ["a": "b"], timestamp: 9, value: 1) }
        #expect(strict.stats.rejectedOutOfOrder == 1)
    }

    @Test func chunksAreCutAtSampleCountAndRangeBoundary() throws {
        let head = Head()
        var appender = head.appender()
        var ref: SeriesRef?
        // 2h of 15 s samples starting mid-range: 480 samples, boundary at 7_200_000.
        for index in 0..<480 {
            ref = try appender.append(ref: ref, labels: up, timestamp: 3_600_000 + Int64(index) * 15_000, value: Double(index))
        }
        try appender.commit()
        let persisted = head.seriesForPersistence(mint: .min, maxt: .max)
        let counts = persisted[0].chunks.map(\.count)
        #expect(counts == [120, 120, 120, 120])
        #expect(persisted[0].chunks[1].maxTime < 7_200_000 && persisted[0].chunks[2].minTime >= 7_200_000)
        #expect(head.stats.chunkCount == 4)
    }

    @Test func outOfOrderBufferSpillsIntoChunks() throws {
        let head = Head()
        var appender = head.appender()
        let ref = try appender.append(ref: nil, labels: up, timestamp: 1_000_000, value: 0)
        for index in 0..<100 { _ = try appender.append(ref: ref, labels: up, timestamp: 999_000 - Int64(index) * 100, value: Double(index)) }
        try appender.commit()
        let got = try samples(head, [LabelMatcher(.equal, "__name__", "up")])[up]!
        #expect(got.count == 101 && got == got.sorted())
        #expect(head.stats.outOfOrderSamplesAppended == 100)
        #expect(head.stats.chunkCount == 1 + 3)  // 3 full OOO chunks of 32; 4 remain buffered
    }

    @Test func tombstonesAreHonouredAndLogged() throws {
        let wal = RecordingWAL()
        let head = Head(wal: wal)
        var appender = head.appender()
        let other: Labels = ["__name__": "up", "job": "other"]
        for t in stride(from: Int64(0), to: 100_000, by: 10_000) {
            _ = try appender.append(ref: nil, labels: up, timestamp: t, value: 1)
            _ = try appender.append(ref: nil, labels: other, timestamp: t, value: 1)
        }
        try appender.commit()
        try head.delete(matchers: [LabelMatcher(.equal, "job", "node")], mint: 20_000, maxt: 45_000)
        guard case .tombstones(let stones) = wal.records.withLock({ $0.last }) else {
            Issue.record("no tombstone record")
            return
        }
        #expect(stones.count == 1 && stones[0].mint == 20_000 && stones[0].maxt == 45_000)
        let got = try samples(head, [LabelMatcher(.equal, "__name__", "up")])
        #expect(got[up] == [0, 10_000, 50_000, 60_000, 70_000, 80_000, 90_000])
        #expect(got[other]?.count == 10)
        let persisted = head.seriesForPersistence(mint: 0, maxt: 59_999)
        #expect(persisted.first { $0.labels == up }!.chunks.map(\.count) == [3])
    }

    @Test func truncateDropsOldChunksAndEmptySeries() throws {
        var options = HeadOptions()
        options.chunkRange = 100_000
        let head = Head(options: options)
        var appender = head.appender()
        let old: Labels = ["__name__": "old"]
        for t in stride(from: Int64(0), to: 300_000, by: 10_000) {
            _ = try appender.append(ref: nil, labels: up, timestamp: t, value: 1)
            if t < 100_000 { _ = try appender.append(ref: nil, labels: old, timestamp: t, value: 1) }
        }
        try appender.commit()
        #expect(head.stats.numSeries == 2)
        head.truncate(before: 200_000)
        let stats = head.stats
        #expect(stats.numSeries == 1)
        #expect(stats.chunkCount == 1)
        #expect(stats.minTime == 200_000)
        #expect(try samples(head, [LabelMatcher(.regexMatch, "__name__", ".+")])[up]?.first == 200_000)
        #expect(try HeadQuerier(head: head).labelValues("__name__", matchers: [], mint: .min, maxt: .max) == ["up"])
        expectKind(.outOfBounds) { _ = try appender.append(ref: nil, labels: old, timestamp: 150_000, value: 1) }
        // A removed series comes back with a new ref.
        _ = try appender.append(ref: nil, labels: old, timestamp: 400_000, value: 1)
        try appender.commit()
        #expect(head.stats.numSeries == 2)
    }

    @Test func labelNamesAndValues() throws {
        let head = Head()
        var appender = head.appender()
        _ = try appender.append(ref: nil, labels: ["__name__": "a", "x": "1"], timestamp: 1, value: 1)
        _ = try appender.append(ref: nil, labels: ["__name__": "b", "y": "2"], timestamp: 1, value: 1)
        try appender.commit()
        let querier = HeadQuerier(head: head)
        #expect(try querier.labelNames(matchers: [], mint: .min, maxt: .max) == ["__name__", "x", "y"])
        #expect(try querier.labelNames(matchers: [LabelMatcher(.equal, "__name__", "b")], mint: .min, maxt: .max) == ["__name__", "y"])
        #expect(try querier.labelValues("__name__", matchers: [LabelMatcher(.equal, "x", "")], mint: .min, maxt: .max) == ["b"])
        #expect(try querier.labelNames(matchers: [], mint: 5, maxt: 10).isEmpty)
        #expect(head.stats.numLabelPairs == 4)
    }

    @Test func mergeQuerierDedupsEqualTimestamps() throws {
        let first = Head()
        let second = Head()
        var a = first.appender()
        var b = second.appender()
        for t in [Int64(1), 3, 5] { _ = try a.append(ref: nil, labels: up, timestamp: t, value: 1) }
        for t in [Int64(2), 3, 6] { _ = try b.append(ref: nil, labels: up, timestamp: t, value: 2) }
        _ = try b.append(ref: nil, labels: ["__name__": "up", "job": "z"], timestamp: 1, value: 1)
        try a.commit()
        try b.commit()
        let merged = MergeQuerier([HeadQuerier(head: first), HeadQuerier(head: second)])
        let series = try merged.select([LabelMatcher(.equal, "__name__", "up")], mint: .min, maxt: .max)
        #expect(series.count == 2)
        let values = series[0].samples()
        #expect(values.map(\.timestamp) == [1, 2, 3, 5, 6])
        #expect(values.map(\.value) == [1, 2, 1, 1, 2])
    }
}
