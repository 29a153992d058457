#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import VigilModel

/// The log store's write-ahead log: numbered segment files (`00000000`, `00000001`, …) of
/// CRC32C-framed records, as the TSDB's WAL (docs/formats/log-wal.md).
///
/// Frame: payload length u32 LE | CRC32C(payload) u32 LE | payload. One push is one frame,
/// written with one write(2) and, when `sync`, fdatasync'd before ``log(_:)`` returns. Opening
/// always starts a new segment, so nothing is appended after a possibly torn tail. Callers
/// serialize ``log(_:)`` themselves (the store's ingest lock).
final class LogWAL: Sendable {
    /// A frame claiming more than this is corruption.
    static let maximumFrame = 1 << 30

    let directory: String
    let segmentSize: Int
    let sync: Bool

    private struct State {
        var descriptor: Int32
        var segment: Int
        var segmentBytes: Int
        /// Bytes of every segment on disk, kept as frames are written and segments deleted.
        var totalBytes = 0
        var closed = false
    }

    private let state: Mutex<State>

    init(directory: String, segmentSize: Int, sync: Bool) throws(LogStoreError) {
        self.directory = directory
        self.segmentSize = max(segmentSize, 64 << 10)
        self.sync = sync
        try FileIO.makeDirectories(directory)
        let next = (try Self.segments(directory).last ?? -1) + 1
        let descriptor = try Self.create(directory, next, sync: sync)
        var initial = State(descriptor: descriptor, segment: next, segmentBytes: 0)
        initial.totalBytes = (try Self.segments(directory)).reduce(0) { $0 + (FileIO.fileSize(Self.path(directory, $1)) ?? 0) }
        state = Mutex(initial)
    }

    deinit {
        state.withLock { state in
            if !state.closed { close(state.descriptor) }
        }
    }

    static func path(_ directory: String, _ segment: Int) -> String {
        let digits = String(segment)
        return directory + "/" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    static func segments(_ directory: String) throws(LogStoreError) -> [Int] {
        try FileIO.list(directory).compactMap { name in name.count == 8 ? Int(name) : nil }.sorted()
    }

    private static func create(_ directory: String, _ segment: Int, sync: Bool) throws(LogStoreError) -> Int32 {
        let path = path(directory, segment)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileIO.failure("cannot create WAL segment", path) }
        if sync { FileIO.syncDirectory(of: path) }
        return descriptor
    }

    /// The segment being written.
    var currentSegment: Int { state.withLock { $0.segment } }

    /// Appends `payload` as one frame; durable (fdatasync) before returning when `sync`.
    func log(_ payload: [UInt8]) throws(LogStoreError) {
        var frame = ByteSink()
        frame.bytes.reserveCapacity(payload.count + 8)
        frame.uint32(UInt32(payload.count))
        frame.uint32(CRC32C.checksum(payload))
        frame.bytes.append(contentsOf: payload)
        try state.withLock { state throws(LogStoreError) in
            guard !state.closed else { throw LogStoreError(.closed, "log store WAL \(directory) is closed") }
            if state.segmentBytes > 0 && state.segmentBytes + frame.bytes.count > segmentSize {
                try cut(&state)
            }
            let path = Self.path(directory, state.segment)
            do throws(LogStoreError) {
                try FileIO.writeAll(state.descriptor, frame.bytes, path: path)
            } catch {
                // A partial frame would hide every later frame of the segment from replay.
                _ = ftruncate(state.descriptor, off_t(state.segmentBytes))
                throw error
            }
            if sync && fdatasync(state.descriptor) != 0 { throw FileIO.failure("cannot fdatasync", path) }
            state.segmentBytes += frame.bytes.count
            state.totalBytes += frame.bytes.count
        }
    }

    /// Closes the current segment and starts the next; returns the new segment's number.
    @discardableResult
    func cutSegment() throws(LogStoreError) -> Int {
        try state.withLock { state throws(LogStoreError) -> Int in
            guard !state.closed else { throw LogStoreError(.closed, "log store WAL \(directory) is closed") }
            try cut(&state)
            return state.segment
        }
    }

    private func cut(_ state: inout State) throws(LogStoreError) {
        if sync && fdatasync(state.descriptor) != 0 { throw FileIO.failure("cannot fdatasync", Self.path(directory, state.segment)) }
        close(state.descriptor)
        state.segment += 1
        state.descriptor = try Self.create(directory, state.segment, sync: sync)
        state.segmentBytes = 0
    }

    /// Deletes segments numbered below `segment`.
    func deleteSegments(before segment: Int) throws(LogStoreError) {
        var removed = 0
        for index in try Self.segments(directory) where index < segment {
            removed += FileIO.fileSize(Self.path(directory, index)) ?? 0
            unlink(Self.path(directory, index))
        }
        state.withLock { $0.totalBytes = max(0, $0.totalBytes - removed) }
    }

    /// Bytes in every segment on disk, as counted while writing.
    func totalBytes() -> Int {
        state.withLock { $0.totalBytes }
    }

    /// Syncs and closes the current segment; later logs throw.
    func shutDown() {
        state.withLock { state in
            guard !state.closed else { return }
            if sync { _ = fdatasync(state.descriptor) }
            close(state.descriptor)
            state.closed = true
        }
    }

    /// Damage found on replay: where a segment stopped making sense, and how much was cut.
    struct Damage: Sendable, Equatable, CustomStringConvertible {
        var segment: Int
        var offset: Int
        var droppedBytes: Int
        var reason: String
        var description: String { "segment \(segment) at byte \(offset): \(reason); \(droppedBytes) bytes dropped" }
    }

    /// Reads every frame of segments numbered `from` or above, in order, calling `body` with each
    /// verified payload. A frame that is short or fails its checksum ends its segment: the rest is
    /// cut off the file (a torn tail) and reported.
    static func replay(
        directory: String, from first: Int, _ body: (UnsafeRawBufferPointer, Int) throws(LogStoreError) -> Void
    ) throws(LogStoreError) -> [Damage] {
        var damage: [Damage] = []
        for segment in try segments(directory) where segment >= first {
            let path = path(directory, segment)
            let bytes = try FileIO.readAll(path)
            var offset = 0
            var problem: String?
            try withBytes(bytes) { raw throws(LogStoreError) in
                while offset < raw.count {
                    guard raw.count - offset >= 8 else { problem = "short frame header"; return }
                    let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                    let crc = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
                    guard length <= maximumFrame, raw.count - offset - 8 >= length else { problem = "frame of \(length) bytes runs past the end"; return }
                    let payload = UnsafeRawBufferPointer(rebasing: raw[offset + 8..<offset + 8 + length])
                    guard CRC32C.update(0, payload) == crc else { problem = "frame fails its checksum"; return }
                    try body(payload, segment)
                    offset += 8 + length
                }
            }
            if let problem {
                damage.append(Damage(segment: segment, offset: offset, droppedBytes: bytes.count - offset, reason: problem))
                _ = truncate(path, off_t(offset))
            }
        }
        return damage
    }
}
