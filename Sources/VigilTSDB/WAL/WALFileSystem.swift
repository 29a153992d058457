#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX file operations the WAL needs, each failing with a `TSDBError(.io)` naming the path.
internal enum WALFileSystem {
    static func errorMessage(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    static func ioError(_ operation: String, _ path: String, _ code: Int32 = errno) -> TSDBError {
        TSDBError(.io, "WAL: \(operation) \(path): \(errorMessage(code))")
    }

    /// Names of the entries of `directory`, without `.` and `..`, unsorted.
    static func list(_ directory: String) throws(TSDBError) -> [String] {
        guard let handle = opendir(directory) else { throw ioError("cannot list", directory) }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The size of the file at `path`, or nil when it does not exist.
    static func size(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }

    /// Creates `path` and any missing parents.
    static func makeDirectories(_ path: String) throws(TSDBError) {
        if isDirectory(path) { return }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw ioError("cannot create directory", prefix) }
            prefix += "/"
        }
    }

    /// Makes the directory's entries (creations, renames, unlinks) durable.
    static func syncDirectory(_ path: String) throws(TSDBError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError("cannot open directory", path) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw ioError("cannot fsync directory", path) }
    }

    static func rename(_ from: String, _ to: String) throws(TSDBError) {
        #if canImport(Glibc) || canImport(Musl)
        let result = Glibc.rename(from, to)
        #else
        let result = Darwin.rename(from, to)
        #endif
        if result != 0 { throw ioError("cannot rename to \(to):", from) }
    }

    static func removeFile(_ path: String) throws(TSDBError) {
        if unlink(path) != 0 && errno != ENOENT { throw ioError("cannot delete", path) }
    }

    /// Deletes a directory and everything under it (checkpoint directories hold only files).
    static func removeTree(_ path: String) throws(TSDBError) {
        guard isDirectory(path) else {
            try removeFile(path)
            return
        }
        for name in try list(path) { try removeTree(path + "/" + name) }
        if rmdir(path) != 0 && errno != ENOENT { throw ioError("cannot delete directory", path) }
    }

    /// Shrinks the file at `path` to `length` bytes and makes that durable.
    static func truncate(_ path: String, to length: Int64) throws(TSDBError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError("cannot open for truncation", path) }
        defer { close(fd) }
        if ftruncate(fd, off_t(length)) != 0 { throw ioError("cannot truncate to \(length) bytes", path) }
        if fsync(fd) != 0 { throw ioError("cannot fsync", path) }
    }

    /// Writes all of `bytes` at `offset`, retrying short writes and interruptions.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], at offset: Int64, path: String) throws(TSDBError) {
        let failure = bytes.withUnsafeBytes { bytes -> Int32? in
            var done = 0
            while done < bytes.count {
                let written = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + Int64(done)))
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                done += written
            }
            return nil
        }
        if let failure { throw ioError("cannot write \(bytes.count) bytes at offset \(offset) to", path, failure) }
    }

    /// fdatasync where the platform has it, fsync elsewhere.
    static func dataSync(_ fd: Int32) -> Int32 {
        #if canImport(Darwin)
        return fsync(fd)
        #else
        return fdatasync(fd)
        #endif
    }

    /// A segment's file name: its index as eight decimal digits.
    static func segmentName(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// The index a segment file name encodes, or nil when `name` is not a segment.
    static func segmentIndex(_ name: String) -> Int? {
        guard name.utf8.count >= 8, name.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(name)
    }

    static let checkpointPrefix = "checkpoint."

    /// The index of a finished checkpoint directory name (`checkpoint.00000012`), or nil.
    static func checkpointIndex(_ name: String) -> Int? {
        guard name.hasPrefix(checkpointPrefix) else { return nil }
        return segmentIndex(String(name.dropFirst(checkpointPrefix.count)))
    }
}

/// An open segment file; the descriptor closes when the last holder lets go, so a syncer never
/// fsyncs a descriptor number that was closed and reused meanwhile.
internal final class SegmentFile: Sendable {
    let fd: Int32
    let path: String
    let index: Int

    init(fd: Int32, path: String, index: Int) {
        self.fd = fd
        self.path = path
        self.index = index
    }

    deinit { close(fd) }
}
