/// The fields of a `type: forward` output: Fluentd's forward protocol over TCP or TLS, in
/// `PackedForward` mode, each batch waiting for its `ack`, with the protocol's shared-key
/// handshake (`<security>` in Fluentd's `in_forward`) when a shared key is set.
public struct ForwardOutputConfig: Sendable, Hashable, Decodable {
    /// `host:port` of the Fluentd (or Fluent Bit) `in_forward`. Required.
    public var address: String
    /// The event tag (default `vigil`).
    public var tag: String
    /// Wait for the receiver's `ack` of each batch's `chunk` id (default true); without it a
    /// batch counts as delivered once written to the socket.
    public var requireAck: Bool
    /// TLS to the receiver (`tls: true`), with `tls_config`'s CA, client certificate and names.
    public var tls: StreamTLSConfig
    /// The shared key of the receiver's `<security>` section (`shared_key`); nil for none.
    public var sharedKey: Secret?
    /// A file holding the shared key (`shared_key_file`), resolved against the config's directory.
    public var sharedKeyFile: String
    /// The name this client gives in the handshake (`self_hostname`; default: the host's name).
    public var selfHostname: String
    /// The user of the receiver's `<user>` authentication (`username`), if it asks for one.
    public var username: String
    /// That user's password (`password`, or `password_file`).
    public var password: Secret?
    /// A file holding the password, resolved against the config's directory.
    public var passwordFile: String

    enum CodingKeys: String, CodingKey {
        case address, tag, username, password
        case requireAck = "require_ack"
        case sharedKey = "shared_key"
        case sharedKeyFile = "shared_key_file"
        case selfHostname = "self_hostname"
        case passwordFile = "password_file"
    }

    /// Forwarding to `address` with tag `vigil`, waiting for acks, without TLS or a shared key.
    public init(address: String) {
        self.address = address
        tag = "vigil"
        requireAck = true
        tls = StreamTLSConfig()
        sharedKey = nil
        sharedKeyFile = ""
        selfHostname = ""
        username = ""
        password = nil
        passwordFile = ""
    }

    /// Whether the handshake runs: a shared key is set, in the config or in a file.
    public var usesSharedKey: Bool { sharedKey != nil || !sharedKeyFile.isEmpty }

    /// Decodes the forward fields of an output entry.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(address: try requiredHostPort(container, .address, type: "forward"))
        tag = try container.value(.tag, default: tag)
        requireAck = try container.value(.requireAck, default: true)
        tls = try StreamTLSConfig(from: decoder)
        sharedKey = try container.optional(.sharedKey, as: Secret.self)
        sharedKeyFile = try container.value(.sharedKeyFile, default: "")
        selfHostname = try container.value(.selfHostname, default: "")
        username = try container.value(.username, default: "")
        password = try container.optional(.password, as: Secret.self)
        passwordFile = try container.value(.passwordFile, default: "")
        guard !tag.isEmpty else { throw ConfigValidationError("tag must not be empty", field: "tag") }
        if sharedKey != nil && !sharedKeyFile.isEmpty {
            throw ConfigValidationError("shared_key and shared_key_file are mutually exclusive", field: "shared_key")
        }
        if password != nil && !passwordFile.isEmpty {
            throw ConfigValidationError("password and password_file are mutually exclusive", field: "password")
        }
        if !usesSharedKey && (!username.isEmpty || password != nil || !passwordFile.isEmpty) {
            throw ConfigValidationError("username and password are sent in the shared-key handshake: set shared_key", field: "username")
        }
    }

    /// Joins the key, password and TLS files to `directory`.
    mutating func resolvePaths(in directory: String) {
        tls.config.resolvePaths(in: directory)
        if !sharedKeyFile.isEmpty { sharedKeyFile = joinDirectory(directory, sharedKeyFile) }
        if !passwordFile.isEmpty { passwordFile = joinDirectory(directory, passwordFile) }
    }
}

/// `tls` and `tls_config` of an output that speaks over a plain TCP stream (forward, syslog):
/// TLS is on only when `tls: true`; `tls_config` takes the same keys as Prometheus's.
public struct StreamTLSConfig: Sendable, Hashable {
    /// Whether the connection is TLS (`tls`, default false).
    public var enabled: Bool
    /// CA, client certificate and key, `server_name`, `insecure_skip_verify`, versions.
    public var config: TLSConfig

    enum CodingKeys: String, CodingKey {
        case tls
        case tlsConfig = "tls_config"
    }

    /// Plain TCP.
    public init(enabled: Bool = false, config: TLSConfig = TLSConfig()) {
        self.enabled = enabled
        self.config = config
    }

    /// Reads `tls` and `tls_config` from an output's mapping; `tls_config` without `tls: true` is
    /// an error, so a certificate is never configured and then silently not used.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try container.value(.tls, default: false)
        let given = try container.optional(.tlsConfig, as: TLSConfig.self)
        config = given ?? TLSConfig()
        if given != nil && !enabled {
            throw ConfigValidationError("tls_config is only used with tls: true", field: "tls_config")
        }
    }
}

/// Decodes a required `host:port`.
func requiredHostPort<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, _ key: Key, type: String) throws -> String {
    guard let address = try container.optional(key, as: String.self) else {
        throw ConfigValidationError("a \(type) output needs an address (host:port)", field: .key(key.stringValue))
    }
    guard let colon = address.lastIndex(of: ":"), colon > address.startIndex,
          let port = Int(address[address.index(after: colon)...]), (1...65535).contains(port)
    else {
        throw ConfigValidationError("address must be host:port", field: .key(key.stringValue))
    }
    return address
}
