#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import VigilModel

/// The POSIX calls block writing, reading and deletion need; every failure is an `.io` error
/// naming the path and the system's reason.
enum BlockFileSystem {
    static func ioError(_ what: String, _ path: String, _ code: Int32 = errno) -> TSDBError {
        TSDBError(.io, "\(what) \(path): \(String(cString: strerror(code)))")
    }

    static func makeDirectory(_ path: String) throws(TSDBError) {
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw ioError("cannot create directory", path) }
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func fileSize(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// Names in `path`, without `.` and `..`, sorted bytewise.
    static func list(_ path: String) throws(TSDBError) -> [String] {
        guard let directory = opendir(path) else { throw ioError("cannot list", path) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { ByteOrder.less($0, $1) }
    }

    /// Total size of the regular files under `path`, recursively.
    static func treeSize(_ path: String) -> Int64 {
        guard isDirectory(path) else { return fileSize(path) }
        var total: Int64 = 0
        for name in (try? list(path)) ?? [] { total += treeSize(path + "/" + name) }
        return total
    }

    /// Deletes `path` and everything under it; a missing path is not an error.
    static func removeTree(_ path: String) throws(TSDBError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw ioError("cannot stat", path)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in try list(path) { try removeTree(path + "/" + name) }
            if rmdir(path) != 0 && errno != ENOENT { throw ioError("cannot remove directory", path) }
        } else if unlink(path) != 0 && errno != ENOENT {
            throw ioError("cannot remove", path)
        }
    }

    static func rename(_ from: String, _ to: String) throws(TSDBError) {
        #if canImport(Glibc)
        let result = Glibc.rename(from, to)
        #elseif canImport(Musl)
        let result = Musl.rename(from, to)
        #else
        let result = Darwin.rename(from, to)
        #endif
        if result != 0 { throw ioError("cannot rename \(from) to", to) }
    }

    /// fsyncs a directory so the names created, renamed or removed in it are durable.
    static func syncDirectory(_ path: String) throws(TSDBError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw ioError("cannot open directory", path) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw ioError("cannot fsync directory", path) }
    }

    /// Writes `bytes` to a new file at `path` (replacing one), fsyncs and closes it.
    static func writeFile(_ path: String, _ bytes: [UInt8]) throws(TSDBError) {
        let file = try BlockOutputFile(path: path)
        try file.append(bytes)
        try file.finish()
    }

    static func readFile(_ path: String) throws(TSDBError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ioError("cannot open", path) }
        defer { close(fd) }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ioError("cannot read", path)
            }
            if count == 0 { return result }
            result.append(contentsOf: buffer[0..<count])
        }
    }
}

/// `Array.withUnsafeBytes` with a typed-throwing body (the standard one rethrows `any Error`).
func withBlockBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(TSDBError) -> R) throws(TSDBError) -> R {
    var result: Result<R, TSDBError>?
    bytes.withUnsafeBytes { raw in
        result = Result { () throws(TSDBError) -> R in try body(raw) }
    }
    return try result!.get()
}

/// A file being written sequentially through a buffer; ``finish()`` flushes, fsyncs and closes.
final class BlockOutputFile {
    let path: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    /// Bytes written so far (buffered included).
    private(set) var offset = 0

    init(path: String) throws(TSDBError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw BlockFileSystem.ioError("cannot create", path) }
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    func append(_ bytes: [UInt8]) throws(TSDBError) {
        try withBlockBytes(bytes) { (raw) throws(TSDBError) in try append(raw) }
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws(TSDBError) {
        offset += bytes.count
        if buffer.count + bytes.count > (1 << 20) { try flush() }
        if bytes.count >= (1 << 20) {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    private func flush() throws(TSDBError) {
        guard !buffer.isEmpty else { return }
        let pending = buffer
        buffer.removeAll(keepingCapacity: true)
        try withBlockBytes(pending) { (raw) throws(TSDBError) in try writeAll(raw) }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(TSDBError) {
        var done = 0
        while done < bytes.count {
            let count = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if count < 0 {
                if errno == EINTR { continue }
                throw BlockFileSystem.ioError("cannot write", path)
            }
            done += count
        }
    }

    /// Flushes, fsyncs and closes the file.
    func finish() throws(TSDBError) {
        try flush()
        if fsync(fd) != 0 { throw BlockFileSystem.ioError("cannot fsync", path) }
        let descriptor = fd
        fd = -1
        if close(descriptor) != 0 { throw BlockFileSystem.ioError("cannot close", path) }
    }
}

/// A read-only memory mapping of a whole file, unmapped when the last reference goes away.
///
/// `@unchecked Sendable`: the mapping is immutable (PROT_READ) and lives exactly as long as this
/// object, so concurrent reads through ``bytes`` are safe.
final class BlockMappedFile: @unchecked Sendable {
    let path: String
    let bytes: UnsafeRawBufferPointer

    init(path: String) throws(TSDBError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw BlockFileSystem.ioError("cannot open", path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw BlockFileSystem.ioError("cannot stat", path) }
        let size = Int(info.st_size)
        if size == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0)
        guard let address, address != MAP_FAILED else { throw BlockFileSystem.ioError("cannot mmap", path) }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
