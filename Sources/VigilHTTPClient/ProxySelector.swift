import Foundation
public import VigilConfig

/// Decides, per request URL, whether it goes through a proxy and which one, by the rules of
/// Prometheus's `proxy_url` / `no_proxy` / `proxy_from_environment` (prometheus/common, on Go's
/// `httpproxy` package):
///
/// - `proxy_url` without `no_proxy`: every request goes through the proxy, loopback included.
/// - `proxy_url` with `no_proxy`: the proxy serves `http` and `https` URLs, except hosts that
///   `no_proxy` names, `localhost` and loopback addresses.
/// - `proxy_from_environment`: `HTTP_PROXY` for `http` URLs and `HTTPS_PROXY` for `https` URLs
///   (either spelling, upper case first), except what `NO_PROXY` names, `localhost` and loopback
///   addresses. `HTTP_PROXY` is ignored in a CGI environment (`REQUEST_METHOD` set), as Go does.
///
/// `no_proxy` entries are comma separated: `*` (everything), an IP address or CIDR range, or a
/// domain (`example.com` matches it and its subdomains, `.example.com` and `*.example.com` only
/// subdomains), each optionally with `:port`.
public struct ProxySelector: Sendable {
    /// A proxy a request goes through.
    public struct Proxy: Sendable, Hashable, CustomStringConvertible {
        /// `http`, `https` or `socks5`.
        public let scheme: String
        public let host: String
        public let port: Int
        /// Credentials from the proxy URL's user info, if any.
        public let username: String?
        public let password: String?

        /// The `Proxy-Authorization` value for the credentials (Basic), nil without them.
        public var authorization: String? {
            guard let username else { return nil }
            return "Basic " + Data("\(username):\(password ?? "")".utf8).base64EncodedString()
        }

        /// The proxy without its credentials, for logs and errors.
        public var description: String { "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

        /// Parses a proxy URL; a value without a scheme is taken as `http://` (Go does the same).
        init?(url text: String) {
            guard !text.isEmpty else { return nil }
            var components = URLComponents(string: text)
            if components?.scheme == nil || components?.host?.isEmpty != false {
                components = URLComponents(string: "http://" + text)
            }
            guard let components, let scheme = components.scheme?.lowercased(), let host = components.host, !host.isEmpty
            else { return nil }
            self.scheme = scheme
            self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
            port = components.port ?? (scheme == "https" ? 443 : scheme == "socks5" ? 1080 : 80)
            username = components.percentEncodedUser.map { $0.removingPercentEncoding ?? $0 }
            password = components.percentEncodedPassword.map { $0.removingPercentEncoding ?? $0 }
        }
    }

    enum Rule: Sendable {
        /// No proxy at all.
        case none
        /// One proxy for every URL.
        case always(Proxy)
        /// Go's `httpproxy.Config`: per scheme, with exclusions.
        case perScheme(http: Proxy?, https: Proxy?, exclusions: Exclusions)
    }

    let rule: Rule

    /// The selector for a config block; the environment (the process's unless given) is read
    /// only with `proxy_from_environment`.
    public init(config: ProxyConfig, environment: [String: String]? = nil) {
        if config.proxyFromEnvironment {
            let environment = environment ?? ProcessInfo.processInfo.environment
            func variable(_ name: String) -> String {
                environment[name].flatMap { $0.isEmpty ? nil : $0 } ?? environment[name.lowercased()] ?? ""
            }
            let cgi = !(environment["REQUEST_METHOD"] ?? "").isEmpty
            rule = .perScheme(
                http: cgi ? nil : Proxy(url: variable("HTTP_PROXY")), https: Proxy(url: variable("HTTPS_PROXY")),
                exclusions: Exclusions(variable("NO_PROXY")))
        } else if let url = config.proxyURL, let proxy = Proxy(url: url.string) {
            rule = config.noProxy.isEmpty ? .always(proxy) : .perScheme(http: proxy, https: proxy, exclusions: Exclusions(config.noProxy))
        } else {
            rule = .none
        }
    }

    /// Whether no request can go through a proxy.
    public var isNone: Bool {
        if case .none = rule { return true }
        return false
    }

    /// The proxy for a request to `url`, or nil to connect directly.
    public func proxy(for url: String) -> Proxy? {
        switch rule {
        case .none:
            return nil
        case .always(let proxy):
            return proxy
        case .perScheme(let http, let https, let exclusions):
            guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else { return nil }
            let proxy = scheme == "https" ? https : scheme == "http" ? http : nil
            guard let proxy, let host = components.host else { return nil }
            let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
            let port = components.port ?? (scheme == "https" ? 443 : 80)
            return exclusions.excludes(host: bare, port: String(port)) ? nil : proxy
        }
    }

    /// The `no_proxy` list with Go's implied exclusions (`localhost`, loopback addresses).
    struct Exclusions: Sendable {
        enum Entry: Sendable {
            case everything
            case address([UInt8], port: String)
            case network([UInt8], prefix: Int)
            /// `suffix` starts with a dot; `matchesItself` when the entry had none.
            case domain(suffix: String, port: String, matchesItself: Bool)
        }

        let entries: [Entry]

        init(_ list: String) {
            var entries: [Entry] = []
            for raw in list.split(separator: ",") {
                let entry = raw.trimmingCharacters(in: .whitespaces).lowercased()
                if entry.isEmpty { continue }
                if entry == "*" {
                    entries = [.everything]
                    break
                }
                if let slash = entry.firstIndex(of: "/"), let address = Self.address(String(entry[..<slash])),
                    let prefix = Int(entry[entry.index(after: slash)...]), prefix >= 0, prefix <= address.count * 8
                {
                    entries.append(.network(address, prefix: prefix))
                    continue
                }
                var host = entry
                var port = ""
                if let split = Self.splitHostPort(entry) {
                    (host, port) = split
                    if host.isEmpty { continue }
                }
                if let address = Self.address(host) {
                    entries.append(.address(address, port: port))
                    continue
                }
                if host.hasPrefix("*.") { host.removeFirst() }
                let matchesItself = !host.hasPrefix(".")
                entries.append(.domain(suffix: matchesItself ? "." + host : host, port: port, matchesItself: matchesItself))
            }
            self.entries = entries
        }

        /// Whether a request to `host` (no brackets) on `port` goes direct.
        func excludes(host rawHost: String, port: String) -> Bool {
            let host = rawHost.trimmingCharacters(in: .whitespaces).lowercased()
            if host == "localhost" { return true }
            let address = Self.address(host)
            if let address, Self.isLoopback(address) { return true }
            for entry in entries {
                switch entry {
                case .everything:
                    return true
                case .address(let excluded, let excludedPort):
                    if let address, address == excluded, excludedPort.isEmpty || excludedPort == port { return true }
                case .network(let network, let prefix):
                    if let address, address.count == network.count, Self.prefix(of: address, prefix) == Self.prefix(of: network, prefix) {
                        return true
                    }
                case .domain(let suffix, let excludedPort, let matchesItself):
                    if host.hasSuffix(suffix) || (matchesItself && host == suffix.dropFirst()) {
                        if excludedPort.isEmpty || excludedPort == port { return true }
                    }
                }
            }
            return false
        }

        /// `host:port` or `[v6]:port` split as Go's `net.SplitHostPort` does; nil without a port.
        static func splitHostPort(_ text: String) -> (String, String)? {
            if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
                let after = text[text.index(after: close)...]
                guard after.hasPrefix(":") else { return nil }
                return (String(text[text.index(after: text.startIndex)..<close]), String(after.dropFirst()))
            }
            guard let colon = text.lastIndex(of: ":"), text.firstIndex(of: ":") == colon else { return nil }
            return (String(text[..<colon]), String(text[text.index(after: colon)...]))
        }

        /// An IPv4 address as 4 bytes, an IPv6 one as 16 (IPv4-mapped ones as their 4).
        static func address(_ text: String) -> [UInt8]? {
            var v4 = in_addr()
            if inet_pton(AF_INET, text, &v4) == 1 {
                return withUnsafeBytes(of: &v4) { Array($0) }
            }
            var v6 = in6_addr()
            guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff { return Array(bytes[12...]) }
            return bytes
        }

        static func isLoopback(_ address: [UInt8]) -> Bool {
            address.count == 4 ? address[0] == 127 : address == [UInt8](repeating: 0, count: 15) + [1]
        }

        static func prefix(of address: [UInt8], _ bits: Int) -> [UInt8] {
            address.enumerated().map { index, byte in
                let kept = Swift.min(Swift.max(bits - index * 8, 0), 8)
                return kept == 8 ? byte : byte & ~(UInt8(0xff) >> UInt8(kept))
            }
        }
    }
}
