import Foundation
import Synchronization
import VigilModel
import VigilTSDB

/// The durable queue of one remote-write destination: segment files its ``CommitObserver`` side
/// appends to, and a reader cursor the sender advances only after the receiver accepted.
///
/// Appends happen in the committing task (a `write(2)` per commit, so an acknowledged sample
/// survives SIGKILL; `fsync` every `syncInterval`). Segments roll at `segmentSize` bytes and are
/// deleted once fully sent. Over `maxBytes` the oldest unsent segment is dropped and counted, so
/// a receiver that never comes back cannot fill the disk.
final class QueueLog: Sendable {
    /// Where the reader is: a segment and a byte offset in it.
    struct Position: Sendable, Equatable, Comparable {
        var segment: Int
        var offset: Int

        static func < (lhs: Position, rhs: Position) -> Bool {
            (lhs.segment, lhs.offset) < (rhs.segment, rhs.offset)
        }
    }

    /// One sample read back, with the labels it is sent under.
    struct Entry: Sendable {
        /// The series' ref in the segment it was read from (stable per series while it lives).
        let ref: SeriesRef
        /// The series' labels, encoded as a TimeSeries' `labels` fields (shared by its samples).
        let labelBytes: [UInt8]
        let timestamp: Int64
        let value: Double
    }

    let directory: String
    let segmentSize: Int
    let maxBytes: Int64
    private let writer: Mutex<WriterState>
    private let dropped = Atomic<Int>(0)
    /// Poked after every append so a waiting reader wakes at once.
    let appended: AsyncStream<Void>
    private let appendedContinuation: AsyncStream<Void>.Continuation

    struct WriterState {
        var segment: Int
        var handle: FileHandle
        var size: Int
        var defined: Set<SeriesRef> = []
        var lastSync = ContinuousClock.now
        var unsynced = false
    }

    init(directory: String, segmentSize: Int = 32 << 20, maxBytes: Int64 = 4 << 30) throws {
        self.directory = directory
        self.segmentSize = segmentSize
        self.maxBytes = maxBytes
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Appending to an old segment would need its series table; a new segment needs none.
        let next = (Self.segments(in: directory).last ?? 0) + 1
        let handle = try Self.create(directory: directory, segment: next)
        writer = Mutex(WriterState(segment: next, handle: handle, size: 0))
        (appended, appendedContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    static func segmentPath(_ directory: String, _ segment: Int) -> String {
        directory + "/" + String(format: "%08d", segment)
    }

    static func segments(in directory: String) -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { $0.count == 8 ? Int($0) : nil }.sorted()
    }

    private static func create(directory: String, segment: Int) throws -> FileHandle {
        let path = segmentPath(directory, segment)
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw QueueLogError(message: "cannot create queue segment \(path)")
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw QueueLogError(message: "cannot open queue segment \(path)")
        }
        return handle
    }

    /// Samples dropped because the queue reached `maxBytes`.
    var droppedSamples: Int { dropped.load(ordering: .relaxed) }

    /// The segment being written.
    var writingSegment: Int { writer.withLock { $0.segment } }

    /// Appends `samples` (ref, labels as sent, timestamp, value) as one frame.
    func append(_ samples: [(ref: SeriesRef, labels: Labels, timestamp: Int64, value: Double)], syncInterval: Duration) throws {
        guard !samples.isEmpty else { return }
        try writer.withLock { state in
            if state.size >= segmentSize { try roll(&state) }
            var payload: [UInt8] = []
            payload.reserveCapacity(samples.count * 20)
            for sample in samples {
                if !state.defined.contains(sample.ref) {
                    payload.append(QueueLogFormat.seriesEntry)
                    QueueLogFormat.appendUVarint(sample.ref, to: &payload)
                    QueueLogFormat.appendUVarint(UInt64(sample.labels.count), to: &payload)
                    for label in sample.labels {
                        QueueLogFormat.appendString(label.name, to: &payload)
                        QueueLogFormat.appendString(label.value, to: &payload)
                    }
                    state.defined.insert(sample.ref)
                }
                payload.append(QueueLogFormat.sampleEntry)
                QueueLogFormat.appendUVarint(sample.ref, to: &payload)
                QueueLogFormat.appendVarint(sample.timestamp, to: &payload)
                QueueLogFormat.appendUInt64(sample.value.bitPattern, to: &payload)
            }
            let frame = QueueLogFormat.frame(payload)
            try state.handle.write(contentsOf: frame)
            state.size += frame.count
            state.unsynced = true
            if ContinuousClock.now - state.lastSync >= syncInterval {
                try state.handle.synchronize()
                state.lastSync = .now
                state.unsynced = false
            }
        }
        appendedContinuation.yield()
    }

    private func roll(_ state: inout WriterState) throws {
        try state.handle.synchronize()
        try state.handle.close()
        state.segment += 1
        state.handle = try Self.create(directory: directory, segment: state.segment)
        state.size = 0
        state.defined = []
        enforceLimit(writing: state.segment)
    }

    /// Deletes the oldest segments while the queue is over `maxBytes`, counting their samples.
    private func enforceLimit(writing: Int) {
        var segments = Self.segments(in: directory)
        var total = segments.reduce(Int64(0)) { $0 + Self.size(of: Self.segmentPath(directory, $1)) }
        while total > maxBytes, let oldest = segments.first, oldest < writing {
            let path = Self.segmentPath(directory, oldest)
            let size = Self.size(of: path)
            let samples = (try? Self.countSamples(path: path)) ?? 0
            try? FileManager.default.removeItem(atPath: path)
            dropped.wrappingAdd(samples, ordering: .relaxed)
            total -= size
            segments.removeFirst()
        }
    }

    static func size(of path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// Flushes appended frames to disk.
    func sync() {
        writer.withLock { state in
            guard state.unsynced else { return }
            try? state.handle.synchronize()
            state.lastSync = .now
            state.unsynced = false
        }
    }

    /// Syncs and closes the segment being written.
    func close() {
        writer.withLock { state in
            try? state.handle.synchronize()
            try? state.handle.close()
        }
        appendedContinuation.finish()
    }

    /// Deletes every segment before `segment` (fully sent).
    func deleteSegments(before segment: Int) {
        for old in Self.segments(in: directory) where old < segment {
            try? FileManager.default.removeItem(atPath: Self.segmentPath(directory, old))
        }
    }

    private static func countSamples(path: String) throws -> Int {
        var cursor = SegmentCursor(path: path, segment: 0)
        var count = 0
        while let frame = try cursor.nextFrame(isLive: false) {
            var reader = QueueLogReader(bytes: frame)
            while !reader.atEnd {
                switch try reader.byte() {
                case QueueLogFormat.seriesEntry:
                    _ = try reader.uvarint()
                    let labels = try reader.uvarint()
                    for _ in 0..<labels {
                        _ = try reader.string()
                        _ = try reader.string()
                    }
                case QueueLogFormat.sampleEntry:
                    _ = try reader.uvarint()
                    _ = try reader.varint()
                    _ = try reader.uint64()
                    count += 1
                default:
                    return count
                }
            }
        }
        return count
    }
}

/// Why the queue could not be written or read.
struct QueueLogError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
