import VigilConfig

/// One entry of alertmanager.yml's `receivers`: a name and the integrations it delivers through.
///
/// Supported: `webhook_configs`, `email_configs`, `slack_configs`, `pagerduty_configs`,
/// `telegram_configs`, and Vigil's additions `dingtalk_configs` (DingTalk group robots) and
/// `wecom_configs` (WeCom group robots). Alertmanager's other receivers — `opsgenie_configs`,
/// `victorops_configs`, `pushover_configs`, `sns_configs`, `webex_configs`, `discord_configs`,
/// `msteams_configs`, `msteamsv2_configs`, `wechat_configs`, `jira_configs`, `rocketchat_configs`,
/// `incidentio_configs`, `mattermost_configs` — are not yet supported: a receiver that uses one is
/// rejected with an error naming the receiver and the key, rather than silently delivering nothing.
public struct ReceiverConfig: Sendable, Hashable, Decodable {
    /// The receiver's unique name, referenced by routes.
    public var name: String
    /// Generic webhooks.
    public var webhookConfigs: [WebhookConfig]
    /// Email over SMTP.
    public var emailConfigs: [EmailConfig]
    /// Slack.
    public var slackConfigs: [SlackConfig]
    /// PagerDuty.
    public var pagerdutyConfigs: [PagerdutyConfig]
    /// Telegram bots.
    public var telegramConfigs: [TelegramConfig]
    /// DingTalk group robots (Vigil addition).
    public var dingtalkConfigs: [DingTalkConfig]
    /// WeCom group robots (Vigil addition).
    public var wecomConfigs: [WeComConfig]

    /// A receiver with no integrations (a "blackhole" receiver).
    public init(name: String) {
        self.name = name
        webhookConfigs = []
        emailConfigs = []
        slackConfigs = []
        pagerdutyConfigs = []
        telegramConfigs = []
        dingtalkConfigs = []
        wecomConfigs = []
    }

    /// The Alertmanager receiver keys Vigil does not deliver to yet.
    public static let unsupportedKeys: [String] = [
        "discord_configs", "incidentio_configs", "jira_configs", "mattermost_configs", "msteams_configs",
        "msteamsv2_configs", "opsgenie_configs", "pushover_configs", "rocketchat_configs", "sns_configs",
        "victorops_configs", "webex_configs", "wechat_configs",
    ]

    enum CodingKeys: String, CodingKey {
        case name
        case webhookConfigs = "webhook_configs"
        case emailConfigs = "email_configs"
        case slackConfigs = "slack_configs"
        case pagerdutyConfigs = "pagerduty_configs"
        case telegramConfigs = "telegram_configs"
        case dingtalkConfigs = "dingtalk_configs"
        case wecomConfigs = "wecom_configs"
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes and rejects a missing name and the receivers Vigil cannot deliver to.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.value(.name, default: "")
        webhookConfigs = try container.list(.webhookConfigs)
        emailConfigs = try container.list(.emailConfigs)
        slackConfigs = try container.list(.slackConfigs)
        pagerdutyConfigs = try container.list(.pagerdutyConfigs)
        telegramConfigs = try container.list(.telegramConfigs)
        dingtalkConfigs = try container.list(.dingtalkConfigs)
        wecomConfigs = try container.list(.wecomConfigs)
        let others = try decoder.container(keyedBy: AnyKey.self)
        for key in Self.unsupportedKeys where others.contains(AnyKey(stringValue: key)) {
            throw ConfigValidationError(
                "receiver \"\(name)\": \(key) is not yet supported by Vigil "
                    + "(supported: webhook, email, slack, pagerduty, telegram, dingtalk, wecom)",
                field: .key(key))
        }
        if name.isEmpty {
            throw ConfigValidationError("missing name in receiver")
        }
    }

    /// Whether the receiver has no integration at all (notifications to it are dropped).
    public var isEmpty: Bool {
        webhookConfigs.isEmpty && emailConfigs.isEmpty && slackConfigs.isEmpty && pagerdutyConfigs.isEmpty
            && telegramConfigs.isEmpty && dingtalkConfigs.isEmpty && wecomConfigs.isEmpty
    }

    /// Resolves every file path (`*_file`, TLS files) against `directory`, the configuration file's.
    public mutating func resolvePaths(in directory: String) {
        for index in webhookConfigs.indices { webhookConfigs[index].resolvePaths(in: directory) }
        for index in emailConfigs.indices { emailConfigs[index].resolvePaths(in: directory) }
        for index in slackConfigs.indices { slackConfigs[index].resolvePaths(in: directory) }
        for index in pagerdutyConfigs.indices { pagerdutyConfigs[index].resolvePaths(in: directory) }
        for index in telegramConfigs.indices { telegramConfigs[index].resolvePaths(in: directory) }
        for index in dingtalkConfigs.indices { dingtalkConfigs[index].resolvePaths(in: directory) }
        for index in wecomConfigs.indices { wecomConfigs[index].resolvePaths(in: directory) }
    }
}
