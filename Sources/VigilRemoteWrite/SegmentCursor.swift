import Foundation
import VigilModel
import VigilTSDB

/// Reads the frames of one queue segment in order, from a byte offset.
struct SegmentCursor {
    let path: String
    let segment: Int
    private(set) var offset: Int
    private var handle: FileHandle?

    init(path: String, segment: Int, offset: Int = 0) {
        self.path = path
        self.segment = segment
        self.offset = offset
        handle = FileHandle(forReadingAtPath: path)
    }

    /// Whether the segment file exists.
    var exists: Bool { handle != nil }

    /// The next complete, intact frame's payload, or `nil` at the end of what is written.
    ///
    /// A frame that is cut short is "not yet written" while the segment is `isLive` and the
    /// segment's torn end otherwise; both return `nil` without moving. A checksum mismatch on a
    /// complete frame throws ``QueueLogError``.
    mutating func nextFrame(isLive: Bool) throws -> [UInt8]? {
        guard let handle else { return nil }
        try handle.seek(toOffset: UInt64(offset))
        guard let header = try handle.read(upToCount: QueueLogFormat.frameHeaderSize),
              header.count == QueueLogFormat.frameHeaderSize
        else { return nil }
        let bytes = [UInt8](header)
        let length = Int(UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24)
        let crc = UInt32(bytes[4]) | UInt32(bytes[5]) << 8 | UInt32(bytes[6]) << 16 | UInt32(bytes[7]) << 24
        guard length <= QueueLogFormat.maximumFrameSize else {
            throw QueueLogError(message: "\(path): frame at offset \(offset) claims \(length) bytes")
        }
        let payload = length == 0 ? Data() : (try handle.read(upToCount: length) ?? Data())
        guard payload.count == length else { return nil }
        let body = [UInt8](payload)
        guard CRC32C.checksum(body) == crc else {
            if isLive { return nil }
            throw QueueLogError(message: "\(path): checksum mismatch in the frame at offset \(offset)")
        }
        offset += QueueLogFormat.frameHeaderSize + length
        return body
    }

    func close() {
        try? handle?.close()
    }
}

/// The sender's view of a ``QueueLog``: decodes frames into samples, following segments in order.
struct QueueReader {
    let log: QueueLog
    private(set) var cursor: SegmentCursor
    private var series: [SeriesRef: [UInt8]] = [:]
    /// Frames skipped as corrupt (their segment's rest is skipped too).
    private(set) var corruptions = 0

    /// A reader starting at `position` (the last acknowledged one).
    init(log: QueueLog, from position: QueueLog.Position) {
        self.log = log
        cursor = SegmentCursor(path: QueueLog.segmentPath(log.directory, position.segment), segment: position.segment, offset: position.offset)
        if position.offset > 0 {
            // Series are defined once per segment: re-learn those defined before the position.
            var earlier = SegmentCursor(path: cursor.path, segment: position.segment)
            var ignored: [QueueLog.Entry] = []
            while earlier.offset < position.offset, let frame = try? earlier.nextFrame(isLive: false) {
                decode(frame, into: &ignored)
                ignored.removeAll(keepingCapacity: true)
            }
            earlier.close()
        }
    }

    /// Where the next read starts.
    var position: QueueLog.Position { QueueLog.Position(segment: cursor.segment, offset: cursor.offset) }

    /// Up to about `maxSamples` samples (whole frames), in order; empty when nothing new is written.
    mutating func read(maxSamples: Int) -> [QueueLog.Entry] {
        var entries: [QueueLog.Entry] = []
        while entries.count < maxSamples {
            let writing = log.writingSegment
            let isLive = cursor.segment >= writing
            let frame: [UInt8]?
            do {
                frame = try cursor.nextFrame(isLive: isLive)
            } catch {
                corruptions += 1
                if !moveToNextSegment(writing: writing) { break }
                continue
            }
            guard let frame else {
                if isLive || !moveToNextSegment(writing: writing) { break }
                continue
            }
            decode(frame, into: &entries)
        }
        return entries
    }

    private mutating func decode(_ frame: [UInt8], into entries: inout [QueueLog.Entry]) {
        var reader = QueueLogReader(bytes: frame)
        do {
            while !reader.atEnd {
                switch try reader.byte() {
                case QueueLogFormat.seriesEntry:
                    let ref = try reader.uvarint()
                    let count = try reader.uvarint()
                    var builder = LabelsBuilder()
                    for _ in 0..<count {
                        let name = try reader.string()
                        builder.set(name, try reader.string())
                    }
                    series[ref] = WriteRequestEncoder.encodeLabels(builder.build())
                case QueueLogFormat.sampleEntry:
                    let ref = try reader.uvarint()
                    let timestamp = try reader.varint()
                    let value = Double(bitPattern: try reader.uint64())
                    if let labels = series[ref] {
                        entries.append(QueueLog.Entry(ref: ref, labelBytes: labels, timestamp: timestamp, value: value))
                    }
                default:
                    corruptions += 1
                    return
                }
            }
        } catch {
            corruptions += 1
        }
    }

    /// Moves to the next existing segment before the one being written (or to it); false when
    /// there is none yet.
    private mutating func moveToNextSegment(writing: Int) -> Bool {
        let next = QueueLog.segments(in: log.directory).first { $0 > cursor.segment } ?? (cursor.segment < writing ? writing : nil)
        guard let next else { return false }
        cursor.close()
        cursor = SegmentCursor(path: QueueLog.segmentPath(log.directory, next), segment: next)
        series = [:]
        return true
    }

    /// When the segment under the cursor was deleted (queue over its size limit), jump to the oldest one left.
    mutating func recoverIfMissing() {
        guard !cursor.exists else { return }
        let first = QueueLog.segments(in: log.directory).first ?? log.writingSegment
        cursor = SegmentCursor(path: QueueLog.segmentPath(log.directory, first), segment: first)
        series = [:]
    }
}
