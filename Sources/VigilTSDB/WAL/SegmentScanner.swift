#if canImport(Glibc)
import VigilModel
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a segment's frames in order and says where (and why) it stopped if it stopped early.
internal enum SegmentScanner {
    /// Every segment starts with these 8 bytes: "VWAL", format version 1, three zero bytes.
    static let header: [UInt8] = [0x56, 0x57, 0x41, 0x4C, 1, 0, 0, 0]
    static var headerSize: Int64 { Int64(header.count) }

    /// Where a segment's good frames end and why.
    struct Damage {
        /// The offset of the first byte that is not part of a good frame.
        var offset: Int64
        /// The bytes from `offset` to the end that were not replayed.
        var droppedBytes: Int64
        /// What was wrong there.
        var reason: String
        /// True when the damage looks like an interrupted write at the tail rather than bit rot.
        var torn: Bool
        /// True when the segment header itself is bad or from an unknown version.
        var badHeader: Bool = false
    }

    enum Outcome {
        /// Every byte up to `end` was a good frame.
        case clean(end: Int64)
        case damaged(Damage)
    }

    /// Scans `path` up to `limit` bytes (the whole file when nil), handing each frame's payload and
    /// offset to `body`; a decode error from `body` counts as damage at that frame.
    static func scan(
        path: String,
        limit: Int64? = nil,
        _ body: (UnsafeRawBufferPointer, Int64) throws(WALRecordCodec.DecodeOrHandlerError) -> Void
    ) throws(TSDBError) -> Outcome {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw WALFileSystem.ioError("cannot open", path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw WALFileSystem.ioError("cannot stat", path) }
        let end = min(Int64(info.st_size), limit ?? Int64.max)
        if end == 0 { return .clean(end: 0) }

        var reader = BufferedReader(fd: fd, path: path, end: end)
        defer { reader.deallocate() }

        guard try reader.ensure(header.count) else {
            return .damaged(Damage(offset: 0, droppedBytes: end, reason: "segment header torn (\(end) of 8 bytes)", torn: true, badHeader: true))
        }
        let head = reader.peek(header.count)
        if !head.elementsEqual(header) {
            // No exception for other versions: a format change gets a new magic, so a header that
            // differs here is damage (the header is outside every frame's checksum).
            let reason = "bad segment header \(head.map { String($0, radix: 16) }.joined(separator: " "))"
            return .damaged(Damage(offset: 0, droppedBytes: end, reason: reason, torn: false, badHeader: true))
        }
        reader.consume(header.count)

        let frameHeaderSize = WALRecordCodec.frameHeaderSize
        while true {
            let offset = reader.offset
            let remaining = end - offset
            if remaining == 0 { return .clean(end: offset) }
            func damage(_ reason: String, torn: Bool) -> Outcome {
                .damaged(Damage(offset: offset, droppedBytes: remaining, reason: reason, torn: torn))
            }
            guard try reader.ensure(frameHeaderSize) else {
                return damage("torn frame header (\(remaining) bytes at end)", torn: true)
            }
            let frameHeader = reader.peekRaw(frameHeaderSize)
            let storedCRC = UInt32(littleEndian: frameHeader.loadUnaligned(as: UInt32.self))
            let type = frameHeader[4]
            let length = UInt32(littleEndian: frameHeader.loadUnaligned(fromByteOffset: 5, as: UInt32.self))
            if type == 0 && storedCRC == 0 && length == 0 {
                return damage("zero-filled bytes where a frame should start (torn write)", torn: true)
            }
            guard type == WALRecordCodec.frameTypeBatch else {
                return damage("unknown frame type \(type)", torn: false)
            }
            let frameSize = Int64(frameHeaderSize) + Int64(length)
            guard frameSize <= remaining else {
                return damage("frame of \(frameSize) bytes runs past the end (\(remaining) bytes left; torn write)", torn: true)
            }
            guard try reader.ensure(Int(frameSize)) else {
                return damage("frame of \(frameSize) bytes runs past the end of file", torn: true)
            }
            let frame = reader.peekRaw(Int(frameSize))
            let computed = CRC32C.update(0, UnsafeRawBufferPointer(rebasing: frame[4...]))
            guard computed == storedCRC else {
                let last = frameSize == remaining
                return damage(
                    "checksum mismatch (stored 0x\(String(storedCRC, radix: 16)), computed 0x\(String(computed, radix: 16)))"
                        + (last ? " in the last frame (torn write)" : ""),
                    torn: last)
            }
            do {
                try body(UnsafeRawBufferPointer(rebasing: frame[frameHeaderSize...]), offset)
            } catch {
                switch error {
                case .decode(let decode):
                    return damage("undecodable record at payload byte \(decode.offset): \(decode.reason)", torn: false)
                case .handler(let handlerError):
                    throw handlerError
                }
            }
            reader.consume(Int(frameSize))
        }
    }
}

/// A forward-only window over a file read with pread in large chunks.
private struct BufferedReader {
    let fd: Int32
    let path: String
    let end: Int64
    var buffer: UnsafeMutableRawBufferPointer
    /// File offset of `buffer[0]`.
    var bufferOffset: Int64 = 0
    /// Valid bytes in `buffer`.
    var filled = 0
    /// Read position within `buffer`.
    var position = 0

    init(fd: Int32, path: String, end: Int64) {
        self.fd = fd
        self.path = path
        self.end = end
        self.buffer = .allocate(byteCount: Int(min(end, 4 << 20)) + 16, alignment: 16)
    }

    var offset: Int64 { bufferOffset + Int64(position) }

    func deallocate() { buffer.deallocate() }

    /// Makes `count` bytes available at the read position; false at end of data.
    mutating func ensure(_ count: Int) throws(TSDBError) -> Bool {
        if filled - position >= count { return true }
        if Int64(count) > end - offset { return false }
        if position > 0 {
            let live = filled - position
            if live > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + position, byteCount: live) }
            bufferOffset += Int64(position)
            filled = live
            position = 0
        }
        if count > buffer.count {
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
            bigger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: filled)
            buffer.deallocate()
            buffer = bigger
        }
        while filled < count {
            let want = min(buffer.count - filled, Int(end - bufferOffset) - filled)
            let got = pread(fd, buffer.baseAddress! + filled, want, off_t(bufferOffset + Int64(filled)))
            if got < 0 {
                if errno == EINTR { continue }
                throw WALFileSystem.ioError("cannot read", path)
            }
            if got == 0 { return false }
            filled += got
        }
        return true
    }

    func peek(_ count: Int) -> [UInt8] {
        Array(UnsafeRawBufferPointer(rebasing: buffer[position..<(position + count)]))
    }

    func peekRaw(_ count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: buffer[position..<(position + count)])
    }

    mutating func consume(_ count: Int) { position += count }
}
