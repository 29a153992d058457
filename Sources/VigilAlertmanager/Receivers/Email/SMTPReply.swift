import NIOCore

/// One SMTP reply: a three-digit code and its text lines (several for a multi-line reply).
struct SMTPReply: Sendable, Equatable {
    var code: Int
    var lines: [String]

    /// The text of all lines, joined by newlines.
    var text: String { lines.joined(separator: "\n") }

    /// 2xx and 3xx replies move the exchange on.
    var isPositive: Bool { (200..<400).contains(code) }
}

/// Splits the server's bytes into replies (RFC 5321 §4.2: `250-first`, `250-…`, `250 last`) and
/// hands each to whoever waits for it, failing the wait after a deadline.
final class SMTPReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    /// A reply line longer than this is a broken server.
    static let maximumLineBytes = 64 * 1024

    private var buffer: [UInt8] = []
    private var partial: [String] = []
    private var partialCode: Int?
    private var ready: [SMTPReply] = []
    private var waiting: (promise: EventLoopPromise<SMTPReply>, timeout: Scheduled<Void>)?
    private var failure: SMTPError?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffer.append(contentsOf: bytes.readBytes(length: bytes.readableBytes) ?? [])
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            var line = Array(buffer[..<newline])
            buffer.removeSubrange(...newline)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            parse(String(decoding: line, as: UTF8.self))
        }
        if buffer.count > Self.maximumLineBytes {
            fail(SMTPError(retryable: false, "reply line longer than \(Self.maximumLineBytes) bytes"))
        }
        deliver()
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(SMTPError(retryable: true, "connection closed by the server"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(SMTPError(retryable: true, "connection error: \(error)"))
        context.close(promise: nil)
    }

    /// The next reply, failing after `timeout`.
    func next(on eventLoop: any EventLoop, timeout: TimeAmount, step: String) -> EventLoopFuture<SMTPReply> {
        let promise = eventLoop.makePromise(of: SMTPReply.self)
        if !ready.isEmpty {
            promise.succeed(ready.removeFirst())
        } else if let failure {
            promise.fail(failure)
        } else {
            let scheduled = eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
                guard let self, let waiting = self.waiting else { return }
                self.waiting = nil
                waiting.promise.fail(SMTPError(retryable: true, "timed out waiting for the reply to \(step)"))
            }
            waiting = (promise, scheduled)
        }
        return promise.futureResult
    }

    private func parse(_ line: String) {
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)), (200...599).contains(code) else {
            fail(SMTPError(retryable: false, "malformed reply line \(line.debugDescription)"))
            return
        }
        if let partialCode, partialCode != code {
            fail(SMTPError(retryable: false, "reply codes differ within a multi-line reply"))
            return
        }
        let separator = bytes.count > 3 ? bytes[3] : UInt8(ascii: " ")
        partial.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        if separator == UInt8(ascii: "-") {
            partialCode = code
            return
        }
        ready.append(SMTPReply(code: code, lines: partial))
        partial = []
        partialCode = nil
    }

    private func deliver() {
        guard let waiting, !ready.isEmpty else { return }
        self.waiting = nil
        waiting.timeout.cancel()
        waiting.promise.succeed(ready.removeFirst())
    }

    private func fail(_ error: SMTPError) {
        if failure == nil { failure = error }
        if let waiting {
            self.waiting = nil
            waiting.timeout.cancel()
            waiting.promise.fail(error)
        }
    }
}

/// Why an SMTP exchange failed; 4xx replies, timeouts and lost connections may succeed later.
struct SMTPError: Error, Sendable, CustomStringConvertible {
    let retryable: Bool
    let description: String

    init(retryable: Bool, _ description: String) {
        self.retryable = retryable
        self.description = description
    }
}
