public import VigilConfig

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A URL that carries a credential in itself (a webhook URL with a token, Slack's incoming-webhook
/// URL, a DingTalk or WeCom robot URL): Alertmanager's `SecretURL`.
///
/// It must be an absolute `http` or `https` URL with a host. ``description`` is always `<secret>`,
/// so it never reaches a log, an error message or a configuration dump; read ``string`` only to send.
public struct SecretURL: Sendable, Hashable, Decodable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The URL as written.
    public let string: String
    /// The parsed URL.
    public let url: URL

    /// Parses and validates `string`.
    public init(_ string: String) throws(ConfigValidationError) {
        let parsed = try ConfigURL(string)
        guard parsed.scheme == "http" || parsed.scheme == "https" else {
            // Do not echo the URL: it is a secret.
            throw ConfigValidationError("unsupported scheme \"\(parsed.scheme)\" for URL")
        }
        self.string = parsed.string
        url = parsed.url
    }

    /// Decodes from a YAML scalar; the error for a bad URL does not repeat it.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            if error.message.hasPrefix("unsupported scheme") { throw error }
            throw ConfigValidationError("invalid URL (it is a secret, so it is not repeated here)")
        }
    }

    /// Always `<secret>`.
    public var description: String { "<secret>" }
    /// Always `<secret>`.
    public var debugDescription: String { "<secret>" }
    /// A mirror with no children, so `dump` shows nothing either.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// A plain (not secret) absolute http or https URL of an API endpoint, as Alertmanager's `URL` type
/// checks it (`pagerduty_url`, `telegram_api_url`, a PagerDuty `url`).
public struct EndpointURL: Sendable, Hashable, Decodable, CustomStringConvertible {
    /// The URL as written.
    public let string: String
    /// The parsed URL.
    public let url: URL

    /// Parses and validates `string`.
    public init(_ string: String) throws(ConfigValidationError) {
        let parsed = try ConfigURL(string)
        guard parsed.scheme == "http" || parsed.scheme == "https" else {
            throw ConfigValidationError("unsupported scheme \"\(parsed.scheme)\" for URL")
        }
        self.string = parsed.string
        url = parsed.url
    }

    /// Decodes from a YAML scalar.
    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    /// The URL as written.
    public var description: String { string }

    static func known(_ string: String) -> EndpointURL {
        // Only called with the literal defaults below, which are valid.
        // swiftlint:disable:next force_try
        try! EndpointURL(string)
    }
}
