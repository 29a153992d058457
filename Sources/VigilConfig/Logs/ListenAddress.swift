/// A `host:port` a network input listens on (`0.0.0.0:5514`, `[::1]:3101`, `:5514` for every address).
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible, Decodable {
    /// The host or address to bind (`0.0.0.0` when the text left it empty).
    public var host: String
    /// The port (0 asks the system for a free one).
    public var port: Int

    /// An address of `host` and `port`.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`; throws saying what is wrong.
    public init(parsing text: String) throws(ConfigValidationError) {
        guard let colon = text.lastIndex(of: ":") else {
            throw ConfigValidationError("address \"\(text)\" needs a port (host:port)")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ConfigValidationError("address \"\(text)\" has no valid port (0-65535)")
        }
        self.host = host.isEmpty ? "0.0.0.0" : host
        self.port = port
    }

    /// Decodes from its text form.
    public init(from decoder: any Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    /// `host:port`, bracketing an IPv6 host.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
