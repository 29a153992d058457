public import VigilConfig

/// Alertmanager's `global:` section: defaults every receiver inherits.
///
/// Named apart from ``VigilConfig/GlobalConfig`` (Prometheus's `global:`). After decoding a whole
/// alertmanager.yml, call ``ReceiverConfig/inheritGlobal(_:receivers:)`` so that each integration
/// takes these values where it leaves a field unset, as Alertmanager's loader does. The keys of
/// receivers Vigil does not deliver to yet (`opsgenie_*`, `victorops_*`, `wechat_*`, `webex_api_url`)
/// are accepted so an unchanged file loads; they have no effect.
public struct AlertmanagerGlobalConfig: Sendable, Hashable, Decodable {
    /// How long after its last update an alert without `endsAt` is considered resolved (default 5m).
    public var resolveTimeout: PromDuration
    /// The HTTP client settings of every integration that has no `http_config` of its own.
    public var httpConfig: HTTPClientConfig
    /// Default sender address of email notifications (`smtp_from`).
    public var smtpFrom: String
    /// Default host name sent in SMTP `EHLO` (`smtp_hello`, default `localhost`).
    public var smtpHello: String
    /// Default SMTP server (`smtp_smarthost`, `host:port`).
    public var smtpSmarthost: SMTPSmarthost?
    /// Default SMTP user name.
    public var smtpAuthUsername: String
    /// Default SMTP password.
    public var smtpAuthPassword: Secret?
    /// A file holding the default SMTP password, instead of ``smtpAuthPassword``.
    public var smtpAuthPasswordFile: String
    /// Default identity for SMTP `AUTH PLAIN`.
    public var smtpAuthIdentity: String
    /// Default secret for SMTP `AUTH CRAM-MD5`.
    public var smtpAuthSecret: Secret?
    /// Whether SMTP must use STARTTLS (default true).
    public var smtpRequireTLS: Bool
    /// Default Slack incoming-webhook URL.
    public var slackAPIURL: SecretURL?
    /// A file holding the default Slack URL, instead of ``slackAPIURL``.
    public var slackAPIURLFile: String
    /// PagerDuty Events API URL (default `https://events.pagerduty.com/v2/enqueue`).
    public var pagerdutyURL: EndpointURL
    /// Telegram Bot API URL (default `https://api.telegram.org`).
    public var telegramAPIURL: EndpointURL
    /// Accepted for compatibility: `opsgenie_api_url`, `wechat_api_url`, `victorops_api_url`,
    /// `webex_api_url` (receivers not yet supported).
    public var unsupportedAPIURLs: [String: EndpointURL]

    /// Alertmanager's defaults.
    public init() {
        resolveTimeout = .minutes(5)
        httpConfig = .default
        smtpFrom = ""
        smtpHello = "localhost"
        smtpSmarthost = nil
        smtpAuthUsername = ""
        smtpAuthPassword = nil
        smtpAuthPasswordFile = ""
        smtpAuthIdentity = ""
        smtpAuthSecret = nil
        smtpRequireTLS = true
        slackAPIURL = nil
        slackAPIURLFile = ""
        pagerdutyURL = .known("https://events.pagerduty.com/v2/enqueue")
        telegramAPIURL = .known("https://api.telegram.org")
        unsupportedAPIURLs = [:]
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case resolveTimeout = "resolve_timeout"
        case httpConfig = "http_config"
        case smtpFrom = "smtp_from"
        case smtpHello = "smtp_hello"
        case smtpSmarthost = "smtp_smarthost"
        case smtpAuthUsername = "smtp_auth_username"
        case smtpAuthPassword = "smtp_auth_password"
        case smtpAuthPasswordFile = "smtp_auth_password_file"
        case smtpAuthIdentity = "smtp_auth_identity"
        case smtpAuthSecret = "smtp_auth_secret"
        case smtpRequireTLS = "smtp_require_tls"
        case slackAPIURL = "slack_api_url"
        case slackAPIURLFile = "slack_api_url_file"
        case pagerdutyURL = "pagerduty_url"
        case telegramAPIURL = "telegram_api_url"
        case opsgenieAPIURL = "opsgenie_api_url"
        case opsgenieAPIKey = "opsgenie_api_key"
        case opsgenieAPIKeyFile = "opsgenie_api_key_file"
        case wechatAPIURL = "wechat_api_url"
        case wechatAPISecret = "wechat_api_secret"
        case wechatAPICorpID = "wechat_api_corp_id"
        case victoropsAPIURL = "victorops_api_url"
        case victoropsAPIKey = "victorops_api_key"
        case victoropsAPIKeyFile = "victorops_api_key_file"
        case webexAPIURL = "webex_api_url"
    }

    /// Decodes with Alertmanager's defaults and its checks on the global section.
    public init(from decoder: any Decoder) throws {
        let defaults = AlertmanagerGlobalConfig()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        resolveTimeout = try container.value(.resolveTimeout, default: defaults.resolveTimeout)
        httpConfig = try container.value(.httpConfig, default: defaults.httpConfig)
        smtpFrom = try container.value(.smtpFrom, default: "")
        smtpHello = try container.value(.smtpHello, default: defaults.smtpHello)
        smtpSmarthost = try container.optional(.smtpSmarthost)
        smtpAuthUsername = try container.value(.smtpAuthUsername, default: "")
        smtpAuthPassword = try container.optional(.smtpAuthPassword)
        smtpAuthPasswordFile = try container.value(.smtpAuthPasswordFile, default: "")
        smtpAuthIdentity = try container.value(.smtpAuthIdentity, default: "")
        smtpAuthSecret = try container.optional(.smtpAuthSecret)
        smtpRequireTLS = try container.value(.smtpRequireTLS, default: true)
        slackAPIURL = try container.optional(.slackAPIURL)
        slackAPIURLFile = try container.value(.slackAPIURLFile, default: "")
        pagerdutyURL = try container.value(.pagerdutyURL, default: defaults.pagerdutyURL)
        telegramAPIURL = try container.value(.telegramAPIURL, default: defaults.telegramAPIURL)
        unsupportedAPIURLs = [:]
        for key in [CodingKeys.opsgenieAPIURL, .wechatAPIURL, .victoropsAPIURL, .webexAPIURL] {
            if let url = try container.optional(key, as: EndpointURL.self) { unsupportedAPIURLs[key.rawValue] = url }
        }
        let opsgenieKey = try container.optional(.opsgenieAPIKey, as: Secret.self)
        let opsgenieKeyFile = try container.value(.opsgenieAPIKeyFile, default: "")
        _ = try container.optional(.wechatAPISecret, as: Secret.self)
        _ = try container.optional(.wechatAPICorpID, as: String.self)
        let victoropsKey = try container.optional(.victoropsAPIKey, as: Secret.self)
        let victoropsKeyFile = try container.value(.victoropsAPIKeyFile, default: "")

        if slackAPIURL != nil && !slackAPIURLFile.isEmpty {
            throw ConfigValidationError(
                "at most one of slack_api_url & slack_api_url_file must be configured", field: "slack_api_url_file")
        }
        if !(opsgenieKey?.value.isEmpty ?? true) && !opsgenieKeyFile.isEmpty {
            throw ConfigValidationError(
                "at most one of opsgenie_api_key & opsgenie_api_key_file must be configured",
                field: "opsgenie_api_key_file")
        }
        if !(victoropsKey?.value.isEmpty ?? true) && !victoropsKeyFile.isEmpty {
            throw ConfigValidationError(
                "at most one of victorops_api_key & victorops_api_key_file must be configured",
                field: "victorops_api_key_file")
        }
        if !(smtpAuthPassword?.value.isEmpty ?? true) && !smtpAuthPasswordFile.isEmpty {
            throw ConfigValidationError(
                "at most one of smtp_auth_password & smtp_auth_password_file must be configured",
                field: "smtp_auth_password_file")
        }
    }

    /// Resolves file paths against `directory`, the configuration file's.
    public mutating func resolvePaths(in directory: String) {
        httpConfig.resolvePaths(in: directory)
        smtpAuthPasswordFile = joinDirectory(directory, smtpAuthPasswordFile)
        slackAPIURLFile = joinDirectory(directory, slackAPIURLFile)
    }
}
