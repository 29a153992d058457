import Foundation
import Logging
import Testing
import VigilTestSupport
@testable import VigilLogs

@Suite struct DiskBufferTests {
    func frame(_ sequence: UInt64, lines: Int, offset: Int64 = 0) -> BufferFrame {
        BufferFrame(
            sequence: sequence,
            checkpoint: FileCheckpoint(
                input: "in", identity: FileIdentity(device: 1, inode: 2, fingerprint: 3, fingerprintLength: 4),
                offset: offset, path: "/var/log/a b.log", labelPath: "/var/log/a.log"),
            labels: [(name: "filename", value: "/var/log/a.log"), (name: "job", value: "x")],
            records: (0..<lines).map { LogRecord(timestamp: Int64($0) - 5, stream: .stderr, line: Array("line \(sequence).\($0)".utf8)) })
    }

    @Test func framesRoundTrip() throws {
        let original = frame(42, lines: 3, offset: 1 << 40)
        let bytes = original.encoded()
        let decoded = bytes.withUnsafeBytes { BufferFrame.decode(UnsafeRawBufferPointer(rebasing: $0[BufferFrame.headerSize...])) }
        #expect(decoded == original)
        // Every truncation of the payload is rejected, never misread.
        for cut in BufferFrame.headerSize..<(bytes.count - 1) {
            let partial = bytes.withUnsafeBytes { BufferFrame.decode(UnsafeRawBufferPointer(rebasing: $0[BufferFrame.headerSize..<cut])) }
            #expect(partial == nil)
        }
    }

    @Test func readsInOrderAcrossSegmentsAndDeletesWhatIsSentAndCovered() throws {
        let directory = try TemporaryDirectory()
        let buffer = try DiskBuffer(directory: directory.path + "/q", segmentSize: 200, maxBytes: 1 << 20)
        for sequence in 1...10 as ClosedRange<UInt64> {
            try buffer.append(frame(sequence, lines: 2).encoded(), sequence: sequence, lines: 2)
        }
        #expect(buffer.segmentNumbers().all.count > 2)
        var cursor = BufferCursor(buffer: buffer, logger: Logger(label: "t"))
        var sequences: [UInt64] = []
        while let next = cursor.next() { sequences.append(next.sequence) }
        #expect(sequences == Array(1...10))
        buffer.markSent(through: cursor.position, sequence: 10)
        // Not deleted until the positions file covers the frames.
        #expect(buffer.segmentNumbers().all.count > 2)
        buffer.positionsPersisted(through: 10)
        #expect(buffer.segmentNumbers().all.count == 1)
        #expect(buffer.highestSequence == 10)
        buffer.close()
        let reopened = try DiskBuffer(directory: directory.path + "/q", segmentSize: 200, maxBytes: 1 << 20)
        #expect(reopened.highestSequence == 10)
        var again = BufferCursor(buffer: reopened, logger: Logger(label: "t"))
        #expect(again.next() == nil)
    }

    @Test func aSenderThatKeepsUpTakesFramesFromMemoryAndOneThatFallsBehindReadsThemBack() throws {
        let directory = try TemporaryDirectory()
        // Memory for about two frames; segments of about four.
        let buffer = try DiskBuffer(directory: directory.path + "/q", segmentSize: 1024, maxBytes: 1 << 30, recentBytes: 600)
        var cursor = BufferCursor(buffer: buffer, logger: Logger(label: "t"))
        // Kept up: each frame is taken right after it is written.
        for sequence in 1...5 as ClosedRange<UInt64> {
            let written = frame(sequence, lines: 3)
            try buffer.append(written.encoded(), sequence: sequence, lines: 3, decoded: written)
            #expect(cursor.next() == written)
        }
        // Fallen behind: many more frames than the memory holds, across segments.
        var written: [BufferFrame] = []
        for sequence in 6...40 as ClosedRange<UInt64> {
            let next = frame(sequence, lines: 20)
            written.append(next)
            try buffer.append(next.encoded(), sequence: sequence, lines: 20, decoded: next)
        }
        #expect(buffer.segmentNumbers().all.count > 3)
        var read: [BufferFrame] = []
        while let next = cursor.next() { read.append(next) }
        #expect(read == written)
        // The same frames, read back from the disk alone.
        buffer.close()
        let reopened = try DiskBuffer(directory: directory.path + "/q", segmentSize: 1024, maxBytes: 1 << 30)
        var fromDisk = BufferCursor(buffer: reopened, logger: Logger(label: "t"))
        var all: [BufferFrame] = []
        while let next = fromDisk.next() { all.append(next) }
        #expect(all.map(\.sequence) == Array(1...40))
        #expect(Array(all.dropFirst(5)) == written)
    }

    @Test func skipsATornTailAfterACrash() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/q"
        do {
            let buffer = try DiskBuffer(directory: path, segmentSize: 1 << 20, maxBytes: 1 << 20)
            try buffer.append(frame(1, lines: 1).encoded(), sequence: 1, lines: 1)
            try buffer.append(frame(2, lines: 1).encoded(), sequence: 2, lines: 1)
            buffer.close()
        }
        // Cut the last frame short, as a crash mid-write would.
        let segment = DiskBuffer.path(path, 1)
        let bytes = try #require(FileManager.default.contents(atPath: segment))
        try bytes.prefix(bytes.count - 3).write(to: URL(fileURLWithPath: segment))
        let buffer = try DiskBuffer(directory: path, segmentSize: 1 << 20, maxBytes: 1 << 20)
        #expect(buffer.frames(after: 0).map(\.sequence) == [1])
        try buffer.append(frame(3, lines: 1).encoded(), sequence: 3, lines: 1)
        var cursor = BufferCursor(buffer: buffer, logger: Logger(label: "t"))
        var sequences: [UInt64] = []
        while let next = cursor.next() { sequences.append(next.sequence) }
        #expect(sequences == [1, 3])
    }

    @Test func dropsTheOldestSegmentsOverTheCapAndCountsTheirLines() throws {
        let directory = try TemporaryDirectory()
        let one = frame(1, lines: 5).encoded().count
        let buffer = try DiskBuffer(directory: directory.path + "/q", segmentSize: Int64(one), maxBytes: Int64(3 * one))
        for sequence in 1...6 as ClosedRange<UInt64> {
            try buffer.append(frame(sequence, lines: 5).encoded(), sequence: sequence, lines: 5)
        }
        #expect(buffer.isFull)
        let dropped = buffer.dropOldest()
        #expect(dropped == 15)
        #expect(buffer.totalBytes <= Int64(3 * one))
        var cursor = BufferCursor(buffer: buffer, logger: Logger(label: "t"))
        #expect(cursor.next()?.sequence == 4)
    }
}
