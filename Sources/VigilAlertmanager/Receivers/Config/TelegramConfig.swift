public import VigilConfig

/// One entry of a receiver's `telegram_configs`: a Bot API `sendMessage` call.
public struct TelegramConfig: Sendable, Hashable, Decodable {
    /// Whether resolved alerts are sent (default true).
    public var sendResolved: Bool
    /// HTTP client settings; nil until the global one is inherited.
    public var httpConfig: HTTPClientConfig?
    /// The Bot API base URL; from the global `telegram_api_url` when unset.
    public var apiURL: EndpointURL?
    /// The bot's token (a secret), inline or from a file; exactly one is required.
    public var botToken: CredentialSource<Secret>
    /// The chat to post to (required, not 0).
    public var chatID: Int64
    /// The forum topic to post to; 0 for none.
    public var messageThreadID: Int
    /// The message template (default `{{ template "telegram.default.message" . }}`).
    public var message: String
    /// Whether the message is sent silently.
    public var disableNotifications: Bool
    /// `HTML` (default), `Markdown`, `MarkdownV2`, or empty for plain text.
    public var parseMode: String
    /// Longest a delivery may take; 0 means the default bound.
    public var timeout: PromDuration

    enum CodingKeys: String, CodingKey {
        case sendResolved = "send_resolved"
        case httpConfig = "http_config"
        case apiURL = "api_url"
        case botToken = "bot_token"
        case botTokenFile = "bot_token_file"
        case chatID = "chat_id"
        case messageThreadID = "message_thread_id"
        case message
        case disableNotifications = "disable_notifications"
        case parseMode = "parse_mode"
        case timeout
    }

    /// Decodes with Alertmanager's defaults and checks.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sendResolved = try container.value(.sendResolved, default: true)
        httpConfig = try container.optional(.httpConfig)
        apiURL = try container.optional(.apiURL)
        botToken = try .required(
            container, inline: .botToken, file: .botTokenFile, missing: "missing bot_token or bot_token_file on telegram_config")
        chatID = try container.value(.chatID, default: 0)
        messageThreadID = try container.value(.messageThreadID, default: 0)
        message = try container.value(.message, default: #"{{ template "telegram.default.message" . }}"#)
        disableNotifications = try container.value(.disableNotifications, default: false)
        parseMode = try container.value(.parseMode, default: "HTML")
        timeout = try container.value(.timeout, default: .zero)
        if chatID == 0 {
            throw ConfigValidationError("missing chat_id on telegram_config")
        }
        if !["", "HTML", "Markdown", "MarkdownV2"].contains(parseMode) {
            throw ConfigValidationError(
                "unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string", field: "parse_mode")
        }
    }

    /// Resolves file paths against `directory`.
    public mutating func resolvePaths(in directory: String) {
        httpConfig?.resolvePaths(in: directory)
        botToken = botToken.resolvingPaths(in: directory)
    }
}
