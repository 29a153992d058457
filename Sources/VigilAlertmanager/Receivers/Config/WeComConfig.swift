public import VigilConfig

/// One entry of a receiver's `wecom_configs` (a Vigil addition): posts to a WeCom (企业微信) group
/// robot webhook. Alertmanager's own `wechat_configs` (the WeCom application API) is a different,
/// not yet supported receiver.
///
/// ```yaml
/// wecom_configs:
///   - webhook_url: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...   # or webhook_url_file
///     message_type: markdown      # or text
///     mentioned_list: ["zhangsan", "@all"]
///     mentioned_mobile_list: ["13800000000"]
/// ```
/// The message is a notification template (default `wecom.default.message`); its rendering is cut
/// to WeCom's limit of 4096 bytes on a UTF-8 boundary. In `text` mode the mention lists go in
/// the request's `mentioned_list` / `mentioned_mobile_list`; in `markdown` mode (which has no such
/// fields) each user id in `mentioned_list` is appended as `<@id>`.
public struct WeComConfig: Sendable, Hashable, Decodable {
    /// Whether resolved alerts are sent (default true).
    public var sendResolved: Bool
    /// HTTP client settings; nil until the global one is inherited.
    public var httpConfig: HTTPClientConfig?
    /// The robot's webhook URL (a secret, it carries the key) or a file holding it.
    public var webhookURL: CredentialSource<SecretURL>
    /// `markdown` (default) or `text`.
    public var messageType: String
    /// The message template.
    public var message: String
    /// User ids to mention (`@all` for everyone).
    public var mentionedList: [String]
    /// Mobile numbers to mention (`text` messages only).
    public var mentionedMobileList: [String]
    /// Longest a delivery may take; 0 means the default bound.
    public var timeout: PromDuration

    enum CodingKeys: String, CodingKey {
        case sendResolved = "send_resolved"
        case httpConfig = "http_config"
        case webhookURL = "webhook_url"
        case webhookURLFile = "webhook_url_file"
        case messageType = "message_type"
        case message, timeout
        case mentionedList = "mentioned_list"
        case mentionedMobileList = "mentioned_mobile_list"
    }

    /// Decodes with Vigil's defaults and checks.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sendResolved = try container.value(.sendResolved, default: true)
        httpConfig = try container.optional(.httpConfig)
        webhookURL = try .required(
            container, inline: .webhookURL, file: .webhookURLFile,
            missing: "one of webhook_url or webhook_url_file must be configured")
        messageType = try container.value(.messageType, default: "markdown")
        message = try container.value(.message, default: #"{{ template "wecom.default.message" . }}"#)
        mentionedList = try container.list(.mentionedList)
        mentionedMobileList = try container.list(.mentionedMobileList)
        timeout = try container.value(.timeout, default: .zero)
        if messageType != "markdown" && messageType != "text" {
            throw ConfigValidationError(
                "WeCom message type \"\(messageType)\" must be markdown or text", field: "message_type")
        }
    }

    /// Resolves file paths against `directory`.
    public mutating func resolvePaths(in directory: String) {
        httpConfig?.resolvePaths(in: directory)
        webhookURL = webhookURL.resolvingPaths(in: directory)
    }
}
