import Testing
import VigilConfig
import VigilHTTPClient

/// `proxy_url`, `no_proxy` and `proxy_from_environment` pick proxies per URL as Prometheus does
/// (prometheus/common's `ProxyConfig.Proxy()` on Go's `httpproxy` rules).
@Suite struct ProxySelectorTests {
    func selector(proxyURL: String? = nil, noProxy: String = "", environment: [String: String]? = nil) throws -> ProxySelector {
        var config = ProxyConfig()
        config.proxyURL = try proxyURL.map { try ConfigURL($0) }
        config.noProxy = noProxy
        config.proxyFromEnvironment = environment != nil
        return ProxySelector(config: config, environment: environment ?? [:])
    }

    @Test func proxyURLAloneProxiesEverythingEvenLoopback() throws {
        let selector = try selector(proxyURL: "http://user:p%40ss@proxy.corp:3128")
        for url in ["http://127.0.0.1:9100/metrics", "http://localhost/m", "https://node-1:9100/metrics", "http://[::1]:80/"] {
            let proxy = try #require(selector.proxy(for: url), "\(url)")
            #expect(proxy.host == "proxy.corp" && proxy.port == 3128 && proxy.scheme == "http")
        }
        let proxy = try #require(selector.proxy(for: "http://node/metrics"))
        #expect(proxy.username == "user" && proxy.password == "p@ss")
        #expect(proxy.authorization == "Basic dXNlcjpwQHNz")
        #expect(proxy.description == "http://proxy.corp:3128")
    }

    @Test func noProxyFollowsGoRules() throws {
        let selector = try selector(
            proxyURL: "http://proxy:8080",
            noProxy: "example.com, .internal, *.svc.cluster.local, 10.0.0.0/8, 192.168.1.7, db.local:9187, [2001:db8::1]:443")
        let direct = [
            "http://example.com/metrics", "http://a.b.example.com:9100/metrics", "http://EXAMPLE.com/m",
            "http://host.internal/m", "http://x.svc.cluster.local:8080/metrics",
            "http://10.1.2.3:9100/metrics", "http://192.168.1.7:9100/m", "http://db.local:9187/metrics",
            "https://[2001:db8::1]/metrics",
            // Implied by Go: localhost and loopback addresses, whatever the list says.
            "http://localhost:9090/metrics", "http://127.0.0.2:9100/m", "http://[::1]:9100/m",
        ]
        for url in direct { #expect(selector.proxy(for: url) == nil, "\(url) goes direct") }
        let proxied = [
            "http://notexample.com/m", "http://internal/m", "http://svc.cluster.local/m", "http://11.0.0.1/m",
            "http://192.168.1.8/m", "http://db.local:9100/metrics", "http://[2001:db8::1]:80/metrics",
        ]
        for url in proxied { #expect(selector.proxy(for: url)?.host == "proxy", "\(url) is proxied") }
    }

    @Test func aStarInNoProxyExcludesEverything() throws {
        let selector = try selector(proxyURL: "http://proxy:8080", noProxy: "*")
        #expect(selector.proxy(for: "http://node:9100/metrics") == nil)
    }

    @Test func environmentProxiesAreChosenByScheme() throws {
        let selector = try selector(environment: [
            "HTTP_PROXY": "plain-proxy:3128", "https_proxy": "https://tls-proxy", "NO_PROXY": "skip.me",
        ])
        #expect(selector.proxy(for: "http://node:9100/metrics")?.description == "http://plain-proxy:3128")
        #expect(selector.proxy(for: "https://node:9100/metrics")?.description == "https://tls-proxy:443")
        #expect(selector.proxy(for: "http://skip.me/metrics") == nil)
        #expect(selector.proxy(for: "http://127.0.0.1:9100/metrics") == nil)
        // Upper case wins; an empty upper-case value falls back to the lower-case one.
        let both = try self.selector(environment: ["HTTP_PROXY": "", "http_proxy": "lower:1"])
        #expect(both.proxy(for: "http://node/m")?.description == "http://lower:1")
        // In a CGI environment HTTP_PROXY may be set by a client: Go ignores it.
        let cgi = try self.selector(environment: ["HTTP_PROXY": "evil:1", "REQUEST_METHOD": "GET"])
        #expect(cgi.proxy(for: "http://node/m") == nil)
        #expect(try self.selector(environment: [:]).proxy(for: "http://node/m") == nil)
    }

    @Test func noSettingsMeansNoProxy() throws {
        let selector = try selector()
        #expect(selector.isNone)
        #expect(selector.proxy(for: "http://node/m") == nil)
    }
}
