/// Where alerts go (`alerting`).
public struct AlertingConfig: Sendable, Hashable, Decodable {
    /// Relabeling applied to every alert before it is sent.
    public var alertRelabelConfigs: [RelabelConfig]
    /// The Alertmanagers to send to.
    public var alertmanagers: [AlertmanagerConfig]

    /// No Alertmanagers.
    public init() {
        alertRelabelConfigs = []
        alertmanagers = []
    }

    enum CodingKeys: String, CodingKey {
        case alertRelabelConfigs = "alert_relabel_configs"
        case alertmanagers
    }

    /// Decodes both lists.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        alertRelabelConfigs = try container.list(.alertRelabelConfigs)
        alertmanagers = try container.list(.alertmanagers)
    }
}

/// The Alertmanager API version alerts are posted with.
public enum AlertmanagerAPIVersion: String, Sendable, Hashable, Decodable {
    /// `/api/v1/alerts` (removed from Alertmanager 0.27; kept for old configurations).
    case v1
    /// `/api/v2/alerts` (the default).
    case v2

    /// Decodes `v1` or `v2`.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let version = AlertmanagerAPIVersion(rawValue: text) else {
            throw ConfigValidationError("expected Alertmanager api version to be one of [v1 v2] but got \(text)")
        }
        self = version
    }
}

/// One group of Alertmanagers, discovered like scrape targets (`alertmanagers` entry).
public struct AlertmanagerConfig: Sendable, Hashable, Decodable {
    /// How to talk to the Alertmanagers.
    public var httpClient: HTTPClientConfig
    /// AWS SigV4 signing, instead of other authentication.
    public var sigv4: SigV4Config?
    /// `http` (default) or `https`.
    public var scheme: String
    /// A path prefix before `/api/v2/alerts`.
    public var pathPrefix: String
    /// How long a send may take (default 10s).
    public var timeout: PromDuration
    /// The API version (default v2).
    public var apiVersion: AlertmanagerAPIVersion
    /// Where the Alertmanagers come from.
    public var serviceDiscovery: ServiceDiscoveryConfigs
    /// Relabeling applied to discovered Alertmanagers.
    public var relabelConfigs: [RelabelConfig]
    /// Relabeling applied to alerts sent to these Alertmanagers.
    public var alertRelabelConfigs: [RelabelConfig]

    enum CodingKeys: String, CodingKey {
        case sigv4, scheme, timeout
        case pathPrefix = "path_prefix"
        case apiVersion = "api_version"
        case relabelConfigs = "relabel_configs"
        case alertRelabelConfigs = "alert_relabel_configs"
    }

    /// Decodes with Prometheus's defaults and checks authentication is configured one way.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sigv4 = try container.optional(.sigv4)
        scheme = try container.value(.scheme, default: "http")
        pathPrefix = try container.value(.pathPrefix, default: "")
        timeout = try container.value(.timeout, default: .seconds(10))
        apiVersion = try container.value(.apiVersion, default: .v2)
        relabelConfigs = try container.list(.relabelConfigs)
        alertRelabelConfigs = try container.list(.alertRelabelConfigs)
        serviceDiscovery = try ServiceDiscoveryConfigs(from: decoder)
        httpClient = try HTTPClientConfig(from: decoder)
        if httpClient.hasAuthentication && sigv4 != nil {
            throw ConfigValidationError(
                "at most one of basic_auth, authorization, oauth2, & sigv4 must be configured", field: "sigv4")
        }
        if relabelConfigs.isEmpty {
            try serviceDiscovery.checkStaticTargets()
        }
    }

    mutating func resolvePaths(in directory: String) {
        serviceDiscovery.resolvePaths(in: directory)
        httpClient.resolvePaths(in: directory)
    }
}

/// AWS Signature Version 4 request signing (`sigv4`).
public struct SigV4Config: Sendable, Hashable, Decodable {
    /// The AWS region; empty means from the environment.
    public var region: String
    /// The access key; set together with ``secretKey`` or not at all.
    public var accessKey: String
    /// The secret key.
    public var secretKey: Secret?
    /// A named AWS profile.
    public var profile: String
    /// A role to assume.
    public var roleARN: String

    enum CodingKeys: String, CodingKey {
        case region, profile
        case accessKey = "access_key"
        case secretKey = "secret_key"
        case roleARN = "role_arn"
    }

    /// Decodes and checks the keys come in pairs.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        region = try container.value(.region, default: "")
        accessKey = try container.value(.accessKey, default: "")
        secretKey = try container.optional(.secretKey)
        profile = try container.value(.profile, default: "")
        roleARN = try container.value(.roleARN, default: "")
        if accessKey.isEmpty != (secretKey?.value.isEmpty ?? true) {
            throw ConfigValidationError(
                "must provide a AWS SigV4 Access key and Secret Key if credentials are specified in the SigV4 config",
                field: accessKey.isEmpty ? "access_key" : "secret_key")
        }
    }
}
