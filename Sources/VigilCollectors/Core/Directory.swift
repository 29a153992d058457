#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Small file-system queries collectors need beyond reading files: listing a directory,
/// following a symlink, telling a directory from a file, a file's modification time.
public enum Directory {
    /// The names in `path`, without `.` and `..`, sorted bytewise.
    ///
    /// - Throws: ``CollectorError`` when the directory cannot be opened.
    public static func entries(_ path: String) throws(CollectorError) -> [String] {
        guard let handle = opendir(path) else { throw .system(errno, path: path, operation: "opendir") }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        return names.sorted()
    }

    /// The names in a sysfs class directory (`/sys/class/hwmon`); a class the kernel does not
    /// have means the hardware or driver is absent: ``CollectorError/noData(_:_:)`` saying `absent`.
    public static func classEntries(_ path: String, absent: String) throws(CollectorError) -> [String] {
        do throws(CollectorError) {
            return try entries(path)
        } catch where error.isNotFound {
            throw .noData(path, absent)
        }
    }

    /// The target of the symlink at `path`, or nil when it is not a symlink or cannot be read.
    public static func linkTarget(_ path: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBufferPointer { pointer in
            pointer.withMemoryRebound(to: CChar.self) { readlink(path, $0.baseAddress!, $0.count) }
        }
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    /// Whether `path` exists and is (or links to) a directory.
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether anything exists at `path` (following symlinks).
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// The modification time of `path` in seconds since the epoch, with nanoseconds.
    public static func modificationTime(_ path: String) throws(CollectorError) -> Double {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .system(errno, path: path, operation: "stat") }
        #if canImport(Darwin)
        return Double(info.st_mtimespec.tv_sec) + Double(info.st_mtimespec.tv_nsec) / 1e9
        #else
        return Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        #endif
    }

    /// The last component of a path (`/a/b/c` → `c`).
    static func baseName(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return String(trimmed) }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// Everything before the last component (`/a/b/c` → `/a/b`).
    static func parent(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// `link` resolved against the directory holding `path` when relative, with `.` and `..`
    /// components folded away.
    static func resolve(_ link: String, relativeTo path: String) -> String {
        let joined = link.hasPrefix("/") ? link : parent(path) + "/" + link
        var parts: [Substring] = []
        for part in joined.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}
