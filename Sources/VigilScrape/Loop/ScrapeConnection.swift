import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix
import VigilHTTPClient

/// A keep-alive HTTP/1.1 connection to one plain-`http` target, owned by its scrape loop and used
/// only on the loop's event loop.
///
/// AsyncHTTPClient's per-request machinery (request bag, state machines, connection-pool lookup,
/// URL handling) cost more CPU than parsing the answer; a scrape needs none of it. This sends a
/// prepared GET on the loop's own connection and collects the (decompressed) body. What it does
/// not handle, the loop sends through AsyncHTTPClient instead: `https`, `https` and `socks5`
/// proxies, and redirects (``Outcome/redirect``). An `http` proxy is spoken to directly.
final class ScrapeConnection: @unchecked Sendable {
    // @unchecked: every member is used on `eventLoop` only.

    /// How a fetch ended when it did not fail.
    enum Outcome {
        case response(ScrapeResponse)
        /// A 3xx answer while redirects are followed: fetch through a client that follows them.
        case redirect
    }

    /// The connection target and the request line, from a scrape URL; nil when the URL needs
    /// AsyncHTTPClient (not `http`, or unparsable).
    ///
    /// Through an `http` proxy the connection goes to the proxy and the request line carries the
    /// whole URL (absolute form), as Go sends it: no CONNECT tunnel, which proxies often allow
    /// only to port 443.
    struct Endpoint: Equatable {
        let host: String
        let port: Int
        /// The `Host` header: the URL's authority as written, as Go sends it.
        let authority: String
        let uri: String
        /// `Proxy-Authorization` for a proxy URL with credentials.
        let proxyAuthorization: String?

        init?(url: String, proxy: ProxySelector.Proxy?) {
            guard let direct = Endpoint(url: url) else { return nil }
            guard let proxy else {
                self = direct
                return
            }
            guard proxy.scheme == "http" else { return nil }
            host = proxy.host
            port = proxy.port
            authority = direct.authority
            uri = "http://" + direct.authority + direct.uri
            proxyAuthorization = proxy.authorization
        }

        init?(url: String) {
            guard url.hasPrefix("http://") else { return nil }
            let rest = url.dropFirst("http://".count)
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            let authority = String(rest[..<authorityEnd])
            var target = String(rest[authorityEnd...])
            if let fragment = target.firstIndex(of: "#") { target = String(target[..<fragment]) }
            if target.isEmpty || target.hasPrefix("?") { target = "/" + target }
            guard !authority.isEmpty, !authority.contains("@") else { return nil }
            let host: Substring
            let port: Int
            if authority.hasPrefix("[") {
                // [IPv6]:port
                guard let close = authority.firstIndex(of: "]") else { return nil }
                host = authority[authority.index(after: authority.startIndex)..<close]
                let after = authority[authority.index(after: close)...]
                if after.isEmpty {
                    port = 80
                } else {
                    guard after.hasPrefix(":"), let parsed = Int(after.dropFirst()) else { return nil }
                    port = parsed
                }
            } else if let colon = authority.lastIndex(of: ":") {
                host = authority[..<colon]
                guard let parsed = Int(authority[authority.index(after: colon)...]) else { return nil }
                port = parsed
            } else {
                host = Substring(authority)
                port = 80
            }
            guard !host.isEmpty, (1...65535).contains(port) else { return nil }
            self.host = String(host)
            self.port = port
            self.authority = authority
            self.uri = target
            proxyAuthorization = nil
        }
    }

    private let eventLoop: any EventLoop
    let endpoint: Endpoint
    private var channel: (any Channel)?
    private var handler: ScrapeResponseHandler?

    init(endpoint: Endpoint, eventLoop: any EventLoop) {
        self.endpoint = endpoint
        self.eventLoop = eventLoop
    }

    /// Sends a GET with `headers` (plus `Host`) and collects the answer by `deadline`; the body
    /// may not pass `limit` bytes once decompressed. Any failure closes the connection, so a late
    /// answer can never be taken for the next request's.
    func fetch(headers: HTTPHeaders, limit: Int, followRedirects: Bool, deadline: NIODeadline) -> EventLoopFuture<Outcome> {
        let promise = eventLoop.makePromise(of: Outcome.self)
        let settled = Settled()
        let timer = eventLoop.scheduleTask(deadline: deadline) {
            promise.fail(HTTPClientError.deadlineExceeded)
        }
        promise.futureResult.whenComplete { [self] result in
            settled.value = true
            timer.cancel()
            if case .failure = result { discard() }
        }
        var requestHeaders = headers
        requestHeaders.replaceOrAdd(name: "Host", value: endpoint.authority)
        if let proxyAuthorization = endpoint.proxyAuthorization {
            requestHeaders.replaceOrAdd(name: "Proxy-Authorization", value: proxyAuthorization)
        }
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: endpoint.uri, headers: requestHeaders)
        send(head, limit: limit, followRedirects: followRedirects, deadline: deadline, settled: settled, retry: true, to: promise)
        return promise.futureResult
    }

    /// Sends `head` on the open connection (or a new one) for `promise`. A kept-alive connection
    /// the target closed while idle fails before any answer: that is retried once on a new one,
    /// as Go's client does for an idempotent request.
    private func send(
        _ head: HTTPRequestHead, limit: Int, followRedirects: Bool, deadline: NIODeadline, settled: Settled, retry: Bool,
        to promise: EventLoopPromise<Outcome>
    ) {
        let reused = channel?.isActive == true && handler != nil
        let attempt = eventLoop.makePromise(of: Outcome.self)
        attempt.futureResult.whenComplete { [self] result in
            if case .failure(let error as ScrapeConnectionError) = result, error.beforeAnswer, reused, retry, !settled.value {
                discard()
                send(head, limit: limit, followRedirects: followRedirects, deadline: deadline, settled: settled, retry: false, to: promise)
            } else {
                promise.completeWith(result)
            }
        }
        connected(deadline: deadline).whenComplete { [self] result in
            switch result {
            case .success(let (channel, handler)):
                if settled.value {
                    // Timed out while connecting: this connection may not be used for a late answer.
                    discard()
                    attempt.fail(HTTPClientError.deadlineExceeded)
                    return
                }
                guard handler.begin(attempt, limit: limit, followRedirects: followRedirects) else {
                    attempt.fail(ScrapeConnectionError("a scrape is already in flight on this connection"))
                    return
                }
                channel.write(HTTPClientRequestPart.head(head), promise: nil)
                channel.writeAndFlush(HTTPClientRequestPart.end(nil)).whenFailure { attempt.fail($0) }
            case .failure(let error):
                attempt.fail(error)
            }
        }
    }

    /// Closes the connection (a reload or a stopped loop).
    func close() {
        discard()
    }

    private func discard() {
        channel?.close(promise: nil)
        channel = nil
        handler = nil
    }

    private func connected(deadline: NIODeadline) -> EventLoopFuture<(any Channel, ScrapeResponseHandler)> {
        if let channel, let handler, channel.isActive {
            return eventLoop.makeSucceededFuture((channel, handler))
        }
        discard()
        let handler = ScrapeResponseHandler()
        let timeout = max(deadline - .now(), .milliseconds(1))
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(NIOHTTPResponseDecompressor(limit: .none))
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .connect(host: endpoint.host, port: endpoint.port)
            .map { [self] channel in
                self.channel = channel
                self.handler = handler
                return (channel, handler)
            }
    }
}

/// Why the direct connection failed, in Go's words where it has them.
struct ScrapeConnectionError: Error, CustomStringConvertible {
    let description: String
    /// Whether the connection ended before any part of the answer arrived.
    var beforeAnswer = false

    init(_ description: String, beforeAnswer: Bool = false) {
        self.description = description
        self.beforeAnswer = beforeAnswer
    }
}

/// Whether a fetch's promise is completed, for callbacks that run after it (event loop only).
private final class Settled: @unchecked Sendable {
    var value = false
}

/// Collects one response at a time for ``ScrapeConnection``.
final class ScrapeResponseHandler: ChannelInboundHandler, @unchecked Sendable {
    // @unchecked: a channel handler runs on its channel's event loop only.
    typealias InboundIn = HTTPClientResponsePart

    private struct Exchange {
        let promise: EventLoopPromise<ScrapeConnection.Outcome>
        let followRedirects: Bool
        var body: ScrapeBody
        var contentType: String?
        var keepAlive = true
        var answered = false
    }

    private var exchange: Exchange?

    /// Takes the next response for `promise`; false if one is still expected.
    func begin(_ promise: EventLoopPromise<ScrapeConnection.Outcome>, limit: Int, followRedirects: Bool) -> Bool {
        guard exchange == nil else { return false }
        exchange = Exchange(promise: promise, followRedirects: followRedirects, body: ScrapeBody(limit: limit))
        return true
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Taken out while it is updated, so the body buffer is never shared (no copy on append).
        guard var current = exchange.take() else {
            // Nothing asked for this: the connection is out of step.
            context.close(promise: nil)
            return
        }
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard head.status == .ok else {
                if (300...399).contains(Int(head.status.code)) && current.followRedirects
                    && head.headers.contains(name: "Location") {
                    current.promise.succeed(.redirect)
                } else {
                    current.promise.fail(ScrapeFetchError(status: head.status))
                }
                // The body is not wanted: drop the connection rather than read it.
                context.close(promise: nil)
                return
            }
            current.answered = true
            current.contentType = head.headers.first(name: "Content-Type")
            current.keepAlive = head.isKeepAlive
            exchange = current
        case .body(let part):
            do throws(ScrapeFetchError) {
                try current.body.append(part)
            } catch {
                current.promise.fail(error)
                context.close(promise: nil)
                return
            }
            exchange = current
        case .end:
            if !current.keepAlive { context.close(promise: nil) }
            current.promise.succeed(.response(ScrapeResponse(body: current.body.collected, contentType: current.contentType)))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let current = exchange {
            exchange = nil
            current.promise.fail(ScrapeConnectionError("unexpected EOF", beforeAnswer: !current.answered))
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let current = exchange {
            exchange = nil
            current.promise.fail(error)
        }
        context.close(promise: nil)
    }
}
