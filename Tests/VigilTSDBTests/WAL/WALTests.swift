import Foundation
import Testing
import VigilTestSupport
import VigilModel
@testable import VigilTSDB

@Suite struct WALTests {
    @Test(arguments: [SyncPolicy.always, .interval(.milliseconds(5)), .never])
    func roundTripAcrossManySegments(policy: SyncPolicy) throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        var rng = SeededGenerator(seed: 1)
        var expected: [WALRecord] = []
        let wal = try WAL(directory: directory.path, segmentSize: 64 << 10, syncPolicy: policy)
        for _ in 0..<400 {
            let batch = RandomRecords.batch(&rng)
            try wal.log(batch)
            expected += batch
        }
        #expect(wal.segmentCount > 5)
        #expect(wal.walSize > 5 * (32 << 10))
        try wal.close()
        #expect(throws: TSDBError.self) { try wal.log([.samples([])]) }

        let reopened = try WAL(directory: directory.path, segmentSize: 64 << 10, syncPolicy: policy)
        let (records, report) = try reopened.replayAll()
        #expect(records == expected)
        #expect(report.isClean)
        #expect(report.records == expected.count)
        #expect(report.batches == 400)
        try reopened.close()
    }

    @Test func reopeningStartsANewSegmentAndKeepsOrder() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        var rng = SeededGenerator(seed: 2)
        var expected: [WALRecord] = []
        var previousSegment = -1
        for _ in 0..<5 {
            let wal = try WAL(directory: directory.path, segmentSize: 64 << 10)
            #expect(wal.currentSegment > previousSegment)
            #expect(wal.segmentRange?.upperBound == wal.currentSegment)
            let (records, report) = try wal.replayAll()
            #expect(records == expected)
            #expect(report.isClean)
            for _ in 0..<20 {
                let batch = RandomRecords.batch(&rng)
                try wal.log(batch)
                expected += batch
            }
            previousSegment = wal.currentSegment
            try wal.close()
        }
    }

    @Test func replayAfterLoggingInTheSameProcessSeesEverything() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let wal = try WAL(directory: directory.path, segmentSize: 64 << 10, syncPolicy: .never)
        let batch: [WALRecord] = [.series([.init(ref: 1, labels: ["__name__": "up"])]), .samples([RefSample(ref: 1, timestamp: 5, value: 1)])]
        try wal.log(batch)
        let (records, _) = try wal.replayAll()
        #expect(records == batch)
        try wal.close()
    }

    @Test func concurrentAppendersSerializeWholeBatches() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let wal = try WAL(directory: directory.path, segmentSize: 256 << 10, syncPolicy: .always)
        let writers = 8
        let batchesEach = 60
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    for batch in 0..<batchesEach {
                        let ref = UInt64(writer * 1_000_000 + batch)
                        let samples = (0..<50).map { RefSample(ref: ref, timestamp: Int64($0), value: Double(writer)) }
                        try! wal.log([.series([.init(ref: ref, labels: ["w": "\(writer)"])]), .samples(samples)])
                    }
                }
            }
        }
        try wal.close()
        let reader = try WAL(directory: directory.path, segmentSize: 256 << 10)
        let (records, report) = try reader.replayAll()
        #expect(report.batches == writers * batchesEach)
        #expect(report.samples == writers * batchesEach * 50)
        // Each batch's two records stay adjacent, and each writer's batches stay in order.
        var next = [Int](repeating: 0, count: writers)
        var index = 0
        while index < records.count {
            guard case .series(let series) = records[index], case .samples(let samples) = records[index + 1] else {
                Issue.record("batch at record \(index) is split")
                return
            }
            let writer = Int(series[0].ref) / 1_000_000
            #expect(Int(series[0].ref) % 1_000_000 == next[writer])
            #expect(samples.allSatisfy { $0.ref == series[0].ref })
            next[writer] += 1
            index += 2
        }
        #expect(next == [Int](repeating: batchesEach, count: writers))
        try reader.close()
    }

    @Test func intervalPolicySyncsInTheBackgroundAndAlwaysSharesSyncs() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let wal = try WAL(directory: directory.path, syncPolicy: .interval(.milliseconds(10)))
        try wal.log([.samples([RefSample(ref: 1, timestamp: 1, value: 1)])])
        #expect(wal.syncCount == 0)
        var waited = 0
        while wal.syncCount == 0 && waited < 200 {
            usleep(10_000)
            waited += 1
        }
        #expect(wal.syncCount >= 1)
        try wal.close()

        let always = try WAL(directory: directory.path, syncPolicy: .always)
        for _ in 0..<10 { try always.log([.samples([RefSample(ref: 1, timestamp: 2, value: 1)])]) }
        #expect(always.syncCount == 10)
        try always.close()
    }

    @Test func bufferedBatchesSkipTheSyncButReplayInOrder() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let wal = try WAL(directory: directory.path, syncPolicy: .always)
        try wal.log([.samples([RefSample(ref: 1, timestamp: 1, value: 1)])])
        for step in 2...6 { try wal.logBuffered([.samples([RefSample(ref: 1, timestamp: Int64(step), value: 1)])]) }
        #expect(wal.syncCount == 1)
        // A durable batch syncs the buffered ones written before it too.
        try wal.log([.samples([RefSample(ref: 1, timestamp: 7, value: 1)])])
        #expect(wal.syncCount == 2)
        try wal.logBuffered([.samples([RefSample(ref: 1, timestamp: 8, value: 1)])])
        try wal.close()
        var timestamps: [Int64] = []
        _ = try WAL.read(directory: directory.path) { record in
            if case .samples(let samples) = record { timestamps += samples.map(\.timestamp) }
        }
        #expect(timestamps == Array(1...8))
    }

    @Test func aBatchLargerThanASegmentGetsItsOwn() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let wal = try WAL(directory: directory.path, segmentSize: 64 << 10, syncPolicy: .never)
        let big = WALRecord.samples((0..<20_000).map { RefSample(ref: UInt64($0), timestamp: 1, value: 2) })
        try wal.log([.tombstones([Tombstone(ref: 1, mint: 2, maxt: 3)])])
        try wal.log([big])
        try wal.log([.tombstones([Tombstone(ref: 4, mint: 5, maxt: 6)])])
        try wal.close()
        let reader = try WAL(directory: directory.path, segmentSize: 64 << 10)
        let (records, report) = try reader.replayAll()
        #expect(records.count == 3 && records[1] == big)
        #expect(report.isClean)
        try reader.close()
    }

    @Test func handlerErrorsStopReplayAndPropagate() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let wal = try WAL(directory: directory.path, syncPolicy: .never)
        try wal.log([.samples([RefSample(ref: 1, timestamp: 1, value: 1)])])
        try wal.log([.samples([RefSample(ref: 2, timestamp: 1, value: 1)])])
        var seen = 0
        #expect(throws: TSDBError(.invalidLabels, "boom")) {
            try wal.replay { _ throws(TSDBError) in
                seen += 1
                throw TSDBError(.invalidLabels, "boom")
            }
        }
        #expect(seen == 1)
        try wal.close()
    }
}
