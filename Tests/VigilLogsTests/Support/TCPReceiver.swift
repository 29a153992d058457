import NIOCore
import NIOPosix
import NIOSSL
import VigilTestSupport
import Synchronization

/// A TCP server on a loopback port for the forward and syslog output tests: records every
/// connection's bytes and, when given `reply`, answers each complete request with what it returns.
final class TCPReceiver: Sendable {
    let port: Int
    private let received = Mutex<[[UInt8]]>([])
    private let opened = Mutex(0)
    private let channel: any Channel

    /// Every request answered (with `reply`), or every connection's bytes once it closed
    /// (without), in that order.
    var connections: [[UInt8]] { received.withLock { $0 } }

    /// How many connections were accepted.
    var connectionCount: Int { opened.withLock { $0 } }

    private init(port: Int, channel: any Channel) {
        self.port = port
        self.channel = channel
    }

    /// Runs `body` with a receiver; `reply` gets a connection's bytes since its last answer and
    /// returns the next answer once they hold a whole request (nil: keep reading). A connection
    /// stays open for more requests. `greeting` is written to each new connection first (the
    /// forward protocol's HELO); with `tls` the receiver speaks TLS.
    static func with<T>(
        tls: NIOSSLContext? = nil, greeting: [UInt8]? = nil, reply: (@Sendable ([UInt8]) -> [UInt8]?)? = nil,
        _ body: (TCPReceiver) async throws -> T
    ) async throws -> T {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let receiver = TCPReceiver(port: server.channel.localAddress!.port!, channel: server.channel)
        let task = Task {
            try await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        group.addTask {
                            try? await connection.executeThenClose { input, output in
                                receiver.opened.withLock { $0 += 1 }
                                if let greeting { try await output.write(ByteBuffer(bytes: greeting)) }
                                var bytes: [UInt8] = []
                                for try await var chunk in input {
                                    bytes += chunk.readBytes(length: chunk.readableBytes) ?? []
                                    if let reply, let answer = reply(bytes) {
                                        receiver.received.withLock { $0.append(bytes) }
                                        bytes = []
                                        try await output.write(ByteBuffer(bytes: answer))
                                    }
                                }
                                if reply == nil { receiver.received.withLock { $0.append(bytes) } }
                            }
                        }
                    }
                }
            }
        }
        defer {
            task.cancel()
            receiver.channel.close(promise: nil)
        }
        return try await body(receiver)
    }

    /// A TLS server context for the certificate `material`.
    static func serverTLS(_ material: TestCertificate) throws -> NIOSSLContext {
        try NIOSSLContext(configuration: try material.serverConfiguration())
    }
}

/// A UDP socket on a loopback port recording every datagram.
final class UDPReceiver: Sendable {
    let port: Int
    private let received = Mutex<[[UInt8]]>([])

    var datagrams: [[UInt8]] { received.withLock { $0 } }

    private init(port: Int) {
        self.port = port
    }

    static func with<T>(_ body: (UDPReceiver) async throws -> T) async throws -> T {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(wrappingChannelSynchronously: channel)
                }
            }
        let receiver = UDPReceiver(port: channel.channel.localAddress!.port!)
        let underlying = channel.channel
        let task = Task {
            try? await channel.executeThenClose { inbound, _ in
                for try await var envelope in inbound {
                    let bytes = envelope.data.readBytes(length: envelope.data.readableBytes) ?? []
                    receiver.received.withLock { $0.append(bytes) }
                }
            }
        }
        defer {
            task.cancel()
            underlying.close(promise: nil)
        }
        return try await body(receiver)
    }
}

/// A counter a receiver's reply closure can bump.
final class TCPReceiverCounter: Sendable {
    private let count = Mutex(0)

    /// The count before this call.
    func next() -> Int {
        count.withLock { value in
            defer { value += 1 }
            return value
        }
    }
}
