import HTTPTypes
import Hummingbird
import HummingbirdTLS
import NIOSSL
import Logging
import NIOCore
import VigilConfig
import VigilLogQL
import VigilLogStore
import VigilModel

/// A `type: http` input: `POST /loki/api/v1/push` (Loki's JSON, or snappy protobuf — decoded by
/// the log store's decoders) and `POST /` with plain JSON (``PlainJSONLines``).
///
/// A request is answered 204 only after its lines are written to every output's buffer and the
/// buffers are `fdatasync`ed, so an acknowledged line survives SIGKILL and power loss. A body over
/// `max_body_size` is answered 413, a malformed one 400, both naming the byte offset; 503 while
/// a `when_full: block` output is full (the client retries).
struct HTTPInput: PushedInput {
    let config: HTTPInputConfig
    let context: InputContext
    /// The serving TLS (`tls_server_config`), loaded once when the pipeline starts; nil for HTTP.
    let tls: TLSConfiguration?
    /// What a pusher must present; nil when anyone may push.
    let credentials: PushCredentials?
    /// Told the bound port once listening (tests bind port 0).
    let onListening: @Sendable (Int) -> Void

    init(
        config: HTTPInputConfig, context: InputContext, tls: TLSConfiguration? = nil,
        onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.config = config
        self.context = context
        self.tls = tls
        self.credentials = PushCredentials(config)
        self.onListening = onListening
    }

    func run() async throws {
        let router = Router()
        router.post("/loki/api/v1/push") { request, _ in await handle(request, loki: true) }
        router.post("/") { request, _ in await handle(request, loki: false) }
        var logger = context.logger
        logger.logLevel = max(logger.logLevel, .warning)
        let application = Application(
            router: router,
            server: try tls.map { try .tls(.http1(), tlsConfiguration: $0) } ?? .http1(),
            configuration: .init(address: .hostname(config.address.host, port: config.address.port), serverName: "vigil"),
            onServerRunning: { [context, config, onListening] channel in
                let port = channel.localAddress?.port ?? 0
                context.logger.info("HTTP log input listening", metadata: ["input": "\(config.name)", "port": "\(port)"])
                onListening(port)
            },
            logger: logger)
        try await application.runService()
    }

    private static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: message + "\n")))
    }

    func handle(_ request: Request, loki: Bool) async -> Response {
        if let credentials, !credentials.accepts(request.headers[.authorization]) {
            context.reject("unauthorized", "a push without accepted credentials")
            return Response(
                status: .unauthorized, headers: [.wwwAuthenticate: #"Basic realm="vigil""#, .contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "unauthorized\n")))
        }
        let limit = Int(config.maxBodySize.bytes)
        var bytes: [UInt8] = []
        do {
            for try await chunk in request.body {
                guard bytes.count + chunk.readableBytes <= limit else {
                    context.reject("too_large", "request body over max_body_size")
                    return Self.text(
                        .contentTooLarge,
                        "request body exceeds max_body_size (\(limit) bytes) at byte offset \(limit)")
                }
                bytes.append(contentsOf: chunk.readableBytesView)
            }
        } catch {
            return Self.text(.badRequest, "reading the request body: \(error)")
        }
        let now = WallClock.nanoseconds()
        var batch = RecordBatch(baseLabels: config.labels, ordered: false, chain: context.chain)
        let checkpoint = InputCheckpoint.none(input: config.name)
        if loki {
            let contentType = request.headers[.contentType]?.lowercased() ?? ""
            let push: PushRequest
            do throws(LogStoreError) {
                if contentType.hasPrefix("application/json") {
                    push = try LokiJSONPushDecoder.decode(bytes)
                } else if contentType.isEmpty || contentType.hasPrefix("application/x-protobuf") {
                    push = try LokiProtobufPushDecoder.decode(snappy: bytes, maxDecodedBytes: limit)
                } else {
                    return Self.text(.unsupportedMediaType, "unsupported Content-Type \"\(contentType)\"; use application/json or application/x-protobuf")
                }
            } catch {
                context.reject("malformed", "\(error)")
                let status: HTTPResponse.Status = error.httpStatus == 413 ? .contentTooLarge : .badRequest
                return Self.text(status, error.message)
            }
            for stream in push.streams {
                var labels: [String: String] = [:]
                for label in stream.labels { labels[label.name] = label.value }
                for entry in stream.entries {
                    batch.add(LogRecord(timestamp: entry.timestamp, line: entry.line), labels: labels, checkpoint: checkpoint)
                }
            }
        } else {
            do throws(JSONReader.Error) {
                for line in try PlainJSONLines.decode(bytes) {
                    batch.add(LogRecord(timestamp: line.timestamp ?? now, line: line.line), labels: [:], checkpoint: checkpoint)
                }
            } catch {
                context.reject("malformed", "\(error)")
                return Self.text(.badRequest, "\(error.message) at byte offset \(error.offset)")
            }
        }
        guard !batch.isEmpty else { return Response(status: .noContent) }
        guard !context.isBlocked else {
            return Response(
                status: .serviceUnavailable, headers: [.retryAfter: "1", .contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "an output's buffer is full; retry later\n")))
        }
        context.metrics.linesRead.increment(by: Double(batch.count))
        do {
            try context.writer.append(batch.take())
            context.writer.sync()
        } catch {
            context.logger.error("Cannot write to a log buffer", metadata: ["input": "\(config.name)", "err": "\(error)"])
            return Self.text(.internalServerError, "cannot buffer the lines: \(error)")
        }
        return Response(status: .noContent)
    }
}
