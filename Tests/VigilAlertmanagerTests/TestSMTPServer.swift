import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A small SMTP server on a loopback port, written for the email tests: it speaks enough of RFC
/// 5321 for one delivery, optionally offers STARTTLS and AUTH, and records the conversation.
final class TestSMTPServer: Sendable {
    struct Behaviour: Sendable {
        /// Offer STARTTLS with this server configuration.
        var tls: TLSConfiguration?
        /// Mechanisms announced in the AUTH extension; empty for none.
        var authMechanisms: [String] = []
        /// The accepted credentials (user, password).
        var credentials: (String, String) = ("", "")
        /// Reply to RCPT TO with this line instead of 250.
        var rcptReply: String?
        /// Never send the greeting.
        var stall = false
    }

    private let recorded = Mutex<[String]>([])
    private let messages = Mutex<[String]>([])
    let port: Int
    private let channel: any Channel

    private init(port: Int, channel: any Channel) {
        self.port = port
        self.channel = channel
    }

    /// Every line the client sent, in order (credentials included: a test server).
    var conversation: [String] { recorded.withLock { $0 } }
    /// The bodies received after DATA, dot-unstuffed, without the final dot line.
    var received: [String] { messages.withLock { $0 } }

    static func with<T>(_ behaviour: Behaviour, _ body: (TestSMTPServer) async throws -> T) async throws -> T {
        let holder = Mutex<TestSMTPServer?>(nil)
        let sslContext = try behaviour.tls.map { try NIOSSLContext(configuration: $0) }
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = SessionHandler(behaviour: behaviour, sslContext: sslContext) { line in
                        holder.withLock { $0?.recorded.withLock { $0.append(line) } }
                    } deliver: { message in
                        holder.withLock { $0?.messages.withLock { $0.append(message) } }
                    }
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        let server = TestSMTPServer(port: channel.localAddress?.port ?? 0, channel: channel)
        holder.withLock { $0 = server }
        do {
            let result = try await body(server)
            try? await channel.close()
            return result
        } catch {
            try? await channel.close()
            throw error
        }
    }
}

/// One client's session.
private final class SessionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let behaviour: TestSMTPServer.Behaviour
    private let sslContext: NIOSSLContext?
    private let record: @Sendable (String) -> Void
    private let deliver: @Sendable (String) -> Void
    private var buffer: [UInt8] = []
    private var inData = false
    private var data: [String] = []
    private var pendingLogin: [String] = []
    private var isTLS = false

    init(
        behaviour: TestSMTPServer.Behaviour, sslContext: NIOSSLContext?, record: @escaping @Sendable (String) -> Void,
        deliver: @escaping @Sendable (String) -> Void
    ) {
        self.behaviour = behaviour
        self.sslContext = sslContext
        self.record = record
        self.deliver = deliver
    }

    func channelActive(context: ChannelHandlerContext) {
        if !behaviour.stall { send(context, "220 test.example ESMTP ready") }
        context.fireChannelActive()
    }

    private func send(_ context: ChannelHandlerContext, _ line: String) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: line + "\r\n")), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffer.append(contentsOf: bytes.readBytes(length: bytes.readableBytes) ?? [])
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            var line = Array(buffer[..<newline])
            buffer.removeSubrange(...newline)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            handle(context, String(decoding: line, as: UTF8.self))
        }
    }

    private func handle(_ context: ChannelHandlerContext, _ line: String) {
        if inData {
            if line == "." {
                inData = false
                deliver(data.joined(separator: "\r\n"))
                data = []
                send(context, "250 2.0.0 queued")
            } else {
                data.append(line.hasPrefix(".") ? String(line.dropFirst()) : line)
            }
            return
        }
        record(line)
        if !pendingLogin.isEmpty || line.uppercased() == "AUTH LOGIN" {
            if line.uppercased() == "AUTH LOGIN" {
                pendingLogin = ["start"]
                send(context, "334 VXNlcm5hbWU6")
                return
            }
            pendingLogin.append(String(decoding: Base64.decode(line), as: UTF8.self))
            if pendingLogin.count == 2 {
                send(context, "334 UGFzc3dvcmQ6")
            } else {
                let accepted = pendingLogin[1] == behaviour.credentials.0 && pendingLogin[2] == behaviour.credentials.1
                pendingLogin = []
                send(context, accepted ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication failed")
            }
            return
        }
        let verb = line.split(separator: " ").first.map { $0.uppercased() } ?? ""
        switch verb {
        case "EHLO":
            var lines = ["250-test.example", "250-8BITMIME"]
            if sslContext != nil && !isTLS { lines.append("250-STARTTLS") }
            if !behaviour.authMechanisms.isEmpty { lines.append("250-AUTH " + behaviour.authMechanisms.joined(separator: " ")) }
            lines.append("250 SIZE 10240000")
            for line in lines { send(context, line) }
        case "STARTTLS":
            guard let sslContext else { return send(context, "502 not supported") }
            send(context, "220 2.0.0 Ready to start TLS")
            isTLS = true
            let handler = NIOSSLServerHandler(context: sslContext)
            try? context.pipeline.syncOperations.addHandler(handler, position: .first)
        case "AUTH":
            let parts = line.split(separator: " ")
            if parts.count == 3, parts[1].uppercased() == "PLAIN" {
                let fields = Base64.decode(String(parts[2])).split(separator: 0, omittingEmptySubsequences: false).map {
                    String(decoding: $0, as: UTF8.self)
                }
                let accepted = fields.count == 3 && fields[1] == behaviour.credentials.0 && fields[2] == behaviour.credentials.1
                send(context, accepted ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication failed")
            } else {
                send(context, "504 unrecognized authentication type")
            }
        case "MAIL":
            send(context, "250 2.1.0 Ok")
        case "RCPT":
            send(context, behaviour.rcptReply ?? "250 2.1.5 Ok")
        case "DATA":
            inData = true
            send(context, "354 End data with <CR><LF>.<CR><LF>")
        case "QUIT":
            send(context, "221 2.0.0 Bye")
            context.close(promise: nil)
        default:
            send(context, "500 unknown command")
        }
    }
}

/// Base64 decoding without Foundation's Data, for the test server.
private enum Base64 {
    static func decode(_ text: String) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var table = [UInt8](repeating: 255, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        var out: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in text.utf8 where table[Int(byte)] != 255 {
            accumulator = accumulator << 6 | UInt32(table[Int(byte)])
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((accumulator >> UInt32(bits)) & 0xff))
            }
        }
        return out
    }
}
