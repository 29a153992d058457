/// One `type: http` entry of `logs.inputs`: Loki's push API (JSON or snappy protobuf) and plain
/// JSON lines over HTTP, answered only once the lines are durably in every output's buffer.
public struct HTTPInputConfig: Sendable, Hashable, Decodable {
    /// A name for metrics and logs (default `http`); unique among inputs.
    public var name: String
    /// Where to listen (default `0.0.0.0:3101`).
    public var address: ListenAddress
    /// A request body larger than this (after snappy decoding, for protobuf) is answered 413 (default 10MiB).
    public var maxBodySize: ByteSize
    /// Labels added to every line of this input.
    public var labels: [String: String]
    /// Processing steps (`processors`), as on file inputs but without `multiline` (docs/LOGS.md).
    public var processors: [LogProcessorConfig]
    /// HTTPS (`tls_server_config`); nil for plain HTTP.
    public var tls: ServerTLSConfig?
    /// Credentials a pusher must send (`basic_auth`); with ``authorization`` too, either one is accepted.
    public var basicAuth: BasicAuth?
    /// A token a pusher must send (`authorization`: `type`, default `Bearer`, and `credentials`
    /// or `credentials_file`).
    public var authorization: Authorization?

    enum CodingKeys: String, CodingKey {
        case type, name, address, labels, authorization
        case maxBodySize = "max_body_size"
        case tls = "tls_server_config"
        case basicAuth = "basic_auth"
    }

    /// An input listening on `address`, with every other setting at its default.
    public init(name: String = "http", address: ListenAddress = ListenAddress(host: "0.0.0.0", port: 3101)) {
        self.name = name
        self.address = address
        self.maxBodySize = ByteSize(bytes: 10 << 20)
        self.labels = [:]
        self.processors = []
        self.tls = nil
        self.basicAuth = nil
        self.authorization = nil
    }

    /// Whether a request must carry credentials.
    public var requiresAuthentication: Bool { basicAuth != nil || authorization != nil }

    /// Joins the TLS and credential files to `directory`.
    mutating func resolvePaths(in directory: String) {
        tls?.resolvePaths(in: directory)
        if var auth = basicAuth {
            auth.passwordFile = auth.passwordFile.isEmpty ? "" : joinDirectory(directory, auth.passwordFile)
            auth.usernameFile = auth.usernameFile.isEmpty ? "" : joinDirectory(directory, auth.usernameFile)
            basicAuth = auth
        }
        if var auth = authorization, !auth.credentialsFile.isEmpty {
            auth.credentialsFile = joinDirectory(directory, auth.credentialsFile)
            authorization = auth
        }
    }

    /// Decodes with the defaults above.
    public init(from decoder: any Decoder) throws {
        processors = try PushedInputProcessors.decode(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        _ = try container.optional(.type, as: String.self)
        name = try container.value(.name, default: "http")
        address = try container.value(.address, default: ListenAddress(host: "0.0.0.0", port: 3101))
        maxBodySize = try container.value(.maxBodySize, default: ByteSize(bytes: 10 << 20))
        labels = try container.map(.labels)
        tls = try container.optional(.tls)
        basicAuth = try container.optional(.basicAuth)
        authorization = try container.optional(.authorization)
        if var auth = authorization {
            if auth.type.isEmpty { auth.type = "Bearer" }
            authorization = auth
            if (auth.credentials?.value.isEmpty ?? true) && auth.credentialsFile.isEmpty {
                throw ConfigValidationError("authorization needs credentials or credentials_file", field: "authorization")
            }
        }
        if let auth = basicAuth, (auth.username.isEmpty && auth.usernameFile.isEmpty) || (auth.password == nil && auth.passwordFile.isEmpty) {
            throw ConfigValidationError("basic_auth needs a username and a password (or their files)", field: "basic_auth")
        }
        guard maxBodySize.bytes >= 1024, maxBodySize.bytes <= 256 << 20 else {
            throw ConfigValidationError("max_body_size must be between 1KiB and 256MiB", field: "max_body_size")
        }
        try validateLabels(labels, field: "labels")
    }
}
