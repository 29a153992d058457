import NIOCore
import NIOPosix

/// Datagrams over a fresh UDP socket, bounded by a timeout (the syslog output's UDP transport),
/// and what the stream outputs share: address splitting, deadlines, the failure they throw.
enum SocketExchange {
    /// Why an exchange failed; always worth retrying.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// `host` and `port` of `host:port` (IPv6 hosts in brackets).
    static func split(_ address: String) -> (host: String, port: Int) {
        let colon = address.lastIndex(of: ":")!
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, Int(address[address.index(after: colon)...]) ?? 0)
    }

    /// Sends each of `datagrams` to `address` over UDP.
    static func udp(_ address: String, datagrams: [[UInt8]], timeout: Duration) async throws {
        let (host, port) = split(address)
        try await withDeadline(timeout, what: address) {
            let remote = try SocketAddress.makeAddressResolvingHost(host, port: port)
            let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: remote.protocol == .inet6 ? "::" : "0.0.0.0", port: 0) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(
                            wrappingChannelSynchronously: channel)
                    }
                }
            try await channel.executeThenClose { _, outbound in
                for datagram in datagrams {
                    try await outbound.write(AddressedEnvelope(remoteAddress: remote, data: ByteBuffer(bytes: datagram)))
                }
            }
        }
    }

    /// Runs `body`, failing with ``Failure`` when it takes longer than `timeout` (it is cancelled).
    static func withDeadline<T: Sendable>(
        _ timeout: Duration, what: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw Failure(description: "no answer from \(what) within \(timeout)")
            }
            return value
        }
    }
}
