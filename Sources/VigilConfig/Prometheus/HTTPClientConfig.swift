/// How Vigil talks HTTP to a target, an Alertmanager, a remote store or a discovery API.
///
/// Prometheus inlines these fields into scrape configs, Alertmanager configs, remote write/read
/// and HTTP-based discovery; so does Vigil. As in Prometheus, `bearer_token` and
/// `bearer_token_file` are accepted and turned into an ``authorization`` of type `Bearer`.
public struct HTTPClientConfig: Sendable, Hashable, Decodable {
    /// HTTP basic authentication (`basic_auth`).
    public var basicAuth: BasicAuth?
    /// An `Authorization` header (type and credentials); also where `bearer_token` ends up.
    public var authorization: Authorization?
    /// OAuth 2.0 client-credentials authentication.
    public var oauth2: OAuth2?
    /// TLS settings for https.
    public var tlsConfig: TLSConfig
    /// Whether to follow 3xx redirects (default true).
    public var followRedirects: Bool
    /// Whether HTTP/2 may be used (default true).
    public var enableHTTP2: Bool
    /// Proxy settings.
    public var proxy: ProxyConfig
    /// Extra headers to send (`http_headers`), by header name.
    public var httpHeaders: [String: HTTPHeader]

    /// Prometheus's defaults: follow redirects, HTTP/2 on, no authentication.
    public static let `default` = HTTPClientConfig()

    /// Creates the default configuration.
    public init() {
        basicAuth = nil
        authorization = nil
        oauth2 = nil
        tlsConfig = TLSConfig()
        followRedirects = true
        enableHTTP2 = true
        proxy = ProxyConfig()
        httpHeaders = [:]
    }

    enum CodingKeys: String, CodingKey {
        case basicAuth = "basic_auth"
        case authorization
        case oauth2
        case bearerToken = "bearer_token"
        case bearerTokenFile = "bearer_token_file"
        case tlsConfig = "tls_config"
        case followRedirects = "follow_redirects"
        case enableHTTP2 = "enable_http2"
        case httpHeaders = "http_headers"
    }

    /// Decodes the inline fields from the enclosing section's mapping and validates them.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        basicAuth = try container.optional(.basicAuth)
        authorization = try container.optional(.authorization)
        oauth2 = try container.optional(.oauth2)
        let bearerToken = try container.optional(.bearerToken, as: Secret.self)
        let bearerTokenFile = try container.value(.bearerTokenFile, default: "")
        tlsConfig = try container.value(.tlsConfig, default: TLSConfig())
        followRedirects = try container.value(.followRedirects, default: true)
        enableHTTP2 = try container.value(.enableHTTP2, default: true)
        httpHeaders = try container.map(.httpHeaders)
        proxy = try ProxyConfig(from: decoder)

        let hasBearerToken = !(bearerToken?.value.isEmpty ?? true)
        let hasBearerTokenFile = !bearerTokenFile.isEmpty
        if hasBearerToken && hasBearerTokenFile {
            throw ConfigValidationError(
                "at most one of bearer_token & bearer_token_file must be configured", field: "bearer_token_file")
        }
        if basicAuth != nil || oauth2 != nil, hasBearerToken || hasBearerTokenFile {
            throw ConfigValidationError(
                "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured",
                field: hasBearerToken ? "bearer_token" : "bearer_token_file")
        }
        if var authorization {
            if hasBearerToken || hasBearerTokenFile {
                throw ConfigValidationError(
                    "authorization is not compatible with bearer_token & bearer_token_file", field: "authorization")
            }
            if basicAuth != nil || oauth2 != nil {
                throw ConfigValidationError(
                    "at most one of basic_auth, oauth2 & authorization must be configured", field: "authorization")
            }
            authorization.type = authorization.type.trimmingWhitespace()
            if authorization.type.isEmpty { authorization.type = "Bearer" }
            if authorization.type.lowercased() == "basic" {
                throw ConfigValidationError(
                    "authorization type cannot be set to \"basic\", use \"basic_auth\" instead",
                    field: "authorization", "type")
            }
            self.authorization = authorization
        } else if hasBearerToken {
            authorization = Authorization(type: "Bearer", credentials: bearerToken)
        } else if hasBearerTokenFile {
            authorization = Authorization(type: "Bearer", credentialsFile: bearerTokenFile)
        }
        if oauth2 != nil && basicAuth != nil {
            throw ConfigValidationError(
                "at most one of basic_auth, oauth2 & authorization must be configured", field: "oauth2")
        }
        for name in httpHeaders.keys.sorted() where HTTPHeader.reserved.contains(name.lowercased()) {
            throw ConfigValidationError("setting header \"\(name)\" is not allowed", field: "http_headers", .key(name))
        }
    }

    /// Whether any authentication is configured (basic, authorization, or OAuth 2.0).
    public var hasAuthentication: Bool { basicAuth != nil || authorization != nil || oauth2 != nil }

    /// Resolves every file path against `directory` (the configuration file's), as `SetDirectory` does.
    public mutating func resolvePaths(in directory: String) {
        tlsConfig.resolvePaths(in: directory)
        if var auth = basicAuth {
            auth.passwordFile = joinDirectory(directory, auth.passwordFile)
            auth.usernameFile = joinDirectory(directory, auth.usernameFile)
            basicAuth = auth
        }
        if var auth = authorization {
            auth.credentialsFile = joinDirectory(directory, auth.credentialsFile)
            authorization = auth
        }
        if var auth = oauth2 {
            auth.clientSecretFile = joinDirectory(directory, auth.clientSecretFile)
            auth.tlsConfig.resolvePaths(in: directory)
            oauth2 = auth
        }
        httpHeaders = httpHeaders.mapValues { header in
            var header = header
            header.files = header.files.map { joinDirectory(directory, $0) }
            return header
        }
    }
}

/// HTTP basic authentication (`basic_auth`).
public struct BasicAuth: Sendable, Hashable, Decodable {
    /// The user name.
    public var username: String
    /// A file holding the user name, instead of ``username``.
    public var usernameFile: String
    /// The password.
    public var password: Secret?
    /// A file holding the password, instead of ``password``; resolved against the config's directory.
    public var passwordFile: String

    /// Basic auth with the credentials given inline or in files.
    public init(username: String = "", usernameFile: String = "", password: Secret? = nil, passwordFile: String = "") {
        self.username = username
        self.usernameFile = usernameFile
        self.password = password
        self.passwordFile = passwordFile
    }

    enum CodingKeys: String, CodingKey {
        case username, password
        case usernameFile = "username_file"
        case passwordFile = "password_file"
    }

    /// Decodes and checks that each credential is given at most one way.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        username = try container.value(.username, default: "")
        usernameFile = try container.value(.usernameFile, default: "")
        password = try container.optional(.password)
        passwordFile = try container.value(.passwordFile, default: "")
        if !username.isEmpty && !usernameFile.isEmpty {
            throw ConfigValidationError(
                "at most one of basic_auth username & username_file must be configured", field: "username_file")
        }
        if !(password?.value.isEmpty ?? true) && !passwordFile.isEmpty {
            throw ConfigValidationError(
                "at most one of basic_auth password & password_file must be configured", field: "password_file")
        }
    }
}

/// An `Authorization` header (`authorization`).
public struct Authorization: Sendable, Hashable, Decodable {
    /// The scheme, `Bearer` unless set.
    public var type: String
    /// The credentials sent after the scheme.
    public var credentials: Secret?
    /// A file holding the credentials; resolved against the config's directory.
    public var credentialsFile: String

    /// Creates an authorization header setting.
    public init(type: String = "Bearer", credentials: Secret? = nil, credentialsFile: String = "") {
        self.type = type
        self.credentials = credentials
        self.credentialsFile = credentialsFile
    }

    enum CodingKeys: String, CodingKey {
        case type, credentials
        case credentialsFile = "credentials_file"
    }

    /// Decodes and checks the credentials are given at most one way.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.value(.type, default: "")
        credentials = try container.optional(.credentials)
        credentialsFile = try container.value(.credentialsFile, default: "")
        if !(credentials?.value.isEmpty ?? true) && !credentialsFile.isEmpty {
            throw ConfigValidationError(
                "at most one of authorization credentials & credentials_file must be configured",
                field: "credentials_file")
        }
    }
}

/// OAuth 2.0 client-credentials flow (`oauth2`).
public struct OAuth2: Sendable, Hashable, Decodable {
    /// The client ID.
    public var clientID: String
    /// The client secret.
    public var clientSecret: Secret?
    /// A file holding the client secret; resolved against the config's directory.
    public var clientSecretFile: String
    /// Scopes to request.
    public var scopes: [String]
    /// The token endpoint.
    public var tokenURL: String
    /// Extra parameters for the token request.
    public var endpointParams: [String: String]
    /// TLS settings for the token endpoint.
    public var tlsConfig: TLSConfig
    /// Proxy settings for the token endpoint.
    public var proxy: ProxyConfig

    enum CodingKeys: String, CodingKey {
        case clientID = "client_id"
        case clientSecret = "client_secret"
        case clientSecretFile = "client_secret_file"
        case scopes
        case tokenURL = "token_url"
        case endpointParams = "endpoint_params"
        case tlsConfig = "tls_config"
    }

    /// Decodes and checks the required fields.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        clientID = try container.value(.clientID, default: "")
        clientSecret = try container.optional(.clientSecret)
        clientSecretFile = try container.value(.clientSecretFile, default: "")
        scopes = try container.list(.scopes)
        tokenURL = try container.value(.tokenURL, default: "")
        endpointParams = try container.map(.endpointParams)
        tlsConfig = try container.value(.tlsConfig, default: TLSConfig())
        proxy = try ProxyConfig(from: decoder)
        if clientID.isEmpty {
            throw ConfigValidationError("oauth2 client_id must be configured", field: "client_id")
        }
        if tokenURL.isEmpty {
            throw ConfigValidationError("oauth2 token_url must be configured", field: "token_url")
        }
        if !(clientSecret?.value.isEmpty ?? true) && !clientSecretFile.isEmpty {
            throw ConfigValidationError(
                "at most one of oauth2 client_secret & client_secret_file must be configured",
                field: "client_secret_file")
        }
    }
}

/// A TLS protocol version bound (`min_version`, `max_version`).
public enum TLSVersion: String, Sendable, Hashable, Decodable {
    /// TLS 1.0.
    case tls10 = "TLS10"
    /// TLS 1.1.
    case tls11 = "TLS11"
    /// TLS 1.2.
    case tls12 = "TLS12"
    /// TLS 1.3.
    case tls13 = "TLS13"

    /// Decodes `TLS10`…`TLS13`.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let version = TLSVersion(rawValue: text) else {
            throw ConfigValidationError("unknown TLS version: \(text)")
        }
        self = version
    }
}

/// TLS settings (`tls_config`).
public struct TLSConfig: Sendable, Hashable, Decodable {
    /// CA certificate(s), PEM, inline.
    public var ca: String
    /// CA certificate file; resolved against the config's directory.
    public var caFile: String
    /// Client certificate, PEM, inline.
    public var cert: String
    /// Client certificate file; resolved against the config's directory.
    public var certFile: String
    /// Client key, PEM, inline.
    public var key: Secret?
    /// Client key file; resolved against the config's directory.
    public var keyFile: String
    /// Server name for SNI and verification.
    public var serverName: String
    /// Skip verification of the server's certificate.
    public var insecureSkipVerify: Bool
    /// The lowest TLS version to accept.
    public var minVersion: TLSVersion?
    /// The highest TLS version to accept.
    public var maxVersion: TLSVersion?

    /// No TLS customisation.
    public init() {
        ca = ""
        caFile = ""
        cert = ""
        certFile = ""
        key = nil
        keyFile = ""
        serverName = ""
        insecureSkipVerify = false
        minVersion = nil
        maxVersion = nil
    }

    enum CodingKeys: String, CodingKey {
        case ca, cert, key
        case caFile = "ca_file"
        case certFile = "cert_file"
        case keyFile = "key_file"
        case serverName = "server_name"
        case insecureSkipVerify = "insecure_skip_verify"
        case minVersion = "min_version"
        case maxVersion = "max_version"
    }

    /// Decodes and checks that CA, certificate and key are each given at most one way, and paired.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ca = try container.value(.ca, default: "")
        caFile = try container.value(.caFile, default: "")
        cert = try container.value(.cert, default: "")
        certFile = try container.value(.certFile, default: "")
        key = try container.optional(.key)
        keyFile = try container.value(.keyFile, default: "")
        serverName = try container.value(.serverName, default: "")
        insecureSkipVerify = try container.value(.insecureSkipVerify, default: false)
        minVersion = try container.optional(.minVersion)
        maxVersion = try container.optional(.maxVersion)
        let hasKey = !(key?.value.isEmpty ?? true)
        if !ca.isEmpty && !caFile.isEmpty {
            throw ConfigValidationError("at most one of ca & ca_file must be configured", field: "ca_file")
        }
        if !cert.isEmpty && !certFile.isEmpty {
            throw ConfigValidationError("at most one of cert & cert_file must be configured", field: "cert_file")
        }
        if hasKey && !keyFile.isEmpty {
            throw ConfigValidationError("at most one of key & key_file must be configured", field: "key_file")
        }
        let usingCert = !cert.isEmpty || !certFile.isEmpty
        let usingKey = hasKey || !keyFile.isEmpty
        if usingCert && !usingKey {
            throw ConfigValidationError(
                "exactly one of key or key_file must be configured when a client certificate is configured",
                field: cert.isEmpty ? "cert_file" : "cert")
        }
        if usingKey && !usingCert {
            throw ConfigValidationError(
                "exactly one of cert or cert_file must be configured when a client key is configured",
                field: hasKey ? "key" : "key_file")
        }
    }

    /// Resolves every file path against `directory` (the configuration file's), as `SetDirectory` does.
    public mutating func resolvePaths(in directory: String) {
        caFile = joinDirectory(directory, caFile)
        certFile = joinDirectory(directory, certFile)
        keyFile = joinDirectory(directory, keyFile)
    }
}

/// Proxy settings, inline in the HTTP client config and in `oauth2`.
public struct ProxyConfig: Sendable, Hashable, Decodable {
    /// The proxy to use.
    public var proxyURL: ConfigURL?
    /// Hosts, domains and CIDRs that bypass the proxy, comma separated.
    public var noProxy: String
    /// Take the proxy from `HTTP_PROXY` / `HTTPS_PROXY` / `NO_PROXY`.
    public var proxyFromEnvironment: Bool
    /// Headers to send to the proxy on CONNECT.
    public var proxyConnectHeader: [String: [Secret]]

    /// No proxy.
    public init() {
        proxyURL = nil
        noProxy = ""
        proxyFromEnvironment = false
        proxyConnectHeader = [:]
    }

    enum CodingKeys: String, CodingKey {
        case proxyURL = "proxy_url"
        case noProxy = "no_proxy"
        case proxyFromEnvironment = "proxy_from_environment"
        case proxyConnectHeader = "proxy_connect_header"
    }

    /// Decodes the inline proxy fields and checks they are consistent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        proxyURL = try container.optional(.proxyURL)
        noProxy = try container.value(.noProxy, default: "")
        proxyFromEnvironment = try container.value(.proxyFromEnvironment, default: false)
        proxyConnectHeader = try container.map(.proxyConnectHeader)
        if !proxyConnectHeader.isEmpty && !proxyFromEnvironment && proxyURL == nil {
            throw ConfigValidationError(
                "if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured",
                field: "proxy_connect_header")
        }
        if proxyFromEnvironment && proxyURL != nil {
            throw ConfigValidationError(
                "if proxy_from_environment is configured, proxy_url must not be configured", field: "proxy_url")
        }
        if proxyFromEnvironment && !noProxy.isEmpty {
            throw ConfigValidationError(
                "if proxy_from_environment is configured, no_proxy must not be configured", field: "no_proxy")
        }
        if proxyURL == nil && !noProxy.isEmpty {
            throw ConfigValidationError(
                "if no_proxy is configured, proxy_url must also be configured", field: "no_proxy")
        }
    }
}

/// Values for one extra HTTP header (`http_headers.<name>`).
public struct HTTPHeader: Sendable, Hashable, Decodable {
    /// Plain values.
    public var values: [String]
    /// Values never printed.
    public var secrets: [Secret]
    /// Files whose contents are values; resolved against the config's directory.
    public var files: [String]

    /// Headers a configuration may not set (Prometheus's reserved list).
    static let reserved: Set<String> = [
        "authorization", "host", "content-encoding", "content-length", "content-type", "user-agent",
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "www-authenticate",
        "accept-encoding", "x-prometheus-remote-write-version", "x-prometheus-remote-read-version",
        "x-prometheus-scrape-timeout-seconds", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256",
    ]

    enum CodingKeys: String, CodingKey {
        case values, secrets, files
    }

    /// Decodes the three value lists.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        values = try container.list(.values)
        secrets = try container.list(.secrets)
        files = try container.list(.files)
    }
}

extension String {
    /// The string without leading and trailing white space.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
