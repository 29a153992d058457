public import VigilConfig

/// One entry of a receiver's `email_configs`: sends a multipart email over SMTP.
///
/// Unset `from`, `smarthost`, `hello`, `auth_*` and `require_tls` take the `smtp_*` values of the
/// global section (``ReceiverConfig/inheritGlobal(_:receivers:)``). Every header value, `html` and
/// `text` is a notification template.
public struct EmailConfig: Sendable, Hashable, Decodable {
    /// Whether resolved alerts are sent (default false).
    public var sendResolved: Bool
    /// Recipients, comma-separated (a template); required.
    public var to: String
    /// Sender address (a template); from `smtp_from` when unset.
    public var from: String
    /// Host name sent in `EHLO`; from `smtp_hello` when unset.
    public var hello: String
    /// The SMTP server; from `smtp_smarthost` when unset.
    public var smarthost: SMTPSmarthost?
    /// User name for SMTP authentication; none when empty.
    public var authUsername: String
    /// Password for `AUTH PLAIN` / `LOGIN`, inline or from a file.
    public var authPassword: CredentialSource<Secret>?
    /// Secret for `AUTH CRAM-MD5`.
    public var authSecret: Secret?
    /// Identity for `AUTH PLAIN`.
    public var authIdentity: String
    /// Extra headers, names in canonical MIME form (`X-Priority`); values are templates.
    public var headers: [String: String]
    /// The HTML body template (default `{{ template "email.default.html" . }}`); empty for none.
    public var html: String
    /// The plain-text body template; empty for none.
    public var text: String
    /// Whether STARTTLS is required; from `smtp_require_tls` when unset.
    public var requireTLS: Bool?
    /// TLS settings for STARTTLS and for implicit TLS on port 465.
    public var tlsConfig: TLSConfig
    /// Longest a delivery may take; 0 means the default bound (``IntegrationDefaults/requestTimeout``).
    public var timeout: PromDuration

    /// The subject template used when `headers` has no `Subject`.
    public static let defaultSubject = #"{{ template "email.default.subject" . }}"#

    enum CodingKeys: String, CodingKey {
        case sendResolved = "send_resolved"
        case to, from, hello, smarthost, headers, html, text, timeout
        case authUsername = "auth_username"
        case authPassword = "auth_password"
        case authPasswordFile = "auth_password_file"
        case authSecret = "auth_secret"
        case authIdentity = "auth_identity"
        case requireTLS = "require_tls"
        case tlsConfig = "tls_config"
    }

    /// Decodes with Alertmanager's defaults and checks.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sendResolved = try container.value(.sendResolved, default: false)
        to = try container.value(.to, default: "")
        from = try container.value(.from, default: "")
        hello = try container.value(.hello, default: "")
        smarthost = try container.optional(.smarthost)
        authUsername = try container.value(.authUsername, default: "")
        authPassword = try .optional(container, inline: .authPassword, file: .authPasswordFile)
        authSecret = try container.optional(.authSecret)
        authIdentity = try container.value(.authIdentity, default: "")
        let rawHeaders = try container.map(.headers, of: String.self)
        html = try container.value(.html, default: #"{{ template "email.default.html" . }}"#)
        text = try container.value(.text, default: "")
        requireTLS = try container.optional(.requireTLS)
        tlsConfig = try container.value(.tlsConfig, default: TLSConfig())
        timeout = try container.value(.timeout, default: .zero)
        if to.isEmpty {
            throw ConfigValidationError("missing to address in email config")
        }
        headers = [:]
        for (name, value) in rawHeaders.sorted(by: { $0.key < $1.key }) {
            let canonical = canonicalMIMEHeaderKey(name)
            if headers[canonical] != nil {
                throw ConfigValidationError("duplicate header \"\(canonical)\" in email config", field: "headers", .key(name))
            }
            headers[canonical] = value
        }
    }

    /// Resolves file paths against `directory`.
    public mutating func resolvePaths(in directory: String) {
        authPassword = authPassword?.resolvingPaths(in: directory)
        tlsConfig.resolvePaths(in: directory)
    }
}

/// Go's `textproto.CanonicalMIMEHeaderKey`: the first letter and each letter after `-` upper-case,
/// the rest lower-case; a key with a space or other invalid byte is left as it is.
func canonicalMIMEHeaderKey(_ key: String) -> String {
    let bytes = Array(key.utf8)
    for byte in bytes {
        let valid = (byte >= 0x21 && byte <= 0x7e) && byte != UInt8(ascii: ":")
        if !valid { return key }
    }
    var upper = true
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    for byte in bytes {
        var byte = byte
        if upper, byte >= UInt8(ascii: "a"), byte <= UInt8(ascii: "z") {
            byte -= 32
        } else if !upper, byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") {
            byte += 32
        }
        out.append(byte)
        upper = byte == UInt8(ascii: "-")
    }
    return String(decoding: out, as: UTF8.self)
}
