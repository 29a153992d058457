import NIOCore
import NIOPosix
import NIOSSL

/// One TCP connection, optionally TLS, kept open across batches: what the forward and syslog
/// outputs send through. It is made on first use and again after any failure, after the peer
/// closed it, or once it sat idle for ``idleTimeout`` (a connection a NAT or the receiver may
/// have dropped silently is not trusted with a batch that waits for no answer).
///
/// A new connection runs ``Handshake`` first (the forward protocol's shared-key exchange).
/// Calls are serialised by the actor: one request, then its answer, at a time.
actor StreamConnection {
    /// Runs once on every new connection, before any request.
    typealias Handshake = @Sendable (StreamConnection.Session) async throws -> Void

    /// The connection as a handshake sees it: write, then read one answer.
    struct Session: Sendable {
        fileprivate let channel: any Channel
        fileprivate let collector: NIOLoopBound<ResponseCollector>
        /// `host:port`, for messages.
        let address: String

        /// Writes `payload` and waits until it reached the socket. Cancelling closes the
        /// connection, which ends the wait (a future does not heed cancellation by itself).
        func write(_ payload: [UInt8]) async throws {
            let channel = self.channel
            try await withTaskCancellationHandler {
                try await channel.writeAndFlush(ByteBuffer(bytes: payload))
            } onCancel: {
                channel.close(promise: nil)
            }
        }

        /// The bytes received until `complete` says they hold a whole answer (at most `limit`).
        func read(limit: Int = 64 << 10, until complete: @escaping @Sendable ([UInt8]) -> Bool) async throws -> [UInt8] {
            let collector = self.collector
            let address = self.address
            let answer = channel.eventLoop.flatSubmit {
                collector.value.expect(limit: limit, address: address, complete: complete)
            }
            let channel = self.channel
            return try await withTaskCancellationHandler {
                try await answer.get()
            } onCancel: {
                channel.close(promise: nil)
            }
        }
    }

    let address: String
    let timeout: Duration
    let idleTimeout: Duration
    private let tls: NIOSSLContext?
    private let serverName: String?
    private let handshake: Handshake?
    private var session: Session?
    private var lastUse = ContinuousClock.now

    /// A connection to `address` (`host:port`), over TLS when `tls` is given (`serverName` for
    /// SNI and the certificate's name; defaults to the host unless it is an IP address).
    init(
        address: String, tls: NIOSSLContext? = nil, serverName: String? = nil, timeout: Duration,
        idleTimeout: Duration = .seconds(30), handshake: Handshake? = nil
    ) {
        self.address = address
        self.tls = tls
        self.serverName = serverName
        self.timeout = timeout
        self.idleTimeout = idleTimeout
        self.handshake = handshake
    }

    /// Writes `payload` and, when `complete` is given, returns the answer it recognises (at
    /// most `limit` bytes); the whole exchange is bounded by ``timeout``. Any failure closes the
    /// connection, so the next call starts a new one.
    func exchange(
        _ payload: [UInt8], limit: Int = 64 << 10, until complete: (@Sendable ([UInt8]) -> Bool)? = nil
    ) async throws -> [UInt8] {
        do {
            let answer = try await SocketExchange.withDeadline(timeout, what: address) { [self] in
                let session = try await self.openSession()
                try await session.write(payload)
                guard let complete else { return [UInt8]() }
                return try await session.read(limit: limit, until: complete)
            }
            lastUse = .now
            return answer
        } catch {
            await close()
            throw error
        }
    }

    /// Closes the connection, if one is open.
    func close() async {
        guard let session else { return }
        self.session = nil
        try? await session.channel.close()
    }

    private func openSession() async throws -> Session {
        if let session {
            if session.channel.isActive && ContinuousClock.now - lastUse < idleTimeout { return session }
            await close()
        }
        let (host, port) = SocketExchange.split(address)
        let sni = serverName ?? (Self.isIPAddress(host) ? nil : host)
        let tls = self.tls
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.milliseconds(timeout.components.seconds * 1000 + 1))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: sni))
                    }
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector())
                }
            }
            .connect(host: host, port: port).get()
        let collector = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ResponseCollector.self), eventLoop: channel.eventLoop)
        }.get()
        let session = Session(channel: channel, collector: collector, address: address)
        do {
            try await handshake?(session)
        } catch {
            try? await channel.close()
            throw error
        }
        self.session = session
        lastUse = .now
        return session
    }

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}

/// Gathers what the peer sends and hands it to the one reader waiting for an answer. Lives on
/// its channel's event loop.
final class ResponseCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private var received: [UInt8] = []
    private var waiter: (limit: Int, address: String, complete: @Sendable ([UInt8]) -> Bool, promise: EventLoopPromise<[UInt8]>)?
    private var closed = false
    private var eventLoop: (any EventLoop)?

    func handlerAdded(context: ChannelHandlerContext) {
        eventLoop = context.eventLoop
    }

    /// A future of the next answer: the bytes received so far (and from now on) once `complete`
    /// accepts them; they are consumed.
    func expect(limit: Int, address: String, complete: @escaping @Sendable ([UInt8]) -> Bool) -> EventLoopFuture<[UInt8]> {
        let promise = eventLoop!.makePromise(of: [UInt8].self)
        waiter = (limit, address, complete, promise)
        check()
        return promise.futureResult
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        received += buffer.readBytes(length: buffer.readableBytes) ?? []
        check()
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        check()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let waiter {
            self.waiter = nil
            waiter.promise.fail(error)
        }
        context.close(promise: nil)
    }

    private func check() {
        guard let waiter else { return }
        if !received.isEmpty && waiter.complete(received) {
            self.waiter = nil
            let answer = received
            received = []
            waiter.promise.succeed(answer)
        } else if received.count > waiter.limit {
            self.waiter = nil
            waiter.promise.fail(SocketExchange.Failure(description: "\(waiter.address) answered more than \(waiter.limit) bytes"))
        } else if closed {
            self.waiter = nil
            waiter.promise.fail(SocketExchange.Failure(description: "\(waiter.address) closed the connection before answering"))
        }
    }
}
