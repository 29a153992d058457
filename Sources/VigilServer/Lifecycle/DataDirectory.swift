#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The `--data-dir` of a running server, created on start and held with an exclusive `flock`
/// on `lock`, so a second Vigil pointed at the same directory fails fast instead of corrupting it.
public final class DataDirectory: Sendable {
    /// The directory path as given.
    public let path: String
    private let lockDescriptor: Int32

    /// Creates `path` (and parents) if needed and takes the lock.
    public init(path: String) throws(DataDirectoryError) {
        self.path = path
        try Self.makeDirectories(path)
        let lockPath = path + "/lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw DataDirectoryError(path: lockPath, reason: "cannot open: \(Self.errorText())")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno == EWOULDBLOCK
                ? "another process holds the lock; is another vigil running with this --data-dir?"
                : "cannot lock: \(Self.errorText())"
            close(descriptor)
            throw DataDirectoryError(path: lockPath, reason: reason)
        }
        lockDescriptor = descriptor
    }

    /// A subdirectory for one module's files (`metrics`, `alerts`, ...), created if needed.
    public func subdirectory(_ name: String) throws(DataDirectoryError) -> String {
        let full = path + "/" + name
        try Self.makeDirectories(full)
        return full
    }

    deinit {
        close(lockDescriptor)
    }

    private static func makeDirectories(_ path: String) throws(DataDirectoryError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw DataDirectoryError(path: prefix, reason: "cannot create directory: \(errorText())")
            }
            prefix += "/"
        }
        guard let directory = opendir(path) else {
            throw DataDirectoryError(path: path, reason: "exists and is not a directory")
        }
        closedir(directory)
    }

    private static func errorText() -> String {
        String(cString: strerror(errno))
    }
}

/// The data directory could not be created or locked.
public struct DataDirectoryError: Error, CustomStringConvertible {
    /// The file or directory concerned.
    public var path: String
    /// What went wrong.
    public var reason: String
    /// `data directory <path>: <reason>`.
    public var description: String { "data directory \(path): \(reason)" }
}
