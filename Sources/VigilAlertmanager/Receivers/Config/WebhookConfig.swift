public import VigilConfig

/// One entry of a receiver's `webhook_configs`: POSTs Alertmanager's version-4 JSON payload.
public struct WebhookConfig: Sendable, Hashable, Decodable {
    /// Whether resolved alerts are sent (default true).
    public var sendResolved: Bool
    /// HTTP client settings; nil until ``ReceiverConfig/inheritGlobal(_:receivers:)`` fills in the global one.
    public var httpConfig: HTTPClientConfig?
    /// The endpoint (`url`, a secret) or the file holding it (`url_file`); exactly one is required.
    public var url: CredentialSource<SecretURL>
    /// Most alerts in one message; 0 means no limit. The rest are counted in `truncatedAlerts`.
    public var maxAlerts: Int
    /// Longest a delivery may take; 0 means the default bound (``IntegrationDefaults/requestTimeout``).
    public var timeout: PromDuration

    enum CodingKeys: String, CodingKey {
        case sendResolved = "send_resolved"
        case httpConfig = "http_config"
        case url
        case urlFile = "url_file"
        case maxAlerts = "max_alerts"
        case timeout
    }

    /// Decodes with Alertmanager's defaults and checks.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sendResolved = try container.value(.sendResolved, default: true)
        httpConfig = try container.optional(.httpConfig)
        maxAlerts = try container.count(.maxAlerts)
        timeout = try container.value(.timeout, default: .zero)
        url = try .required(container, inline: .url, file: .urlFile, missing: "one of url or url_file must be configured")
    }

    /// Resolves file paths against `directory`.
    public mutating func resolvePaths(in directory: String) {
        httpConfig?.resolvePaths(in: directory)
        url = url.resolvingPaths(in: directory)
    }
}
