import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A state file replaced atomically: written to `path.tmp`, fsynced, renamed over `path`, and
/// the directory fsynced, so a crash leaves either the old or the new snapshot, never half of one.
struct SnapshotFile: Sendable {
    /// Where the snapshot lives.
    let path: String

    /// Replaces the snapshot with `bytes`.
    func replace(with bytes: [UInt8]) throws(SnapshotError) {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("cannot create", temporary) }
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0 {
                if errno == EINTR { continue }
                let error = failure("cannot write", temporary)
                close(descriptor)
                unlink(temporary)
                throw error
            }
            offset += count
        }
        guard fsync(descriptor) == 0 else {
            let error = failure("cannot sync", temporary)
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else { throw failure("cannot rename \(temporary) to", path) }
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let directoryDescriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            defer { close(directoryDescriptor) }
            guard fsync(directoryDescriptor) == 0 else { throw failure("cannot sync the directory of", path) }
        }
    }

    /// The snapshot's bytes, or nil when there is none yet.
    func contents() throws(SnapshotError) -> [UInt8]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SnapshotError(path: path, message: "cannot read \(path) (is it a directory, or unreadable?)")
        }
        return Array(data)
    }

    private func failure(_ action: String, _ file: String) -> SnapshotError {
        SnapshotError(path: file, message: "\(action) \(file): \(String(cString: strerror(errno)))")
    }
}

/// A snapshot that could not be written, read or understood.
public struct SnapshotError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file concerned.
    public var path: String
    /// What went wrong, naming the file.
    public var message: String

    /// An error about `path`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
