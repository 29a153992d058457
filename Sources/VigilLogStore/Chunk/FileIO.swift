#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX file operations the store needs, with errors that name the path.
enum FileIO {
    static func errorMessage(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    static func failure(_ what: String, _ path: String) -> LogStoreError {
        .io("\(what) \(path): \(errorMessage(errno))")
    }

    static func makeDirectories(_ path: String) throws(LogStoreError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST { throw failure("cannot create directory", current) }
        }
    }

    static func list(_ directory: String) throws(LogStoreError) -> [String] {
        guard let handle = opendir(directory) else { throw failure("cannot list", directory) }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static func readAll(_ path: String, limit: Int = 1 << 34) throws(LogStoreError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("cannot open", path) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw failure("cannot stat", path) }
        let size = Int(info.st_size)
        guard size <= limit else { throw .io("\(path) is \(size) bytes, more than \(limit)") }
        return try readRange(descriptor, offset: 0, count: size, path: path)
    }

    static func readRange(_ descriptor: Int32, offset: Int, count: Int, path: String) throws(LogStoreError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let result = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if result < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read", path)
            }
            if result == 0 { break }
            done += result
        }
        if done < count { bytes.removeSubrange(done...) }
        return bytes
    }

    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws(LogStoreError) {
        var done = 0
        while done < bytes.count {
            let result = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + done, bytes.count - done) }
            if result < 0 {
                if errno == EINTR { continue }
                throw failure("cannot write", path)
            }
            done += result
        }
    }

    /// Writes `bytes` to `path` so that a crash leaves the old file or the whole new one:
    /// temp file, fdatasync, rename, fsync of the directory.
    static func writeAtomically(_ path: String, _ bytes: [UInt8], sync: Bool) throws(LogStoreError) {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("cannot create", temporary) }
        do throws(LogStoreError) {
            try writeAll(descriptor, bytes, path: temporary)
            if sync && fdatasync(descriptor) != 0 { throw failure("cannot fdatasync", temporary) }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else { throw failure("cannot rename into", path) }
        if sync { syncDirectory(of: path) }
    }

    static func syncDirectory(of path: String) {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    static func fileSize(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }
}
