#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import Synchronization

/// A bound unix datagram socket (`/dev/log` style) read on a thread of its own.
///
/// NIO cannot take datagrams from unbound senders — which is what libc's `syslog(3)` and
/// `logger` are: the unnamed source address fails the channel — so the socket is read with
/// `recv` directly, on a thread that never holds the concurrency pool and wakes every 200 ms to
/// notice ``stop()``.
final class UnixDatagramReceiver: Sendable {
    let path: String
    private let descriptor: Int32
    private let maxMessageSize: Int
    private let stopped = Atomic<Bool>(false)

    /// Binds `path` (replacing a stale socket file), readable and writable by everyone as a log
    /// socket must be.
    init(path: String, maxMessageSize: Int) throws(LogsError) {
        self.path = path
        self.maxMessageSize = maxMessageSize
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw LogsError("unix datagram socket \(path): \(PosixFile.errorText())") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.utf8.count < capacity else {
            close(fd)
            throw LogsError("unix datagram socket \(path): the path is longer than \(capacity - 1) bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        // A socket file left by an earlier run refuses bind; only a socket is removed.
        var status = stat()
        if lstat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFSOCK { unlink(path) }
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else {
            let reason = PosixFile.errorText()
            close(fd)
            throw LogsError("unix datagram socket \(path): cannot bind: \(reason)")
        }
        chmod(path, 0o666)
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        descriptor = fd
    }

    /// The datagrams received until ``stop()``; each at most `maxMessageSize + 1` bytes, so a
    /// longer one shows as one byte too long and can be refused.
    func datagrams() -> AsyncStream<[UInt8]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [UInt8].self, bufferingPolicy: .bufferingNewest(4096))
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: maxMessageSize + 1)
            while !stopped.load(ordering: .relaxed) {
                let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                if count > 0 { continuation.yield(Array(buffer[0..<count])) }
                if count < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR { break }
            }
            close(descriptor)
            continuation.finish()
        }
        thread.start()
        return stream
    }

    /// Ends the reading thread within 200 ms; it closes the socket. The socket file stays until
    /// the next bind replaces it, so a restart cannot lose its fresh file to a late unlink.
    func stop() {
        stopped.store(true, ordering: .relaxed)
    }
}
