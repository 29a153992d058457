import VigilTestSupport
import Foundation
import Testing
import VigilModel
@testable import VigilRemoteWrite

/// The on-disk queue: what is appended reads back in order, across segments and restarts, and
/// damage or the size limit costs only what it must.
@Suite struct QueueingToDisk {
    func samples(_ range: Range<Int>, series: Int = 3) -> [(ref: UInt64, labels: Labels, timestamp: Int64, value: Double)] {
        range.map { index in
            let ref = UInt64(index % series + 1)
            return (ref, ["__name__": "m", "series": String(ref)], Int64(index) * 1000, Double(index))
        }
    }

    func readAll(_ log: QueueLog, from position: QueueLog.Position = .init(segment: 0, offset: 0)) -> [QueueLog.Entry] {
        var reader = QueueReader(log: log, from: position)
        reader.recoverIfMissing()
        var all: [QueueLog.Entry] = []
        while true {
            let batch = reader.read(maxSamples: 7)
            if batch.isEmpty { return all }
            all.append(contentsOf: batch)
        }
    }

    @Test func appendedSamplesReadBackInOrderWithLabels() throws {
        let directory = try TemporaryDirectory()
        let log = try QueueLog(directory: directory.path)
        try log.append(samples(0..<10), syncInterval: .zero)
        try log.append(samples(10..<25), syncInterval: .zero)
        let entries = readAll(log)
        #expect(entries.map(\.value) == (0..<25).map(Double.init))
        #expect(entries[4].labelBytes == WriteRequestEncoder.encodeLabels(["__name__": "m", "series": "2"]))
        #expect(entries[4].ref == 2)
        #expect(entries[4].timestamp == 4000)
        log.close()
    }

    @Test func segmentsRollAndEachDefinesItsSeries() throws {
        let directory = try TemporaryDirectory()
        let log = try QueueLog(directory: directory.path, segmentSize: 150)
        for start in stride(from: 0, to: 60, by: 5) {
            try log.append(samples(start..<(start + 5)), syncInterval: .zero)
        }
        #expect(QueueLog.segments(in: directory.path).count > 3)
        let entries = readAll(log)
        #expect(entries.map(\.value) == (0..<60).map(Double.init))
        let encoded = (1...3).map { WriteRequestEncoder.encodeLabels(["__name__": "m", "series": String($0)]) }
        let allKnown = entries.allSatisfy { encoded.contains($0.labelBytes) }
        #expect(allKnown)
        log.close()
    }

    @Test func aReaderResumingMidSegmentRelearnsItsSeries() throws {
        let directory = try TemporaryDirectory()
        let log = try QueueLog(directory: directory.path)
        try log.append(samples(0..<6), syncInterval: .zero)
        var reader = QueueReader(log: log, from: .init(segment: 0, offset: 0))
        reader.recoverIfMissing()
        _ = reader.read(maxSamples: 1)
        let resumeAt = reader.position
        try log.append(samples(6..<9), syncInterval: .zero)
        let rest = readAll(log, from: resumeAt)
        #expect(rest.map(\.value) == [6, 7, 8])
        let allLabelled = rest.allSatisfy { !$0.labelBytes.isEmpty }
        #expect(allLabelled)
        log.close()
    }

    @Test func reopeningContinuesInANewSegmentAndKeepsTheOldOnes() throws {
        let directory = try TemporaryDirectory()
        let first = try QueueLog(directory: directory.path)
        try first.append(samples(0..<4), syncInterval: .zero)
        first.close()
        let second = try QueueLog(directory: directory.path)
        try second.append(samples(4..<8), syncInterval: .zero)
        #expect(readAll(second).map(\.value) == (0..<8).map(Double.init))
        second.close()
    }

    @Test func aCorruptFrameCostsTheRestOfItsSegmentOnly() throws {
        let directory = try TemporaryDirectory()
        let log = try QueueLog(directory: directory.path, segmentSize: 100)
        for start in stride(from: 0, to: 40, by: 4) {
            try log.append(samples(start..<(start + 4)), syncInterval: .zero)
        }
        let segments = QueueLog.segments(in: directory.path)
        let damaged = QueueLog.segmentPath(directory.path, segments[1])
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: damaged)))
        bytes[12] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: damaged))
        var reader = QueueReader(log: log, from: .init(segment: 0, offset: 0))
        reader.recoverIfMissing()
        var values: [Double] = []
        while true {
            let batch = reader.read(maxSamples: 100)
            if batch.isEmpty { break }
            values.append(contentsOf: batch.map(\.value))
        }
        #expect(reader.corruptions >= 1)
        #expect(values.first == 0)
        #expect(values.last == 39)
        #expect(values.count < 40)
        log.close()
    }

    @Test func theSizeLimitDropsTheOldestSegmentsAndCountsThem() throws {
        let directory = try TemporaryDirectory()
        let log = try QueueLog(directory: directory.path, segmentSize: 100, maxBytes: 400)
        for start in stride(from: 0, to: 200, by: 4) {
            try log.append(samples(start..<(start + 4)), syncInterval: .zero)
        }
        #expect(log.droppedSamples > 0)
        let entries = readAll(log)
        #expect(entries.last?.value == 199)
        #expect(entries.count + log.droppedSamples <= 200)
        #expect(entries.count + log.droppedSamples >= 190)
        log.close()
    }

    @Test func randomBytesNeverCrashTheReader() throws {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<50 {
            let directory = try TemporaryDirectory()
            let log = try QueueLog(directory: directory.path)
            try log.append(samples(0..<10), syncInterval: .zero)
            let path = QueueLog.segmentPath(directory.path, log.writingSegment)
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            for _ in 0..<(1 + round % 5) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] = UInt8.random(in: 0...255, using: &generator)
            }
            if round % 3 == 0 { bytes.removeLast(Int.random(in: 0..<bytes.count, using: &generator)) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            _ = readAll(log)
            log.close()
        }
    }
}
