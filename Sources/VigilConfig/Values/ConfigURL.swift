#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// An absolute URL from the configuration (`url`, `api_server`, `proxy_url`, `token_url`…).
///
/// Validated when the configuration loads: it must parse and have a scheme and a host.
/// ``description`` hides a password in the user-info part, like Prometheus's `Redacted()`.
public struct ConfigURL: Sendable, Hashable, CustomStringConvertible, Decodable {
    /// The URL as written.
    public let string: String
    /// The parsed URL.
    public let url: URL

    /// Parses and validates `string`; throws ``ConfigValidationError`` when it is not an absolute URL.
    public init(_ string: String) throws(ConfigValidationError) {
        guard let url = URL(string: string) else {
            throw ConfigValidationError("invalid URL \"\(string)\"")
        }
        guard let scheme = url.scheme, !scheme.isEmpty else {
            throw ConfigValidationError("URL \"\(string)\" has no scheme (such as http://)")
        }
        guard let host = url.host(), !host.isEmpty else {
            throw ConfigValidationError("URL \"\(string)\" has no host")
        }
        self.string = string
        self.url = url
    }

    /// Decodes from a YAML scalar.
    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    /// The URL's scheme, lowercased (`http`, `https`, `socks5`…).
    public var scheme: String { url.scheme?.lowercased() ?? "" }

    /// The URL with any password replaced by `xxxxx`.
    public var description: String {
        guard url.password(percentEncoded: true) != nil,
            var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        else { return string }
        components.password = "xxxxx"
        return components.string ?? string
    }
}

/// The URL under which Vigil is reached from outside (Prometheus's `--web.external-url`).
///
/// Must be an absolute http or https URL; the path becomes the route prefix, normalised to start
/// with `/` and have no trailing `/` (empty for the root).
public struct ExternalURL: Sendable, Hashable, CustomStringConvertible {
    /// The parsed URL, its path normalised.
    public let url: URL
    /// The path prefix every route is served under: `""` or `/something`.
    public let routePrefix: String

    /// Parses and validates an external URL; throws ``ConfigValidationError`` when it is unusable.
    public init(_ string: String) throws(ConfigValidationError) {
        if string.hasPrefix("\"") || string.hasPrefix("'") || string.hasSuffix("\"") || string.hasSuffix("'") {
            throw ConfigValidationError("URL must not begin or end with quotes")
        }
        guard let parsed = URL(string: string), var components = URLComponents(url: parsed, resolvingAgainstBaseURL: false)
        else {
            throw ConfigValidationError("invalid external URL \"\(string)\"")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw ConfigValidationError("external URL \"\(string)\" must use http or https")
        }
        guard let host = components.host, !host.isEmpty else {
            throw ConfigValidationError("external URL \"\(string)\" has no host")
        }
        var prefix = components.path
        while prefix.hasSuffix("/") { prefix.removeLast() }
        if !prefix.isEmpty && !prefix.hasPrefix("/") { prefix = "/" + prefix }
        components.path = prefix
        guard let normalised = components.url else {
            throw ConfigValidationError("invalid external URL \"\(string)\"")
        }
        url = normalised
        routePrefix = prefix
    }

    /// The URL as text.
    public var description: String { url.absoluteString }
}
