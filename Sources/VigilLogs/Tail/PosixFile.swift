#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import VigilModel

/// The few POSIX file calls the tailer uses, with `EINTR` retried.
enum PosixFile {
    struct Status {
        var key: InodeKey
        var size: Int64
        var isRegular: Bool
        /// Last modification, nanoseconds since the epoch.
        var modified: Int64
    }

    private static func status(_ info: stat) -> Status {
        #if canImport(Darwin)
        let modified = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        #else
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        #endif
        return Status(
            key: InodeKey(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)), size: Int64(info.st_size),
            isRegular: (info.st_mode & S_IFMT) == S_IFREG, modified: modified)
    }

    static func status(path: String) -> Status? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return status(info)
    }

    static func status(descriptor: Int32) -> Status? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        return status(info)
    }

    static func openForReading(_ path: String) -> Int32? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        return descriptor >= 0 ? descriptor : nil
    }

    static func close(_ descriptor: Int32) {
        _ = systemClose(descriptor)
    }

    /// Reads up to `count` bytes at `offset` into `buffer` from `start`; the bytes read, 0 at the end, -1 on error.
    static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, offset: Int64) -> Int {
        while true {
            let result = pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
            if result < 0 && errno == EINTR { continue }
            return result
        }
    }

    /// The identity of the open file `descriptor`, or nil while its first line is still incomplete.
    static func identity(of descriptor: Int32, key: InodeKey) -> FileIdentity? {
        var head = [UInt8](repeating: 0, count: FileIdentity.fingerprintBytes)
        let count = head.withUnsafeMutableBytes { read(descriptor, into: $0, offset: 0) }
        guard count > 0 else { return nil }
        let length: Int
        if let newline = head[0..<count].firstIndex(of: UInt8(ascii: "\n")) {
            length = newline + 1
        } else if count == FileIdentity.fingerprintBytes {
            length = count
        } else {
            return nil
        }
        let fingerprint = head.withUnsafeBytes { XXHash64.hash(UnsafeRawBufferPointer(rebasing: $0[0..<length])) }
        return FileIdentity(device: key.device, inode: key.inode, fingerprint: fingerprint, fingerprintLength: length)
    }

    /// Whether the first bytes of `descriptor` still hash to `identity`'s fingerprint.
    static func stillMatches(_ descriptor: Int32, _ identity: FileIdentity) -> Bool {
        var head = [UInt8](repeating: 0, count: identity.fingerprintLength)
        let count = head.withUnsafeMutableBytes { read(descriptor, into: $0, offset: 0) }
        guard count == identity.fingerprintLength else { return false }
        return head.withUnsafeBytes { XXHash64.hash($0) } == identity.fingerprint
    }

    /// The offset just after the last newline before `size` (at most 64 KiB back; else `size`).
    static func lastLineEnd(_ descriptor: Int32, size: Int64) -> Int64 {
        let window = Int(min(size, 64 << 10))
        guard window > 0 else { return 0 }
        var tail = [UInt8](repeating: 0, count: window)
        let count = tail.withUnsafeMutableBytes { read(descriptor, into: $0, offset: size - Int64(window)) }
        guard count == window, let newline = tail.lastIndex(of: UInt8(ascii: "\n")) else { return size }
        return size - Int64(window) + Int64(newline) + 1
    }

    /// Opens (creating) `path` for appending.
    static func openForAppending(_ path: String) -> Int32? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        return descriptor >= 0 ? descriptor : nil
    }

    /// Writes all of `bytes`; false on an error (errno set).
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var written = 0
        while written < bytes.count {
            let result = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                return false
            }
            written += result
        }
        return true
    }

    /// Flushes `descriptor`'s data to the device.
    static func sync(_ descriptor: Int32) {
        #if canImport(Darwin)
        _ = fsync(descriptor)
        #else
        _ = fdatasync(descriptor)
        #endif
    }

    /// Replaces `path` with `bytes` so that a crash leaves the old or the new content, never a
    /// mix: a temporary file written and synced, renamed over `path`, the directory synced.
    static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws(LogsError) {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw LogsError("cannot create \(temporary): \(errorText())") }
        let written = bytes.withUnsafeBytes { writeAll(descriptor, $0) }
        _ = fsync(descriptor)
        close(descriptor)
        guard written else { throw LogsError("cannot write \(temporary): \(errorText())") }
        guard rename(temporary, path) == 0 else { throw LogsError("cannot rename \(temporary): \(errorText())") }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let directoryDescriptor = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// The whole content of `path`, or nil when it cannot be read.
    static func contents(_ path: String) -> [UInt8]? {
        guard let descriptor = openForReading(path) else { return nil }
        defer { close(descriptor) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, into: $0, offset: Int64(result.count)) }
            if count < 0 { return nil }
            if count == 0 { return result }
            result.append(contentsOf: chunk[0..<count])
        }
    }

    /// Creates `path` and its missing parents.
    static func makeDirectories(_ path: String) throws(LogsError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw LogsError("cannot create directory \(current): \(errorText())")
            }
        }
    }

    static func remove(_ path: String) {
        _ = unlink(path)
    }

    /// Renames `source` to `destination`, replacing it; false (errno set) on failure.
    static func move(_ source: String, to destination: String) -> Bool {
        rename(source, destination) == 0
    }

    static func errorText() -> String {
        String(cString: strerror(errno))
    }

    /// The names in `directory` (not `.` and `..`).
    static func names(in directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Whether `path` names a compressed file (rotated and compressed: never tailed).
    static func isCompressed(_ path: String) -> Bool {
        for suffix in [".gz", ".bz2", ".xz", ".zst", ".zip", ".lz4"] where path.hasSuffix(suffix) { return true }
        guard let descriptor = openForReading(path) else { return false }
        defer { close(descriptor) }
        var magic = [UInt8](repeating: 0, count: 2)
        let count = magic.withUnsafeMutableBytes { read(descriptor, into: $0, offset: 0) }
        return count == 2 && magic[0] == 0x1f && magic[1] == 0x8b
    }
}

#if canImport(Darwin)
private let systemClose = Darwin.close
#elseif canImport(Musl)
private let systemClose = Musl.close
#else
private let systemClose = Glibc.close
#endif
