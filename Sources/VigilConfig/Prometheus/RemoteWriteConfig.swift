/// Sending samples to a remote store (`remote_write` entry).
public struct RemoteWriteConfig: Sendable, Hashable, Decodable {
    /// The endpoint. Required.
    public var url: ConfigURL
    /// How long one request may take (default 30s).
    public var remoteTimeout: PromDuration
    /// Extra headers; reserved ones (Authorization, Content-Type…) are rejected.
    public var headers: [String: String]
    /// Relabeling applied to series before sending.
    public var writeRelabelConfigs: [RelabelConfig]
    /// A name for metrics and logs; unique among remote writes when set.
    public var name: String
    /// Send exemplars (default false).
    public var sendExemplars: Bool
    /// Send native histograms (default false).
    public var sendNativeHistograms: Bool
    /// How to talk to the endpoint.
    public var httpClient: HTTPClientConfig
    /// Sharding and batching.
    public var queueConfig: QueueConfig
    /// Metric metadata sending.
    public var metadataConfig: MetadataConfig
    /// AWS SigV4 signing.
    public var sigv4: SigV4Config?
    /// Azure AD authentication.
    public var azureAD: AzureADConfig?

    enum CodingKeys: String, CodingKey {
        case url, headers, name, sigv4
        case remoteTimeout = "remote_timeout"
        case writeRelabelConfigs = "write_relabel_configs"
        case sendExemplars = "send_exemplars"
        case sendNativeHistograms = "send_native_histograms"
        case queueConfig = "queue_config"
        case metadataConfig = "metadata_config"
        case azureAD = "azuread"
    }

    /// Decodes with Prometheus's defaults and validates headers and authentication.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let url = try container.optional(.url, as: ConfigURL.self)
        remoteTimeout = try container.value(.remoteTimeout, default: .seconds(30))
        headers = try container.map(.headers)
        writeRelabelConfigs = try container.list(.writeRelabelConfigs)
        name = try container.value(.name, default: "")
        sendExemplars = try container.value(.sendExemplars, default: false)
        sendNativeHistograms = try container.value(.sendNativeHistograms, default: false)
        queueConfig = try container.value(.queueConfig, default: QueueConfig())
        metadataConfig = try container.value(.metadataConfig, default: MetadataConfig())
        sigv4 = try container.optional(.sigv4)
        azureAD = try container.optional(.azureAD)
        httpClient = try HTTPClientConfig(from: decoder)

        guard let url else { throw ConfigValidationError("url for remote_write is empty", field: "url") }
        self.url = url
        try validateRemoteHeaders(headers)
        if httpClient.hasAuthentication && (sigv4 != nil || azureAD != nil) || sigv4 != nil && azureAD != nil {
            throw ConfigValidationError(
                "at most one of basic_auth, authorization, oauth2, sigv4, & azuread must be configured",
                field: azureAD != nil ? "azuread" : "sigv4")
        }
    }
}

/// Checks remote write/read headers against Prometheus's reserved list.
func validateRemoteHeaders(_ headers: [String: String]) throws(ConfigValidationError) {
    for name in headers.keys.sorted() {
        let lower = name.lowercased()
        if lower == "authorization" {
            throw ConfigValidationError(
                "authorization header must be changed via the basic_auth, authorization, oauth2, sigv4, or azuread parameter",
                field: "headers", .key(name))
        }
        if HTTPHeader.reserved.contains(lower) {
            throw ConfigValidationError("\(name) is a reserved header. It must not be changed", field: "headers", .key(name))
        }
    }
}

/// Sharding and batching of a remote write queue (`queue_config`).
public struct QueueConfig: Sendable, Hashable, Decodable {
    /// Samples buffered per shard (default 10000).
    public var capacity: Int
    /// Most shards (default 50).
    public var maxShards: Int
    /// Fewest shards (default 1).
    public var minShards: Int
    /// Most samples per request (default 2000).
    public var maxSamplesPerSend: Int
    /// Longest a sample waits in a partial batch (default 5s).
    public var batchSendDeadline: PromDuration
    /// First retry delay (default 30ms).
    public var minBackoff: PromDuration
    /// Longest retry delay (default 5s).
    public var maxBackoff: PromDuration
    /// Retry on HTTP 429 (default false).
    public var retryOnRateLimit: Bool
    /// Drop samples older than this instead of sending; 0 means never.
    public var sampleAgeLimit: PromDuration

    /// Prometheus's defaults.
    public init() {
        capacity = 10000
        maxShards = 50
        minShards = 1
        maxSamplesPerSend = 2000
        batchSendDeadline = .seconds(5)
        minBackoff = PromDuration(milliseconds: 30)
        maxBackoff = .seconds(5)
        retryOnRateLimit = false
        sampleAgeLimit = .zero
    }

    enum CodingKeys: String, CodingKey {
        case capacity
        case maxShards = "max_shards"
        case minShards = "min_shards"
        case maxSamplesPerSend = "max_samples_per_send"
        case batchSendDeadline = "batch_send_deadline"
        case minBackoff = "min_backoff"
        case maxBackoff = "max_backoff"
        case retryOnRateLimit = "retry_on_http_429"
        case sampleAgeLimit = "sample_age_limit"
    }

    /// Decodes; unset fields keep their defaults.
    public init(from decoder: any Decoder) throws {
        let defaults = QueueConfig()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        capacity = try container.value(.capacity, default: defaults.capacity)
        maxShards = try container.value(.maxShards, default: defaults.maxShards)
        minShards = try container.value(.minShards, default: defaults.minShards)
        maxSamplesPerSend = try container.value(.maxSamplesPerSend, default: defaults.maxSamplesPerSend)
        batchSendDeadline = try container.value(.batchSendDeadline, default: defaults.batchSendDeadline)
        minBackoff = try container.value(.minBackoff, default: defaults.minBackoff)
        maxBackoff = try container.value(.maxBackoff, default: defaults.maxBackoff)
        retryOnRateLimit = try container.value(.retryOnRateLimit, default: false)
        sampleAgeLimit = try container.value(.sampleAgeLimit, default: .zero)
    }
}

/// Sending metric metadata with remote write (`metadata_config`).
public struct MetadataConfig: Sendable, Hashable, Decodable {
    /// Whether to send metadata (default true).
    public var send: Bool
    /// How often (default 1m).
    public var sendInterval: PromDuration
    /// Most metadata entries per request (default 2000).
    public var maxSamplesPerSend: Int

    /// Prometheus's defaults.
    public init() {
        send = true
        sendInterval = .minutes(1)
        maxSamplesPerSend = 2000
    }

    enum CodingKeys: String, CodingKey {
        case send
        case sendInterval = "send_interval"
        case maxSamplesPerSend = "max_samples_per_send"
    }

    /// Decodes; unset fields keep their defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        send = try container.value(.send, default: true)
        sendInterval = try container.value(.sendInterval, default: .minutes(1))
        maxSamplesPerSend = try container.value(.maxSamplesPerSend, default: 2000)
    }
}

/// Azure AD authentication for remote write (`azuread`).
public struct AzureADConfig: Sendable, Hashable, Decodable {
    /// `AzurePublic` (default), `AzureChina` or `AzureGovernment`.
    public var cloud: String
    /// Managed identity client ID.
    public var managedIdentityClientID: String?
    /// OAuth client credentials.
    public var oauth: OAuth?
    /// Azure SDK default credentials, with an optional tenant.
    public var sdkTenantID: String?

    /// OAuth client credentials for Azure AD.
    public struct OAuth: Sendable, Hashable, Decodable {
        /// The application (client) ID.
        public var clientID: String
        /// The client secret.
        public var clientSecret: Secret
        /// The directory (tenant) ID.
        public var tenantID: String

        enum CodingKeys: String, CodingKey {
            case clientID = "client_id"
            case clientSecret = "client_secret"
            case tenantID = "tenant_id"
        }

        /// Decodes; all three fields are required.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            clientID = try container.value(.clientID, default: "")
            clientSecret = try container.value(.clientSecret, default: Secret(""))
            tenantID = try container.value(.tenantID, default: "")
            if clientID.isEmpty {
                throw ConfigValidationError("must provide an Azure OAuth client_id in the Azure AD config", field: "client_id")
            }
            if clientSecret.value.isEmpty {
                throw ConfigValidationError(
                    "must provide an Azure OAuth client_secret in the Azure AD config", field: "client_secret")
            }
            if tenantID.isEmpty {
                throw ConfigValidationError("must provide an Azure OAuth tenant_id in the Azure AD config", field: "tenant_id")
            }
        }
    }

    private struct ClientID: Decodable {
        var clientID: String
        enum CodingKeys: String, CodingKey { case clientID = "client_id" }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            clientID = try container.value(.clientID, default: "")
        }
    }

    private struct TenantID: Decodable {
        var tenantID: String
        enum CodingKeys: String, CodingKey { case tenantID = "tenant_id" }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            tenantID = try container.value(.tenantID, default: "")
        }
    }

    enum CodingKeys: String, CodingKey {
        case cloud, oauth, sdk
        case managedIdentity = "managed_identity"
    }

    /// Decodes and checks exactly one credential source is configured.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        cloud = try container.value(.cloud, default: "AzurePublic")
        managedIdentityClientID = try container.optional(.managedIdentity, as: ClientID.self)?.clientID
        oauth = try container.optional(.oauth)
        sdkTenantID = try container.optional(.sdk, as: TenantID.self)?.tenantID
        if cloud.isEmpty { cloud = "AzurePublic" }
        if !["AzurePublic", "AzureChina", "AzureGovernment"].contains(cloud) {
            throw ConfigValidationError("must provide a cloud in the Azure AD config", field: "cloud")
        }
        let sources = [managedIdentityClientID != nil, oauth != nil, sdkTenantID != nil].filter { $0 }.count
        if sources == 0 {
            throw ConfigValidationError(
                "must provide an Azure Managed Identity, Azure OAuth or Azure SDK in the Azure AD config")
        }
        if sources > 1 {
            throw ConfigValidationError(
                "provide only one of Azure Managed Identity, Azure OAuth and Azure SDK in the Azure AD config")
        }
        if let managedIdentityClientID, managedIdentityClientID.isEmpty {
            throw ConfigValidationError(
                "must provide an Azure Managed Identity client_id in the Azure AD config",
                field: "managed_identity", "client_id")
        }
    }
}
