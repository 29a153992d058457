import FoundationEssentials
import VigilConfig

/// What a pusher must present to an HTTP input with `basic_auth` or `authorization`: the
/// `Authorization` header is compared, in constant time, with the credentials the config names.
/// Files (`password_file`, `credentials_file`) are read on each request, so a rotated secret
/// takes effect without a restart; a file that cannot be read refuses every request.
struct PushCredentials: Sendable {
    let basicAuth: BasicAuth?
    let authorization: Authorization?

    /// The input's credentials, or nil when it asks for none.
    init?(_ config: HTTPInputConfig) {
        guard config.requiresAuthentication else { return nil }
        basicAuth = config.basicAuth
        authorization = config.authorization
    }

    /// Whether `header` (the request's `Authorization`) carries accepted credentials.
    func accepts(_ header: String?) -> Bool {
        guard let header, let space = header.firstIndex(of: " ") else { return false }
        let scheme = header[..<space]
        let value = Array(header[header.index(after: space)...].utf8)
        if let basicAuth, scheme.lowercased() == "basic", let expected = Self.basic(basicAuth) {
            if let decoded = Data(base64Encoded: Data(value)), Self.equal(Array(decoded), expected) { return true }
        }
        if let authorization, scheme.lowercased() == authorization.type.lowercased(), let expected = Self.token(authorization) {
            if Self.equal(value, expected) { return true }
        }
        return false
    }

    /// `user:password` as the header's base64 would decode to; nil when a file cannot be read.
    static func basic(_ auth: BasicAuth) -> [UInt8]? {
        guard let user = SecretFile.value(inline: auth.username, file: auth.usernameFile),
              let password = SecretFile.value(inline: auth.password?.value ?? "", file: auth.passwordFile)
        else { return nil }
        return user + [UInt8(ascii: ":")] + password
    }

    static func token(_ auth: Authorization) -> [UInt8]? {
        SecretFile.value(inline: auth.credentials?.value ?? "", file: auth.credentialsFile)
    }

    /// Compares without returning early, so the time taken does not say how much matched.
    static func equal(_ given: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference = UInt8(given.count == expected.count ? 0 : 1)
        for index in 0..<expected.count {
            difference |= (index < given.count ? given[index] : 0) ^ expected[index]
        }
        return difference == 0 && !expected.isEmpty
    }
}
