import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// One TCP (or TLS) connection to an SMTP server: send a command, wait for its reply, upgrade
/// with STARTTLS. Every wait is bounded by ``stepTimeout``.
struct SMTPConnection: Sendable {
    let channel: any Channel
    private let handler: NIOLoopBound<SMTPReplyHandler>
    /// How long one step (connecting, one reply, the TLS handshake) may take.
    let stepTimeout: TimeAmount
    /// Whether the connection is encrypted.
    private(set) var isTLS: Bool

    /// Connects to `host:port`; with `implicitTLS` (port 465) TLS starts at once.
    static func connect(
        host: String, port: Int, implicitTLS: Bool, tls: TLSConfiguration, serverName: String, stepTimeout: TimeAmount
    ) async throws(SMTPError) -> SMTPConnection {
        let group = MultiThreadedEventLoopGroup.singleton
        let sslContext: NIOSSLContext
        do {
            sslContext = try NIOSSLContext(configuration: tls)
        } catch {
            throw SMTPError(retryable: false, "TLS setup: \(error)")
        }
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(stepTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if implicitTLS {
                        let tlsHandler = try NIOSSLClientHandler(context: sslContext, serverHostname: Self.sniName(serverName))
                        try channel.pipeline.syncOperations.addHandler(tlsHandler)
                    }
                    try channel.pipeline.syncOperations.addHandler(SMTPReplyHandler())
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            throw SMTPError(retryable: true, "connecting to \(host):\(port): \(error)")
        }
        let handler: NIOLoopBound<SMTPReplyHandler>
        do {
            handler = try await channel.eventLoop.submit {
                NIOLoopBound(try channel.pipeline.syncOperations.handler(type: SMTPReplyHandler.self), eventLoop: channel.eventLoop)
            }.get()
        } catch {
            channel.close(promise: nil)
            throw SMTPError(retryable: true, "setting up the connection: \(error)")
        }
        return SMTPConnection(channel: channel, handler: handler, stepTimeout: stepTimeout, isTLS: implicitTLS)
    }

    private init(channel: any Channel, handler: NIOLoopBound<SMTPReplyHandler>, stepTimeout: TimeAmount, isTLS: Bool) {
        self.channel = channel
        self.handler = handler
        self.stepTimeout = stepTimeout
        self.isTLS = isTLS
    }

    /// SNI takes a host name, not an IP address.
    private static func sniName(_ name: String) -> String? {
        let isAddress = name.contains(":") || name.allSatisfy { $0.isNumber || $0 == "." }
        return name.isEmpty || isAddress ? nil : name
    }

    /// The next reply from the server; `step` names what it answers, for errors.
    func reply(to step: String) async throws(SMTPError) -> SMTPReply {
        let handler = self.handler
        let timeout = stepTimeout
        let eventLoop = channel.eventLoop
        do {
            return try await eventLoop.flatSubmit { handler.value.next(on: eventLoop, timeout: timeout, step: step) }.get()
        } catch let error as SMTPError {
            throw error
        } catch {
            throw SMTPError(retryable: true, "\(step): \(error)")
        }
    }

    /// Sends raw bytes (a command with its CRLF, or message data).
    func send(_ text: String) async throws(SMTPError) {
        do {
            try await channel.writeAndFlush(ByteBuffer(string: text))
        } catch {
            throw SMTPError(retryable: true, "sending: \(error)")
        }
    }

    /// Sends `command` and returns its reply, throwing when the reply's code is not `expected`.
    /// `shown` replaces the command in errors (for credentials).
    @discardableResult
    func command(_ command: String, expect expected: Set<Int>, shown: String? = nil) async throws(SMTPError) -> SMTPReply {
        try await send(command + "\r\n")
        let step = shown ?? command
        let reply = try await reply(to: step)
        try Self.check(reply, expected: expected, step: step)
        return reply
    }

    /// Throws for a reply whose code is not among `expected`: retryable for 4xx, not for 5xx.
    static func check(_ reply: SMTPReply, expected: Set<Int>, step: String) throws(SMTPError) {
        guard !expected.contains(reply.code) else { return }
        throw SMTPError(retryable: reply.code / 100 == 4, "\(step): \(reply.code) \(reply.text)")
    }

    /// Starts TLS on the open connection (after a `220` to `STARTTLS`) and waits for the handshake.
    mutating func startTLS(tls: TLSConfiguration, serverName: String) async throws(SMTPError) {
        let channel = self.channel
        do {
            let context = try NIOSSLContext(configuration: tls)
            let handshake = channel.eventLoop.makePromise(of: Void.self)
            try await channel.eventLoop.submit {
                let tlsHandler = try NIOSSLClientHandler(context: context, serverHostname: Self.sniName(serverName))
                try channel.pipeline.syncOperations.addHandler(tlsHandler, position: .first)
                try channel.pipeline.syncOperations.addHandler(
                    HandshakeWatcher(promise: handshake), position: .after(tlsHandler))
            }.get()
            let timeout = channel.eventLoop.scheduleTask(in: stepTimeout) {
                handshake.fail(SMTPError(retryable: true, "timed out during the TLS handshake"))
            }
            defer { timeout.cancel() }
            try await handshake.futureResult.get()
        } catch let error as SMTPError {
            throw error
        } catch {
            throw SMTPError(retryable: false, "STARTTLS: \(error)")
        }
        isTLS = true
    }

    /// Closes the connection.
    func close() async {
        try? await channel.close()
    }
}

/// Fulfils a promise when the TLS handshake completes (or fails).
private final class HandshakeWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    private let promise: EventLoopPromise<Void>

    init(promise: EventLoopPromise<Void>) {
        self.promise = promise
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            promise.succeed(())
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(SMTPError(retryable: false, "TLS handshake: \(error)"))
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(SMTPError(retryable: true, "connection closed during the TLS handshake"))
        context.fireChannelInactive()
    }
}
