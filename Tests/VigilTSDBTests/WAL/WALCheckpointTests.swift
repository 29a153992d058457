import Foundation
import Testing
import VigilModel
@testable import VigilTSDB

@Suite struct WALCheckpointTests {
    /// Series 0..<200, samples at t = 0..<100 for each; checkpoint keeps even refs and t ≥ 50.
    @Test func checkpointKeepsLiveSeriesRecentSamplesAndLaterRecords() throws {
        let directory = TemporaryDirectory("checkpoint")
        defer { directory.cleanup() }
        let wal = try WAL(directory: directory.path, segmentSize: 64 << 10, syncPolicy: .never)
        let series = (0..<200).map { WALRecord.SeriesRecord(ref: UInt64($0), labels: ["__name__": "m", "i": "\($0)"]) }
        try wal.log([.series(series)])
        for t in 0..<100 {
            try wal.log([.samples(series.map { RefSample(ref: $0.ref, timestamp: Int64(t), value: Double(t)) })])
        }
        try wal.log([.tombstones([Tombstone(ref: 2, mint: 0, maxt: 10), Tombstone(ref: 4, mint: 0, maxt: 60), Tombstone(ref: 5, mint: 0, maxt: 90)])])
        let last = wal.currentSegment
        #expect(last >= 2)

        let stats = try wal.checkpoint(upTo: last, keepSeries: { $0 % 2 == 0 }, minTime: 50)
        #expect(stats.index == last)
        #expect(stats.seriesKept == 100 && stats.seriesDropped == 100)
        #expect(stats.samplesKept == 100 * 50)
        #expect(stats.tombstonesKept == 1)
        #expect(wal.segmentRange == (last + 1)...(last + 1))

        let later: [WALRecord] = [
            .series([.init(ref: 1000, labels: ["__name__": "new"])]),
            .samples([RefSample(ref: 1000, timestamp: 200, value: 1)]),
        ]
        try wal.log(later)
        try wal.close()

        let reader = try WAL(directory: directory.path, segmentSize: 64 << 10)
        let (records, report) = try reader.replayAll()
        #expect(report.checkpoint == last)
        #expect(report.isClean)
        var seriesRefs: [SeriesRef] = []
        var samples: [RefSample] = []
        var tombstones: [Tombstone] = []
        for record in records.dropLast(2) {
            switch record {
            case .series(let s): seriesRefs += s.map(\.ref)
            case .samples(let s): samples += s
            case .tombstones(let t): tombstones += t
            }
        }
        #expect(seriesRefs == stride(from: 0, to: 200, by: 2).map { UInt64($0) })
        let expectedSamples = (50..<100).flatMap { t in
            stride(from: 0, to: 200, by: 2).map { RefSample(ref: UInt64($0), timestamp: Int64(t), value: Double(t)) }
        }
        #expect(samples == expectedSamples)
        #expect(tombstones == [Tombstone(ref: 4, mint: 0, maxt: 60)])
        #expect(Array(records.suffix(2)) == later)

        // A second checkpoint folds the first in and deletes it.
        try reader.log([.samples([RefSample(ref: 1000, timestamp: 300, value: 2)])])
        let second = try reader.checkpoint(upTo: reader.currentSegment, keepSeries: { $0 == 1000 }, minTime: 250)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("checkpoint.") }
        #expect(names == ["checkpoint." + WALFileSystem.segmentName(second.index)])
        try reader.close()
        let third = try WAL(directory: directory.path, segmentSize: 64 << 10)
        let (final, _) = try third.replayAll()
        #expect(final == [
            .series([.init(ref: 1000, labels: ["__name__": "new"])]),
            .samples([RefSample(ref: 1000, timestamp: 300, value: 2)]),
        ])
        try third.close()
    }

    @Test func leftoversOfAnInterruptedCheckpointAreIgnored() throws {
        let directory = TemporaryDirectory("checkpoint-crash")
        defer { directory.cleanup() }
        let wal = try WAL(directory: directory.path, segmentSize: 64 << 10, syncPolicy: .never)
        let batch: [WALRecord] = [.series([.init(ref: 1, labels: ["a": "b"])]), .samples([RefSample(ref: 1, timestamp: 10, value: 1)])]
        try wal.log(batch)
        // Keep a copy of segment 0 to simulate a crash between rename and segment deletion.
        let segmentZero = try Data(contentsOf: URL(fileURLWithPath: directory.path + "/00000000"))
        try wal.checkpoint(upTo: 0, keepSeries: { _ in true }, minTime: 0)
        try wal.close()
        try segmentZero.write(to: URL(fileURLWithPath: directory.path + "/00000000"))
        try FileManager.default.createDirectory(atPath: directory.path + "/checkpoint.00000005.tmp", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory.path + "/checkpoint.00000005.tmp/00000000", contents: Data([1, 2, 3]))

        let reader = try WAL(directory: directory.path, segmentSize: 64 << 10)
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/checkpoint.00000005.tmp"))
        let (records, report) = try reader.replayAll()
        #expect(records == batch)
        #expect(report.checkpoint == 0)
        try reader.close()
    }
}
