import NIOCore
import NIOPosix

/// One request over a fresh TCP connection or UDP socket, bounded by a timeout: what the forward
/// and syslog outputs send per batch. A connection per batch keeps no state to repair after a
/// failure; at a batch per second and more, its cost is noise.
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

    /// Connects to `address`, writes `payload`, then — when `complete` is given — reads until it
    /// returns true for the bytes received so far (at most `maximumResponse` bytes), and closes.
    static func tcp(
        _ address: String, payload: [UInt8], timeout: Duration, maximumResponse: Int = 64 << 10,
        complete: (@Sendable ([UInt8]) -> Bool)? = nil
    ) async throws -> [UInt8] {
        let (host, port) = split(address)
        return try await withDeadline(timeout, what: "\(address)") {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.milliseconds(Int64(timeout.components.seconds * 1000 + 1)))
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            return try await channel.executeThenClose { inbound, outbound in
                // Written through the channel so the call returns once the bytes reached the socket,
                // not when they were queued: closing right after must not lose them.
                _ = outbound
                try await channel.channel.writeAndFlush(ByteBuffer(bytes: payload))
                guard let complete else { return [] }
                var received: [UInt8] = []
                for try await var chunk in inbound {
                    received += chunk.readBytes(length: chunk.readableBytes) ?? []
                    if complete(received) { return received }
                    guard received.count <= maximumResponse else {
                        throw Failure(description: "\(address) answered more than \(maximumResponse) bytes")
                    }
                }
                throw Failure(description: "\(address) closed the connection before answering")
            }
        }
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

    private static func withDeadline<T: Sendable>(
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
