public import VigilConfig

/// One entry of a receiver's `dingtalk_configs` (a Vigil addition, not in Alertmanager): posts a
/// markdown message to a DingTalk group robot.
///
/// ```yaml
/// dingtalk_configs:
///   - webhook_url: https://oapi.dingtalk.com/robot/send?access_token=...   # or webhook_url_file
///     secret: SEC...            # or secret_file; for robots with "sign" security
///     at_mobiles: ["13800000000"]
///     at_all: false
/// ```
/// With a `secret`, each request adds `timestamp` (milliseconds) and `sign` (the base64 HMAC-SHA256
/// of `timestamp\nsecret` keyed by the secret, URL-escaped) to the query, as DingTalk requires.
/// `title` and `message` are notification templates (defaults `dingtalk.default.title` and
/// `dingtalk.default.message`).
public struct DingTalkConfig: Sendable, Hashable, Decodable {
    /// Whether resolved alerts are sent (default true).
    public var sendResolved: Bool
    /// HTTP client settings; nil until the global one is inherited.
    public var httpConfig: HTTPClientConfig?
    /// The robot's webhook URL (a secret, it carries the access token) or a file holding it.
    public var webhookURL: CredentialSource<SecretURL>
    /// The signing secret of a robot with "sign" security, inline or from a file.
    public var secret: CredentialSource<Secret>?
    /// The title template (shown in notifications and the chat list).
    public var title: String
    /// The markdown message template.
    public var message: String
    /// Mobile numbers to @-mention; each is also appended to the text as `@number`, as DingTalk requires.
    public var atMobiles: [String]
    /// DingTalk user ids to @-mention.
    public var atUserIDs: [String]
    /// Whether to @-mention everyone.
    public var atAll: Bool
    /// Longest a delivery may take; 0 means the default bound.
    public var timeout: PromDuration

    enum CodingKeys: String, CodingKey {
        case sendResolved = "send_resolved"
        case httpConfig = "http_config"
        case webhookURL = "webhook_url"
        case webhookURLFile = "webhook_url_file"
        case secret
        case secretFile = "secret_file"
        case title, message, timeout
        case atMobiles = "at_mobiles"
        case atUserIDs = "at_user_ids"
        case atAll = "at_all"
    }

    /// Decodes with Vigil's defaults and checks.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sendResolved = try container.value(.sendResolved, default: true)
        httpConfig = try container.optional(.httpConfig)
        webhookURL = try .required(
            container, inline: .webhookURL, file: .webhookURLFile,
            missing: "one of webhook_url or webhook_url_file must be configured")
        secret = try .optional(container, inline: .secret, file: .secretFile)
        title = try container.value(.title, default: #"{{ template "dingtalk.default.title" . }}"#)
        message = try container.value(.message, default: #"{{ template "dingtalk.default.message" . }}"#)
        atMobiles = try container.list(.atMobiles)
        atUserIDs = try container.list(.atUserIDs)
        atAll = try container.value(.atAll, default: false)
        timeout = try container.value(.timeout, default: .zero)
    }

    /// Resolves file paths against `directory`.
    public mutating func resolvePaths(in directory: String) {
        httpConfig?.resolvePaths(in: directory)
        webhookURL = webhookURL.resolvingPaths(in: directory)
        secret = secret?.resolvingPaths(in: directory)
    }
}
