#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads whole small files (procfs, sysfs) with plain `open`/`read` into one buffer that is
/// reused from file to file, so a scrape allocates almost nothing for its reads.
///
/// The slice ``read(_:)`` returns views the buffer: use it before the next read (keeping it is
/// safe, it only costs a copy). Not shared between threads; each scrape has its own.
public struct FileReader: Sendable {
    private var buffer: [UInt8]
    /// The most a file may hold; procfs files larger than this are cut (none of ours come close).
    public let limit: Int

    /// A reader with a buffer of `capacity` bytes that grows up to `limit`.
    public init(capacity: Int = 16 << 10, limit: Int = 16 << 20) {
        buffer = [UInt8](repeating: 0, count: capacity)
        self.limit = limit
    }

    /// The contents of `path`.
    ///
    /// - Throws: ``CollectorError`` naming the path and the failed call (not found, permission
    ///   denied, ...).
    public mutating func read(_ path: String) throws(CollectorError) -> ArraySlice<UInt8> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .system(errno, path: path, operation: "open") }
        defer { close(fd) }
        var filled = 0
        while true {
            if filled == buffer.count {
                guard buffer.count < limit else { break }
                buffer.append(contentsOf: repeatElement(0, count: min(buffer.count, limit - buffer.count)))
            }
            let start = filled
            let count = buffer.withUnsafeMutableBytes { raw in
                systemRead(fd, raw.baseAddress! + start, raw.count - start)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system(errno, path: path, operation: "read")
            }
            if count == 0 { break }
            filled += count
        }
        return buffer[0..<filled]
    }

    /// The contents of `path` with surrounding whitespace removed, as a string.
    public mutating func readString(_ path: String) throws(CollectorError) -> String {
        String(decoding: ByteText.trimmed(try read(path)), as: UTF8.self)
    }

    /// The contents of `path` as an unsigned integer (sysfs attributes such as `max_state`).
    public mutating func readUInt(_ path: String) throws(CollectorError) -> UInt64 {
        let bytes = ByteText.trimmed(try read(path))
        guard let value = ByteText.uint64(bytes) else {
            throw .malformed(path, "expected an unsigned integer, found \"\(String(decoding: bytes.prefix(40), as: UTF8.self))\"")
        }
        return value
    }

    /// The contents of `path` as a signed integer (temperatures in millidegrees may be negative).
    public mutating func readInt(_ path: String) throws(CollectorError) -> Int64 {
        let bytes = ByteText.trimmed(try read(path))
        guard let value = ByteText.int64(bytes) else {
            throw .malformed(path, "expected an integer, found \"\(String(decoding: bytes.prefix(40), as: UTF8.self))\"")
        }
        return value
    }
}

@inline(__always)
private func systemRead(_ fd: Int32, _ pointer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, pointer, count)
}
