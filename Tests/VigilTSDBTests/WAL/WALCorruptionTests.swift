import Foundation
import Testing
import VigilTestSupport
import VigilModel
@testable import VigilTSDB

@Suite struct WALCorruptionTests {
    enum Damage: CaseIterable { case flipByte, truncate, appendGarbage }

    /// Writes random batches across several segments, damages one file, and checks replay
    /// returns exactly the batches before the damage (and every batch of undamaged segments),
    /// reports the damage, and leaves a WAL that appends and replays cleanly.
    @Test(arguments: Damage.allCases)
    func replayKeepsEverythingBeforeTheDamage(damage: Damage) async throws {
        try await offTheCooperativePool { try checkReplayKeepsEverythingBeforeTheDamage(damage: damage) }
    }

    private func checkReplayKeepsEverythingBeforeTheDamage(damage: Damage) throws {
        var rng = SeededGenerator(seed: 0xC0FFEE &+ UInt64(Damage.allCases.firstIndex(of: damage)!))
        for _ in 0..<25 {
            try scenario(damage, &rng)
        }
    }

    private func scenario(_ damage: Damage, _ rng: inout SeededGenerator) throws {
        let directory = TemporaryDirectory("corrupt")
        defer { directory.cleanup() }
        var batches: [[WALRecord]] = []
        let writer = try WAL(directory: directory.path, segmentSize: 64 << 10, syncPolicy: .never)
        for _ in 0..<Int.random(in: 50...250, using: &rng) {
            let batch = RandomRecords.batch(&rng, maxRecords: 3, maxItems: 30)
            try writer.log(batch)
            batches.append(batch)
        }
        try writer.close()
        let frames = try frameLayout(directory.path)
        #expect(frames.count == batches.count)
        let segments = Set(frames.map(\.segment)).sorted()

        // Choose the damaged segment and the first damaged byte.
        let segment = damage == .appendGarbage ? segments.last! : segments.randomElement(using: &rng)!
        let path = directory.path + "/" + WALFileSystem.segmentName(segment)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let damagedAt: Int
        switch damage {
        case .flipByte:
            damagedAt = Int.random(in: 0..<bytes.count, using: &rng)
            bytes[damagedAt] ^= UInt8.random(in: 1...255, using: &rng)
        case .truncate:
            damagedAt = Int.random(in: 0..<bytes.count, using: &rng)
            bytes.removeSubrange(damagedAt...)
        case .appendGarbage:
            damagedAt = bytes.count
            bytes += (0..<Int.random(in: 1...5000, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        // A frame survives unless it is in the damaged segment and reaches the damaged byte;
        // a damaged segment header loses the whole segment.
        var expected: [WALRecord] = []
        var damageExpected = damage != .truncate || damagedAt > 0
        for (index, frame) in frames.enumerated() {
            let lost = frame.segment == segment && (damagedAt < 8 || frame.offset + frame.size > Int64(damagedAt))
            if !lost { expected += batches[index] }
            if damage == .truncate && frame.segment == segment && frame.offset == Int64(damagedAt) { damageExpected = false }
        }
        if damage == .truncate && damagedAt == 8 { damageExpected = false }

        let reader = try WAL(directory: directory.path, segmentSize: 64 << 10, syncPolicy: .never)
        let (records, report) = try reader.replayAll()
        #expect(records == expected, "\(damage) at \(segment):\(damagedAt)")
        if damageExpected {
            #expect(report.damage.count == 1)
            #expect(report.damage.first?.segment == segment)
            #expect(report.damage.first?.truncated == true)
            #expect(report.warnings.count == 1)
        } else {
            #expect(report.isClean)
        }

        // The damaged segment was truncated: new appends follow and the next replay is clean.
        let extra = RandomRecords.batch(&rng)
        try reader.log(extra)
        try reader.close()
        let again = try WAL(directory: directory.path, segmentSize: 64 << 10, syncPolicy: .never)
        let (after, cleanReport) = try again.replayAll()
        #expect(after == expected + extra)
        #expect(cleanReport.isClean, "\(cleanReport.warnings)")
        try again.close()
    }

    @Test func zeroFilledTailIsTornNotFatal() throws {
        let directory = TemporaryDirectory("zero")
        defer { directory.cleanup() }
        let wal = try WAL(directory: directory.path, syncPolicy: .never)
        let batch: [WALRecord] = [.samples([RefSample(ref: 1, timestamp: 2, value: 3)])]
        try wal.log(batch)
        try wal.close()
        // Power loss can leave a file extended with zeros past the last write.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: directory.path + "/00000000"))
        handle.seekToEndOfFile()
        handle.write(Data(count: 4096))
        try handle.close()
        let reader = try WAL(directory: directory.path)
        let (records, report) = try reader.replayAll()
        #expect(records == batch)
        #expect(report.damage.first?.torn == true)
        try reader.close()
    }

    @Test func emptyAndHeaderlessSegmentsAreHarmless() throws {
        let directory = TemporaryDirectory("empty")
        defer { directory.cleanup() }
        let wal = try WAL(directory: directory.path, syncPolicy: .never)
        try wal.log([.tombstones([Tombstone(ref: 1, mint: 1, maxt: 2)])])
        try wal.close()
        _ = FileManager.default.createFile(atPath: directory.path + "/00000001", contents: Data())
        _ = FileManager.default.createFile(atPath: directory.path + "/00000002", contents: Data([0x56, 0x57]))
        let reader = try WAL(directory: directory.path)
        #expect(reader.currentSegment == 3)
        let (records, report) = try reader.replayAll()
        #expect(records.count == 1)
        #expect(report.damage.map(\.segment) == [2])
        try reader.close()
    }
}
