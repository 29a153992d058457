import Synchronization
import VigilModel

/// One output's durable buffer: numbered segment files of ``BufferFrame``s, appended by the
/// pipeline and read by the output's sender (docs/formats/log-buffer.md).
///
/// An append is a `write(2)` of whole frames, so a frame survives SIGKILL once `append` returns;
/// ``sync()`` makes it survive power loss too (the pipeline syncs before it writes positions).
/// A segment is deleted once the sender has had every frame in it acknowledged *and* the
/// positions file covers its frames. Over `maxBytes`, ``dropOldest()`` deletes the oldest
/// segments, counting their lines.
final class DiskBuffer: Sendable {
    /// A place in the buffer: a segment and a byte offset in it.
    struct Position: Sendable, Equatable, Comparable {
        var segment: Int
        var offset: Int64

        static func < (lhs: Position, rhs: Position) -> Bool {
            (lhs.segment, lhs.offset) < (rhs.segment, rhs.offset)
        }
    }

    struct Segment: Sendable {
        var number: Int
        var bytes: Int64
        var lines: Int
        var maxSequence: UInt64
    }

    private struct State {
        var segments: [Segment]
        var descriptor: Int32
        /// Where the sender is: everything before was acknowledged.
        var sent: Position
        var sentSequence: UInt64
        /// The newest sequence number the positions file covers.
        var persistedSequence: UInt64
        var unsynced = false
        /// The newest appended frames, decoded, for the sender to take without reading them back.
        var recent: RecentFrames
    }

    let directory: String
    let segmentSize: Int64
    let maxBytes: Int64
    private let state: Mutex<State>

    /// Opens (creating) the buffer in `directory`; writing continues in a new segment. The newest
    /// `recentBytes` of appended frames stay in memory for the sender.
    init(directory: String, segmentSize: Int64, maxBytes: Int64, recentBytes: Int = RecentFrames.defaultCapacity) throws(LogsError) {
        self.directory = directory
        self.segmentSize = segmentSize
        self.maxBytes = maxBytes
        try PosixFile.makeDirectories(directory)
        var segments: [Segment] = []
        for number in Self.segmentNumbers(in: directory) {
            var segment = Segment(number: number, bytes: 0, lines: 0, maxSequence: 0)
            Self.scan(path: Self.path(directory, number)) { frame, size in
                segment.lines += frame.records.count
                segment.maxSequence = max(segment.maxSequence, frame.sequence)
                segment.bytes += Int64(size)
            }
            segment.bytes = PosixFile.status(path: Self.path(directory, number))?.size ?? segment.bytes
            segments.append(segment)
        }
        let progress = Self.loadProgress(directory + "/progress")
        let next = (segments.last?.number ?? 0) + 1
        guard let descriptor = PosixFile.openForAppending(Self.path(directory, next)) else {
            throw LogsError("cannot create buffer segment \(Self.path(directory, next)): \(PosixFile.errorText())")
        }
        segments.append(Segment(number: next, bytes: 0, lines: 0, maxSequence: 0))
        let sent = progress?.position ?? Position(segment: segments.first!.number, offset: 0)
        state = Mutex(
            State(
                segments: segments, descriptor: descriptor, sent: sent, sentSequence: progress?.sequence ?? 0,
                persistedSequence: 0, recent: RecentFrames(capacity: recentBytes)))
    }

    static func path(_ directory: String, _ segment: Int) -> String {
        let digits = String(segment)
        return directory + "/" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    static func segmentNumbers(in directory: String) -> [Int] {
        PosixFile.names(in: directory).compactMap { $0.count == 12 ? Int($0) : nil }.sorted()
    }

    /// Calls `body` with every intact frame of the segment at `path` and its size on disk, in order,
    /// stopping at the first torn or corrupt one.
    static func scan(path: String, _ body: (BufferFrame, Int) -> Void) {
        guard let descriptor = PosixFile.openForReading(path) else { return }
        defer { PosixFile.close(descriptor) }
        var offset: Int64 = 0
        while case .frame(let frame, let size) = readFrame(descriptor, at: offset) {
            body(frame, size)
            offset += Int64(size)
        }
    }

    enum ReadResult {
        case frame(BufferFrame, size: Int)
        /// Nothing (or only part of a frame) is written there yet.
        case end
        /// A complete frame that fails its checksum or does not decode.
        case corrupt
    }

    static func readFrame(_ descriptor: Int32, at offset: Int64) -> ReadResult {
        var header = [UInt8](repeating: 0, count: BufferFrame.headerSize)
        let count = header.withUnsafeMutableBytes { PosixFile.read(descriptor, into: $0, offset: offset) }
        guard count == BufferFrame.headerSize else { return .end }
        let (length, checksum) = header.withUnsafeBytes { (ByteWriter.readUInt32($0, at: 0), ByteWriter.readUInt32($0, at: 4)) }
        guard Int(length) <= BufferFrame.maximumSize else { return .corrupt }
        var payload = [UInt8](repeating: 0, count: Int(length))
        let read = payload.withUnsafeMutableBytes {
            $0.count == 0 ? 0 : PosixFile.read(descriptor, into: $0, offset: offset + Int64(BufferFrame.headerSize))
        }
        guard read == Int(length) else { return .end }
        guard CRC32C.checksum(payload) == checksum, let frame = payload.withUnsafeBytes({ BufferFrame.decode($0) }) else {
            return .corrupt
        }
        return .frame(frame, size: BufferFrame.headerSize + Int(length))
    }

    // MARK: Writing

    /// Appends one encoded frame holding `lines` lines, numbered `sequence`; `decoded`, the frame
    /// itself, is kept in memory a while so the sender can take it without reading it back.
    func append(_ frame: [UInt8], sequence: UInt64, lines: Int, decoded: BufferFrame? = nil) throws(LogsError) {
        try state.withLock { (state: inout State) throws(LogsError) in
            if state.segments[state.segments.count - 1].bytes >= segmentSize {
                PosixFile.sync(state.descriptor)
                PosixFile.close(state.descriptor)
                let next = state.segments[state.segments.count - 1].number + 1
                guard let descriptor = PosixFile.openForAppending(Self.path(directory, next)) else {
                    throw LogsError("cannot create buffer segment \(Self.path(directory, next)): \(PosixFile.errorText())")
                }
                state.descriptor = descriptor
                state.segments.append(Segment(number: next, bytes: 0, lines: 0, maxSequence: 0))
            }
            let written = frame.withUnsafeBytes { PosixFile.writeAll(state.descriptor, $0) }
            guard written else {
                throw LogsError("cannot write to buffer \(directory): \(PosixFile.errorText())")
            }
            let last = state.segments.count - 1
            if let decoded {
                state.recent.add(
                    decoded, at: Position(segment: state.segments[last].number, offset: state.segments[last].bytes), size: frame.count)
            }
            state.segments[last].bytes += Int64(frame.count)
            state.segments[last].lines += lines
            state.segments[last].maxSequence = max(state.segments[last].maxSequence, sequence)
            state.unsynced = true
        }
    }

    /// Flushes appended frames to the device.
    func sync() {
        state.withLock { state in
            guard state.unsynced else { return }
            PosixFile.sync(state.descriptor)
            state.unsynced = false
        }
    }

    /// Bytes on disk, sent or not.
    var totalBytes: Int64 { state.withLock { $0.segments.reduce(0) { $0 + $1.bytes } } }

    /// Whether the buffer has reached its cap.
    var isFull: Bool { totalBytes >= maxBytes }

    /// The newest sequence number this buffer holds or has sent.
    var highestSequence: UInt64 {
        state.withLock { state in max(state.sentSequence, state.segments.map(\.maxSequence).max() ?? 0) }
    }

    /// Every intact frame numbered after `sequence`, in order.
    func frames(after sequence: UInt64) -> [BufferFrame] {
        let numbers = state.withLock { $0.segments.map(\.number) }
        var frames: [BufferFrame] = []
        for number in numbers {
            Self.scan(path: Self.path(directory, number)) { frame, _ in
                if frame.sequence > sequence { frames.append(frame) }
            }
        }
        return frames
    }

    /// Records that the positions file now covers every frame up to `sequence`, and deletes the
    /// segments that were sent and are covered.
    func positionsPersisted(through sequence: UInt64) {
        state.withLock { state in
            state.persistedSequence = max(state.persistedSequence, sequence)
            deleteSent(&state)
        }
    }

    private func deleteSent(_ state: inout State) {
        while state.segments.count > 1, let first = state.segments.first, first.number < state.sent.segment,
              first.maxSequence <= state.persistedSequence
        {
            PosixFile.remove(Self.path(directory, first.number))
            state.segments.removeFirst()
        }
    }

    /// Deletes the oldest segments (never the one being written) while over the cap; returns the
    /// lines they held that had not been sent. The caller has persisted positions first.
    func dropOldest() -> Int {
        state.withLock { state in
            var dropped = 0
            while state.segments.reduce(0, { $0 + $1.bytes }) > maxBytes, state.segments.count > 1 {
                let first = state.segments.removeFirst()
                state.recent.forget(segment: first.number)
                PosixFile.remove(Self.path(directory, first.number))
                if first.number >= state.sent.segment { dropped += first.lines }
            }
            return dropped
        }
    }

    // MARK: Reading (the sender)

    /// The frame written at `position` and its size on disk, when it is still held in memory.
    func recentFrame(at position: Position) -> (frame: BufferFrame, size: Int)? {
        state.withLock { $0.recent.take(at: position) }
    }

    /// Where the sender resumes: after the last acknowledged frame.
    var sentPosition: Position { state.withLock { $0.sent } }

    /// The segments that exist now, oldest first, and the one being written.
    func segmentNumbers() -> (all: [Int], writing: Int) {
        state.withLock { state in (state.segments.map(\.number), state.segments.last!.number) }
    }

    /// Records that every frame before `position`, up to `sequence`, was acknowledged; persists it.
    func markSent(through position: Position, sequence: UInt64) {
        let progressPath = directory + "/progress"
        state.withLock { state in
            state.sent = max(state.sent, position)
            state.sentSequence = max(state.sentSequence, sequence)
            var writer = ByteWriter()
            writer.bytes.append(contentsOf: "\(state.sent.segment) \(state.sent.offset) \(state.sentSequence)\n".utf8)
            try? PosixFile.writeAtomically(progressPath, writer.bytes)
            deleteSent(&state)
        }
    }

    /// Closes the segment being written, syncing it.
    func close() {
        state.withLock { state in
            PosixFile.sync(state.descriptor)
            PosixFile.close(state.descriptor)
            state.descriptor = -1
        }
    }

    static func loadProgress(_ path: String) -> (position: Position, sequence: UInt64)? {
        guard let bytes = PosixFile.contents(path) else { return nil }
        let fields = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard fields.count == 3, let segment = Int(fields[0]), let offset = Int64(fields[1]), let sequence = UInt64(fields[2])
        else { return nil }
        return (Position(segment: segment, offset: offset), sequence)
    }
}
