/// A `host:port` pair as `--listen` takes it: `127.0.0.1:9470`, `[::1]:9470`, `:9470` (all interfaces).
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// The host to bind; `0.0.0.0` when the flag left it empty.
    public var host: String
    /// The TCP port; 0 lets the kernel choose (tests use that).
    public var port: Int

    /// `127.0.0.1:9470`, Vigil's port.
    public static let `default` = ListenAddress(host: "127.0.0.1", port: 9470)

    /// A host and port as given.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `[v6]:port` or `:port`; the error says what was wrong with the text.
    public init(parsing text: String) throws(ListenAddressError) {
        guard let colon = text.lastIndex(of: ":") else {
            throw ListenAddressError(text: text, reason: "missing port (expected host:port)")
        }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw ListenAddressError(text: text, reason: "port must be a number from 0 to 65535")
        }
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count > 2 else {
                throw ListenAddressError(text: text, reason: "unbalanced brackets around an IPv6 host")
            }
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            throw ListenAddressError(text: text, reason: "an IPv6 host must be written in brackets, [::1]:9470")
        }
        self.host = host.isEmpty ? "0.0.0.0" : host
        self.port = port
    }

    /// `host:port`, with brackets around an IPv6 host.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Where the server reaches itself to scrape its own /metrics: a wildcard host becomes
    /// loopback. Nil for port 0, whose port is only known once bound (tests use it).
    public var selfScrapeAddress: String? {
        guard port != 0 else { return nil }
        let reachable = host.isEmpty || host == "0.0.0.0" ? "127.0.0.1" : host == "::" ? "::1" : host
        return reachable.contains(":") ? "[\(reachable)]:\(port)" : "\(reachable):\(port)"
    }
}

/// A `--listen` value that is not `host:port`.
public struct ListenAddressError: Error, CustomStringConvertible {
    /// The text as given.
    public var text: String
    /// What is wrong with it.
    public var reason: String
    /// `invalid listen address "x": reason`.
    public var description: String { "invalid listen address \"\(text)\": \(reason)" }
}
