public import VigilConfig

/// An SMTP server address, `host:port` (Alertmanager's `HostPort`); the port is required.
public struct SMTPSmarthost: Sendable, Hashable, Decodable, CustomStringConvertible {
    /// The host name or IP address (without brackets for IPv6).
    public var host: String
    /// The TCP port (25, 465, 587…); 465 means TLS from the first byte.
    public var port: Int

    /// A smarthost from its parts.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` or `[v6]:port` as Go's `net.SplitHostPort` does.
    public init(parsing text: String) throws(ConfigValidationError) {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw ConfigValidationError("address \(text): missing ']' in address")
            }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else {
                throw ConfigValidationError("address \(text): missing port in address")
            }
            portPart = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw ConfigValidationError("address \(text): missing port in address")
            }
            hostPart = text[..<colon]
            if hostPart.contains(":") {
                throw ConfigValidationError("address \(text): too many colons in address")
            }
            portPart = text[text.index(after: colon)...]
        }
        guard !portPart.isEmpty else {
            throw ConfigValidationError("address \(text): port cannot be empty")
        }
        guard let port = Int(portPart), (0...65535).contains(port) else {
            throw ConfigValidationError("address \(text): invalid port \"\(portPart)\"")
        }
        host = String(hostPart)
        self.port = port
    }

    /// Decodes `host:port` from a YAML scalar.
    public init(from decoder: any Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    /// `host:port`, brackets around an IPv6 host.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
