import Foundation
import Synchronization
import Testing
import VigilModel
@testable import VigilTSDB
import VigilTestSupport

/// Head snapshots: a restart loads `head.snapshot` and replays only the WAL after it, with the same
/// data as a whole-WAL replay; commits racing a snapshot are neither lost nor counted as rejected;
/// a damaged or stale snapshot costs a full replay, never data.
@Suite struct HeadSnapshotTests {
    static let start: Int64 = 1_700_000_000_000 - 1_700_000_000_000 % 7_200_000

    static func options(outOfOrderWindow: Int64 = 600_000) -> TSDBOptions {
        var options = TSDBOptions()
        options.walSync = .never
        options.walSegmentSize = 64 << 10
        options.head.outOfOrderWindow = outOfOrderWindow
        return options
    }

    /// Every sample of every series, by labels.
    static func contents(_ db: TSDB) throws -> [Labels: [Int64: UInt64]] {
        var result: [Labels: [Int64: UInt64]] = [:]
        for series in try db.querier().select([try LabelMatcher(.regexMatch, "__name__", ".+")], mint: .min, maxt: .max) {
            for sample in series.samples() { result[series.labels, default: [:]][sample.timestamp] = sample.value.bitPattern }
        }
        return result
    }

    /// 40 series × `steps` samples at 15 s from `from`, plus a late sample per series.
    static func ingest(_ db: TSDB, steps: Range<Int>, reference: inout [Labels: [Int64: UInt64]]) throws {
        for step in steps {
            var appender = db.appender()
            for index in 0..<40 {
                let labels: Labels = ["__name__": "m\(index % 4)", "instance": "host-\(index)"]
                let timestamp = start + Int64(step) * 15_000
                let value = index % 5 == 0 ? 1.0 : Double(step * index) + 0.25
                _ = try appender.append(ref: nil, labels: labels, timestamp: timestamp, value: value)
                reference[labels, default: [:]][timestamp] = value.bitPattern
            }
            try appender.commit()
            if step % 7 == 6 {
                // Out of order, inside the window.
                var late = db.appender()
                let labels: Labels = ["__name__": "m1", "instance": "host-1"]
                let timestamp = start + Int64(step) * 15_000 - 7_500
                _ = try late.append(ref: nil, labels: labels, timestamp: timestamp, value: -2)
                reference[labels, default: [:]][timestamp] = (-2.0).bitPattern
                try late.commit()
            }
        }
    }

    @Test func aRestartLoadsTheSnapshotAndReplaysOnlyTheWALAfterIt() throws {
        let directory = TemporaryDirectory("head-snapshot")
        defer { directory.cleanup() }
        var reference: [Labels: [Int64: UInt64]] = [:]
        do {
            let db = try TSDB.open(directory: directory.path, options: Self.options())
            try Self.ingest(db, steps: 0..<300, reference: &reference)
            try db.head.delete(matchers: [try LabelMatcher(.equal, "instance", "host-3")], mint: Self.start, maxt: Self.start + 600_000)
            for timestamp in reference[["__name__": "m3", "instance": "host-3"]]!.keys where timestamp <= Self.start + 600_000 {
                reference[["__name__": "m3", "instance": "host-3"]]![timestamp] = nil
            }
            let info = try db.snapshotHead()
            #expect(info.series == 40)
            #expect(info.samples == 40 * 300 + 300 / 7)
            try Self.ingest(db, steps: 300..<320, reference: &reference)
            // No close(): the restart below is the one after a crash.
        }
        let db = try TSDB.open(directory: directory.path, options: Self.options())
        let report = db.replayReport
        let snapshot = try #require(report.snapshot)
        #expect(snapshot.series == 40)
        #expect(report.snapshotProblem == nil)
        #expect(report.samples == 40 * 20 + 3, "replay should read only the 20 steps logged after the snapshot")
        #expect(report.checkpoint == nil)
        #expect(try Self.contents(db) == reference)
        let stats = db.head.stats
        #expect(stats.rejectedOutOfOrder == 0 && stats.rejectedOutOfBounds == 0 && stats.rejectedDuplicates == 0)
        // The tail this start replayed counts toward the next snapshot: a restart now would replay it again.
        #expect(db.walSinceHeadSnapshot == UInt64(report.bytes))

        // Closing writes a snapshot (the tail is still after the last one); the next start replays nothing.
        try db.close()
        let reopened = try TSDB.open(directory: directory.path, options: Self.options())
        #expect(reopened.replayReport.snapshot?.samples == 40 * 320 + 320 / 7)
        #expect(reopened.replayReport.samples == 0)
        #expect(try Self.contents(reopened) == reference)

        // The same directory without snapshots replays every segment to the same data.
        var whole = Self.options()
        whole.headSnapshots = false
        try reopened.close()
        let full = try TSDB.open(directory: directory.path, options: whole)
        #expect(full.replayReport.snapshot == nil)
        #expect(full.replayReport.samples > 40 * 320)
        #expect(try Self.contents(full) == reference)
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/head.snapshot"), "a disabled snapshot is removed")
    }

    /// Appenders commit on four threads while snapshots are taken back to back; with no
    /// out-of-order window, any sample replayed twice would be counted as a rejection.
    @Test func commitsRacingSnapshotsAreNeitherLostNorRejected() async throws {
        let directory = TemporaryDirectory("head-snapshot-race")
        defer { directory.cleanup() }
        let path = directory.path
        let expected: [Labels: [Int64: UInt64]] = try await offTheCooperativePool {
            var options = Self.options(outOfOrderWindow: 0)
            // Commits wait for fdatasync between logging and applying: the window a snapshot must
            // not cut through.
            options.walSync = .always
            let db = try TSDB.open(directory: path, options: options)
            // The racing series are created first (snapshots capture by ref), then idle series
            // that make each snapshot slow enough that the racing series take commits while it
            // runs: those samples end up in both the snapshot and the WAL.
            var filler = db.appender()
            var fillerSamples: [Labels: [Int64: UInt64]] = [:]
            for worker in 0..<4 {
                for index in 0..<5 {
                    let labels: Labels = ["__name__": "race", "worker": "\(worker)", "series": "\(index)"]
                    _ = try filler.append(ref: nil, labels: labels, timestamp: Self.start - 1000, value: 0)
                    fillerSamples[labels] = [Self.start - 1000: (0.0).bitPattern]
                }
            }
            for index in 0..<20_000 {
                let labels: Labels = ["__name__": "idle", "series": "\(index)"]
                _ = try filler.append(ref: nil, labels: labels, timestamp: Self.start, value: 1)
                fillerSamples[labels] = [Self.start: (1.0).bitPattern]
            }
            try filler.commit()
            // Snapshots run back to back until the workers are halfway, so the last one (the one a
            // restart loads) is taken while commits go on.
            let commits = Atomic(0)
            let snapshots = Atomic(0)
            let snapshotter = Thread {
                while commits.load(ordering: .relaxed) < 4 * 300 {
                    if (try? db.snapshotHead()) != nil { snapshots.add(1, ordering: .relaxed) }
                }
            }
            snapshotter.start()
            let results = Mutex<[Labels: [Int64: UInt64]]>([:])
            DispatchQueue.concurrentPerform(iterations: 4) { worker in
                var mine: [Labels: [Int64: UInt64]] = [:]
                for step in 0..<600 {
                    var appender = db.appender()
                    for index in 0..<5 {
                        let labels: Labels = ["__name__": "race", "worker": "\(worker)", "series": "\(index)"]
                        let timestamp = Self.start + Int64(step) * 1000
                        let value = Double(step * 10 + index)
                        _ = try? appender.append(ref: nil, labels: labels, timestamp: timestamp, value: value)
                        mine[labels, default: [:]][timestamp] = value.bitPattern
                    }
                    try? appender.commit()
                    commits.add(1, ordering: .relaxed)
                }
                results.withLock { $0.merge(mine) { a, _ in a } }
            }
            while !snapshotter.isFinished { usleep(1000) }
            #expect(snapshots.load(ordering: .relaxed) > 0)
            var expected = fillerSamples
            for (labels, samples) in results.withLock({ $0 }) { expected[labels, default: [:]].merge(samples) { a, _ in a } }
            return expected
        }
        let db = try TSDB.open(directory: path, options: Self.options(outOfOrderWindow: 0))
        #expect(db.replayReport.snapshot != nil)
        #expect(try Self.contents(db) == expected)
        let stats = db.head.stats
        #expect(stats.rejectedOutOfOrder == 0, "samples in both the snapshot and the WAL were counted as out of order")
        #expect(stats.rejectedDuplicates == 0 && stats.rejectedOutOfBounds == 0)
        #expect(stats.samplesAppended <= 4 * 5 * 601 + 20_000)
    }

    /// The open chunks' appenders resume from the snapshot as they were: appending the WAL tail
    /// after a restart gives the same bytes as appending it before.
    @Test func resumedAppendersWriteTheSameBytes() throws {
        let directory = TemporaryDirectory("head-snapshot-resume")
        defer { directory.cleanup() }
        var reference: [Labels: [Int64: UInt64]] = [:]
        let db = try TSDB.open(directory: directory.path, options: Self.options())
        try Self.ingest(db, steps: 0..<50, reference: &reference)
        try db.snapshotHead()
        try Self.ingest(db, steps: 50..<100, reference: &reference)
        func chunks(_ db: TSDB) -> [SeriesRef: [[UInt8]]] {
            var result: [SeriesRef: [[UInt8]]] = [:]
            for series in db.head.allSeries() {
                result[series.ref] = series.state.withLock { $0.closed.map(\.bytes) + [$0.head?.chunk.bytes ?? []] }
            }
            return result
        }
        let before = chunks(db)
        let restarted = try TSDB.open(directory: directory.path, options: Self.options())
        #expect(restarted.replayReport.snapshot != nil)
        let after = chunks(restarted)
        let differing = before.keys.filter { after[$0] != before[$0] }.sorted()
        #expect(after.count == before.count && differing.isEmpty, "series whose chunk bytes differ after the restart: \(differing)")
        #expect(try Self.contents(restarted) == reference)
    }

    @Test func aDamagedSnapshotFallsBackToTheWholeWAL() throws {
        let directory = TemporaryDirectory("head-snapshot-damage")
        defer { directory.cleanup() }
        var reference: [Labels: [Int64: UInt64]] = [:]
        do {
            let db = try TSDB.open(directory: directory.path, options: Self.options())
            try Self.ingest(db, steps: 0..<100, reference: &reference)
            try db.snapshotHead()
            try Self.ingest(db, steps: 100..<110, reference: &reference)
        }
        let file = directory.path + "/head.snapshot"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        bytes[bytes.count / 2] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: file))

        let db = try TSDB.open(directory: directory.path, options: Self.options())
        #expect(db.replayReport.snapshot == nil)
        let problem = try #require(db.replayReport.snapshotProblem)
        #expect(problem.contains("checksum mismatch"), "\(problem)")
        #expect(try Self.contents(db) == reference)
        #expect(!FileManager.default.fileExists(atPath: file))
    }

    /// A snapshot that cannot even be read (here a directory in its place) is reported and the
    /// whole WAL replays; the store opens.
    @Test func anUnreadableSnapshotFallsBackToTheWholeWAL() throws {
        let directory = TemporaryDirectory("head-snapshot-unreadable")
        defer { directory.cleanup() }
        var reference: [Labels: [Int64: UInt64]] = [:]
        do {
            let db = try TSDB.open(directory: directory.path, options: Self.options())
            try Self.ingest(db, steps: 0..<20, reference: &reference)
        }
        try FileManager.default.createDirectory(atPath: directory.path + "/head.snapshot", withIntermediateDirectories: false)
        let db = try TSDB.open(directory: directory.path, options: Self.options())
        #expect(db.replayReport.snapshot == nil)
        #expect(db.replayReport.snapshotProblem != nil)
        #expect(try Self.contents(db) == reference)
    }

    /// A head cut checkpoints the segments the old snapshot continued from; the same maintenance
    /// pass writes a new one after the checkpoint, and the restart uses that.
    @Test func aCheckpointIsFollowedByANewSnapshot() throws {
        let directory = TemporaryDirectory("head-snapshot-checkpoint")
        defer { directory.cleanup() }
        var reference: [Labels: [Int64: UInt64]] = [:]
        let first: Int
        do {
            let db = try TSDB.open(directory: directory.path, options: Self.options())
            try Self.ingest(db, steps: 0..<200, reference: &reference)
            first = try db.snapshotHead().segment
            try Self.ingest(db, steps: 200..<800, reference: &reference)  // 3h20m: one 2h block to cut
            let report = try db.maintain()
            #expect(report.headBlocks == 1 && report.checkpointed)
            let snapshot = try #require(report.headSnapshot)
            #expect(snapshot.segment > first)
            try Self.ingest(db, steps: 800..<810, reference: &reference)
        }
        let db = try TSDB.open(directory: directory.path, options: Self.options())
        let snapshot = try #require(db.replayReport.snapshot)
        #expect(snapshot.segment > first)
        #expect(db.replayReport.samples == 40 * 10 + 1)
        #expect(try Self.contents(db) == reference)
    }

    /// The decoder behind the checksum: mutated payloads with a recomputed checksum either load
    /// or fail with `.corruption` naming a byte offset; never a crash.
    @Test func mutatedSnapshotsFailCleanly() async throws {
        try await offTheCooperativePool { try checkMutatedSnapshots() }
    }

    private func checkMutatedSnapshots() throws {
        let directory = TemporaryDirectory("head-snapshot-fuzz")
        defer { directory.cleanup() }
        var reference: [Labels: [Int64: UInt64]] = [:]
        let db = try TSDB.open(directory: directory.path, options: Self.options())
        try Self.ingest(db, steps: 0..<30, reference: &reference)
        try db.snapshotHead()
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory.path + "/head.snapshot")))
        let payload = HeadSnapshotFile.magic.count..<(original.count - 4 - HeadSnapshotFile.trailerMagic.count)
        var rng = SplitMix64(seed: 0x5EED)
        let path = directory.path + "/mutated"
        var loaded = 0
        for round in 0..<400 {
            var bytes = original
            switch round % 3 {
            case 0:
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    bytes[Int.random(in: payload, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            case 1:
                let cut = Int.random(in: payload, using: &rng)
                bytes.removeSubrange(cut..<Int.random(in: cut...payload.upperBound, using: &rng))
            default:
                let at = Int.random(in: payload, using: &rng)
                bytes.insert(contentsOf: (0..<Int.random(in: 1...9, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
            }
            let end = bytes.count - 4 - HeadSnapshotFile.trailerMagic.count
            let crc = bytes[HeadSnapshotFile.magic.count..<end].withUnsafeBytes { CRC32C.update(0, $0) }
            WALRecordCodec.putUInt32(crc, into: &bytes, at: end)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let head = Head(options: HeadOptions())
            do {
                _ = try head.loadSnapshot(from: path)
                loaded += 1
            } catch {
                #expect(error.kind == .corruption)
                #expect(error.message.contains("byte "), "\(error.message)")
            }
        }
        #expect(loaded < 400, "no mutation was detected: the decoder checks nothing")
        try db.close()
    }
}
