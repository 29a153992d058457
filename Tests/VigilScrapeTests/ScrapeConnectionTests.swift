import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing
import VigilModel
import VigilTestSupport
@testable import VigilScrape

/// The direct HTTP/1.1 connection plain-`http` targets are scraped on.
@Suite struct ScrapeConnections {
    @Test func endpointsComeFromTheScrapeURL() {
        let cases: [(String, (host: String, port: Int, authority: String, uri: String)?)] = [
            ("http://127.0.0.1:9100/metrics", ("127.0.0.1", 9100, "127.0.0.1:9100", "/metrics")),
            ("http://node/metrics?a=1&b=%20", ("node", 80, "node", "/metrics?a=1&b=%20")),
            ("http://[::1]:9100/m", ("::1", 9100, "[::1]:9100", "/m")),
            ("http://[::1]/m#frag", ("::1", 80, "[::1]", "/m")),
            ("http://host:9100", ("host", 9100, "host:9100", "/")),
            ("http://host:9100?x=y", ("host", 9100, "host:9100", "/?x=y")),
            ("https://host:9100/metrics", nil),  // TLS: AsyncHTTPClient
            ("http://user:pass@host/metrics", nil),  // credentials in the URL: AsyncHTTPClient
            ("http://host:notaport/metrics", nil),
            ("http://host:0/metrics", nil),
            ("http:///metrics", nil),
        ]
        for (url, want) in cases {
            let endpoint = ScrapeConnection.Endpoint(url: url)
            if let want {
                #expect(endpoint?.host == want.host, "\(url)")
                #expect(endpoint?.port == want.port, "\(url)")
                #expect(endpoint?.authority == want.authority, "\(url)")
                #expect(endpoint?.uri == want.uri, "\(url)")
            } else {
                #expect(endpoint == nil, "\(url)")
            }
        }
    }

    /// A target that closes the connection after every answer (with or without saying so) is
    /// scraped on a new connection each time, and every scrape succeeds.
    @Test(arguments: [true, false])
    func targetsThatCloseTheirConnectionsAreScrapedEveryTime(announced: Bool) async throws {
        let server = try await OneShotServer.start(announceClose: announced)
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let harness = try ScrapeHarness(directory: directory.path, scrapeConfig: "job_name: node", address: server.address)
        for _ in 0..<3 { await harness.scrape() }
        #expect(harness.loop.status.lastError == "")
        #expect(try harness.series(named: "up").values.first?.map(\.value) == [1, 1, 1])
        #expect(try harness.series(named: "one_shot").values.first?.map(\.value) == [7, 7, 7])
        #expect(server.connections >= 3)
        await harness.close()
    }

    /// Through an `http` proxy a plain-`http` target is fetched as Go fetches it: the request
    /// line carries the whole URL (no CONNECT tunnel), `Host` names the target, and credentials
    /// in the proxy URL become `Proxy-Authorization`. Loopback targets are proxied too when
    /// `no_proxy` is not set, as in Prometheus.
    @Test func plainTargetsGoThroughHTTPProxiesInAbsoluteForm() async throws {
        let proxy = try await OneShotServer.start(announceClose: false)
        defer { proxy.stop() }
        let directory = try TemporaryDirectory()
        let config = "job_name: node\nproxy_url: http://scraper:s%40cret@\(proxy.address)"
        // Nothing listens on the target's address: only the proxy can answer.
        let harness = try ScrapeHarness(directory: directory.path, scrapeConfig: config, address: "127.0.0.1:1")
        await harness.scrape()
        await harness.scrape()
        #expect(harness.loop.status.lastError == "")
        #expect(try harness.series(named: "one_shot").values.first?.map(\.value) == [7, 7])
        #expect(proxy.requestLines == ["GET http://127.0.0.1:1/metrics HTTP/1.1", "GET http://127.0.0.1:1/metrics HTTP/1.1"])
        let head = try #require(proxy.requests.first)
        #expect(head.contains("\r\nHost: 127.0.0.1:1\r\n"))
        let credentials = Data("scraper:s@cret".utf8).base64EncodedString()
        #expect(head.contains("\r\nProxy-Authorization: Basic \(credentials)\r\n"))
        await harness.close()
    }

    /// With `no_proxy` set, Go's rules apply and loopback targets are never proxied.
    @Test func noProxyRulesSendLoopbackTargetsStraight() async throws {
        let proxy = try await OneShotServer.start(announceClose: true)
        defer { proxy.stop() }
        let target = try await OneShotServer.start(announceClose: true)
        defer { target.stop() }
        let directory = try TemporaryDirectory()
        let config = "job_name: node\nproxy_url: http://\(proxy.address)\nno_proxy: example.com"
        let harness = try ScrapeHarness(directory: directory.path, scrapeConfig: config, address: target.address)
        await harness.scrape()
        #expect(harness.loop.status.lastError == "")
        #expect(target.requestLines == ["GET /metrics HTTP/1.1"])
        #expect(proxy.requestLines.isEmpty)
        await harness.close()
    }

    /// An `https` target goes through the proxy in a CONNECT tunnel (AsyncHTTPClient's path), as
    /// in Go. (This stand-in proxy cannot tunnel, so the scrape fails: only the route is checked.)
    @Test func tlsTargetsAreTunnelledThroughTheProxy() async throws {
        let proxy = try await OneShotServer.start(announceClose: true)
        defer { proxy.stop() }
        let directory = try TemporaryDirectory()
        let config = "job_name: node\nscheme: https\nproxy_url: http://\(proxy.address)"
        let harness = try ScrapeHarness(directory: directory.path, scrapeConfig: config, address: "127.0.0.1:1")
        await harness.scrape()
        #expect(proxy.requestLines.first == "CONNECT 127.0.0.1:1 HTTP/1.1")
        #expect(!harness.loop.status.lastError.contains("connection refused"))
        await harness.close()
    }
}

/// A raw HTTP/1.1 server that answers one request per connection and then closes it (saying so
/// or not); as a proxy it answers whatever URL it is asked for.
private final class OneShotServer: Sendable {
    private let channel: any Channel
    private let accepted: Counter

    var address: String { "127.0.0.1:\(channel.localAddress!.port!)" }
    var connections: Int { accepted.value.withLock { $0 } }
    /// The first line of every request received.
    var requestLines: [String] { requests.map { String($0.prefix { $0 != "\r\n" }) } }
    /// Every request's first read, head and all.
    var requests: [String] { accepted.lines.withLock { $0 } }

    private init(channel: any Channel, accepted: Counter) {
        self.channel = channel
        self.accepted = accepted
    }

    static func start(announceClose: Bool) async throws -> OneShotServer {
        let counter = Counter()
        let body = "one_shot 7\n"
        let response =
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: \(body.utf8.count)\r\n"
            + (announceClose ? "Connection: close\r\n" : "") + "\r\n" + body
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                counter.increment()
                return child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(AnswerOnceHandler(response: response, counter: counter))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return OneShotServer(channel: channel, accepted: counter)
    }

    func stop() {
        channel.close(promise: nil)
    }

    final class Counter: Sendable {
        let value = Mutex(0)
        let lines = Mutex<[String]>([])
        func increment() { value.withLock { $0 += 1 } }
    }
}

private final class AnswerOnceHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let response: String
    let counter: OneShotServer.Counter

    init(response: String, counter: OneShotServer.Counter) {
        self.response = response
        self.counter = counter
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        guard bytes.readableBytesView.contains(UInt8(ascii: "\n")) else { return }
        counter.lines.withLock { $0.append(String(decoding: bytes.readableBytesView, as: UTF8.self)) }
        let buffer = context.channel.allocator.buffer(string: response)
        context.writeAndFlush(NIOAny(buffer), promise: nil)
        context.close(promise: nil)
    }
}
