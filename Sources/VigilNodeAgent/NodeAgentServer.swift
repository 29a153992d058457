public import Logging
public import NIOCore
import NIOHTTP1
import NIOPosix
public import VigilCollectors
import VigilExposition
public import VigilModel

/// The lean agent's HTTP server: what `vigil agent` serves without a config, in a process that
/// links only the collectors, swift-nio and swift-log (no Foundation, no Hummingbird), so it
/// stays as small as the exporters it replaces.
///
/// - `GET /metrics`: the process's own metrics and the node collector's families, merged by name,
///   in the format the `Accept` header asks for (OpenMetrics only when requested);
/// - `GET /metrics/resource`: the kubelet's resource metrics for metrics-server;
/// - `GET /-/healthy`, `GET /-/ready`: 200 once listening;
/// - `HEAD` of each; any other method on them is 405, any other path 404.
///
/// A scrape runs on the connection's event loop: one collection takes a few milliseconds and
/// scrapers come every few seconds, so a thread hop would cost more than it saves. Request
/// headers are capped by swift-nio's parser (80 KiB); a request body over 64 KiB, or a
/// connection silent for ``idleTimeout``, closes the connection.
public final class NodeAgentServer: Sendable {
    /// Where it listens.
    public let listen: ListenAddress
    /// The collectors.
    public let exporter: NodeExporter
    /// The process's own metrics, served before the collectors'.
    public let registry: MetricsRegistry
    /// How long a connection may stay silent.
    public let idleTimeout: TimeAmount
    private let logger: Logger

    /// A server for `exporter` and `registry` on `listen`; nothing is bound until ``run(onReady:)``.
    public init(
        listen: ListenAddress, exporter: NodeExporter, registry: MetricsRegistry, idleTimeout: TimeAmount = .minutes(5),
        logger: Logger
    ) {
        self.listen = listen
        self.exporter = exporter
        self.registry = registry
        self.idleTimeout = idleTimeout
        self.logger = logger
    }

    /// Binds and serves until `stopping` returns (or the task is cancelled), then closes the
    /// listener. `stopping` must return when its task is cancelled. `onReady` gets the address
    /// actually bound (useful with port 0).
    ///
    /// - Throws: when the address cannot be bound.
    public func run(
        onReady: @Sendable (ListenAddress) async -> Void = { _ in }, until stopping: @escaping @Sendable () async -> Void
    ) async throws {
        let routes = Routes(exporter: exporter, registry: registry)
        let idle = idleTimeout
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idle))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(AgentRequestHandler(routes: routes))
                }
            }
            .bind(host: listen.host, port: listen.port).get()
        let bound = ListenAddress(host: listen.host, port: channel.localAddress?.port ?? listen.port)
        logger.info("Serving node metrics", metadata: ["address": "\(bound)"])
        await onReady(bound)
        // Whichever ends first — the stop signal, a closed listener, cancellation — closes the
        // listener and cancels the stop wait, so both tasks end.
        await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await stopping() }
                group.addTask { try? await channel.closeFuture.get() }
                await group.next()
                channel.close(promise: nil)
                group.cancelAll()
            }
        } onCancel: {
            channel.close(promise: nil)
        }
    }

    /// The answers, independent of any connection.
    struct Routes: Sendable {
        let exporter: NodeExporter
        let registry: MetricsRegistry

        /// Status, content type and body for `method` and `uri` with `accept`.
        func answer(method: HTTPMethod, uri: String, accept: String?) -> (HTTPResponseStatus, String, [UInt8], allow: Bool) {
            let path = uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? uri
            let known = ["/metrics", "/metrics/resource", "/-/healthy", "/-/ready"]
            guard known.contains(path) else { return (.notFound, "text/plain; charset=utf-8", Array("404 page not found\n".utf8), false) }
            guard method == .GET || method == .HEAD else {
                return (.methodNotAllowed, "text/plain; charset=utf-8", Array("405 method not allowed\n".utf8), true)
            }
            switch path {
            case "/-/healthy": return (.ok, "text/plain; charset=utf-8", Array("Vigil is Healthy.\n".utf8), false)
            case "/-/ready": return (.ok, "text/plain; charset=utf-8", Array("Vigil is Ready.\n".utf8), false)
            default:
                let format = ExpositionFormat.negotiate(accept: accept ?? "")
                let families = path == "/metrics" ? MetricFamilies.merge(registry.collect(), exporter.collect()) : exporter.resource.collect()
                return (.ok, format.contentType, ExpositionWriter.write(families, format: format), false)
            }
        }
    }
}

/// One connection's requests, answered in order.
final class AgentRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let maximumBody = 64 << 10
    private let routes: NodeAgentServer.Routes
    private var head: HTTPRequestHead?
    private var bodyBytes = 0

    init(routes: NodeAgentServer.Routes) {
        self.routes = routes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            bodyBytes = 0
        case .body(let chunk):
            bodyBytes += chunk.readableBytes
            if bodyBytes > Self.maximumBody {
                respond(context, status: .payloadTooLarge, type: "text/plain; charset=utf-8", body: Array("request body too large\n".utf8), keepAlive: false)
                head = nil
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let (status, type, body, allow) = routes.answer(method: head.method, uri: head.uri, accept: head.headers.first(name: "accept"))
            respond(
                context, status: status, type: type, body: head.method == .HEAD ? nil : body, length: body.count,
                keepAlive: head.isKeepAlive, allow: allow)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func respond(
        _ context: ChannelHandlerContext, status: HTTPResponseStatus, type: String, body: [UInt8]?, length: Int? = nil,
        keepAlive: Bool, allow: Bool = false
    ) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: type)
        headers.add(name: "Content-Length", value: String(length ?? body?.count ?? 0))
        if allow { headers.add(name: "Allow", value: "GET, HEAD") }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        if let body, !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            done.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
        }
    }
}

/// Name-sorted family lists merged into one, as node_exporter serves its collectors beside its
/// process metrics.
public enum MetricFamilies {
    /// Two name-sorted family lists as one name-sorted list, without sorting again.
    public static func merge(_ left: [MetricFamily], _ right: [MetricFamily]) -> [MetricFamily] {
        var merged: [MetricFamily] = []
        merged.reserveCapacity(left.count + right.count)
        var (i, j) = (0, 0)
        while i < left.count && j < right.count {
            if ByteOrder.less(right[j].name, left[i].name) {
                merged.append(right[j]); j += 1
            } else {
                merged.append(left[i]); i += 1
            }
        }
        merged.append(contentsOf: left[i...])
        merged.append(contentsOf: right[j...])
        return merged
    }
}
