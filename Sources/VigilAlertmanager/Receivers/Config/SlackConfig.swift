public import VigilConfig

/// One entry of a receiver's `slack_configs`: posts an attachment to a Slack incoming webhook (or
/// `chat.postMessage` with a token in `http_config`).
///
/// Every text field is a notification template; the defaults name the `slack.default.*` templates.
/// An unset `api_url` / `api_url_file` takes the global `slack_api_url` / `slack_api_url_file`.
public struct SlackConfig: Sendable, Hashable, Decodable {
    /// Whether resolved alerts are sent (default false).
    public var sendResolved: Bool
    /// HTTP client settings; nil until the global one is inherited.
    public var httpConfig: HTTPClientConfig?
    /// The webhook URL (a secret) or a file holding it; from the global section when unset.
    public var apiURL: CredentialSource<SecretURL>?
    /// The channel or user to post to.
    public var channel: String
    /// The user name to post as.
    public var username: String
    /// The attachment's colour (`danger` when firing, `good` when resolved, by default).
    public var color: String
    /// The attachment's title.
    public var title: String
    /// The link of the title.
    public var titleLink: String
    /// Text above the attachment.
    public var pretext: String
    /// The attachment's text.
    public var text: String
    /// Fields shown in a table in the attachment.
    public var fields: [SlackField]
    /// Whether fields without their own `short` are shown side by side.
    public var shortFields: Bool
    /// The attachment's footer.
    public var footer: String
    /// Plain-text summary for clients that cannot show attachments.
    public var fallback: String
    /// The attachment's callback id (for interactive actions).
    public var callbackID: String
    /// An emoji to post with.
    public var iconEmoji: String
    /// An image URL to post with.
    public var iconURL: String
    /// An image shown in the attachment.
    public var imageURL: String
    /// A thumbnail shown in the attachment.
    public var thumbURL: String
    /// Whether Slack links `@user` and `#channel` names.
    public var linkNames: Bool
    /// Which attachment fields Slack formats as markdown (default: `fallback`, `pretext`, `text`).
    public var mrkdwnIn: [String]
    /// Buttons shown under the attachment.
    public var actions: [SlackAction]
    /// Longest a delivery may take; 0 means the default bound.
    public var timeout: PromDuration

    enum CodingKeys: String, CodingKey {
        case sendResolved = "send_resolved"
        case httpConfig = "http_config"
        case apiURL = "api_url"
        case apiURLFile = "api_url_file"
        case channel, username, color, title, pretext, text, fields, footer, fallback, actions, timeout
        case titleLink = "title_link"
        case shortFields = "short_fields"
        case callbackID = "callback_id"
        case iconEmoji = "icon_emoji"
        case iconURL = "icon_url"
        case imageURL = "image_url"
        case thumbURL = "thumb_url"
        case linkNames = "link_names"
        case mrkdwnIn = "mrkdwn_in"
    }

    /// Decodes with Alertmanager's defaults and checks.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func template(_ key: CodingKeys, _ name: String) throws -> String {
            try container.value(key, default: #"{{ template "slack.default."# + name + #"" . }}"#)
        }
        sendResolved = try container.value(.sendResolved, default: false)
        httpConfig = try container.optional(.httpConfig)
        apiURL = try .optional(container, inline: .apiURL, file: .apiURLFile)
        channel = try container.value(.channel, default: "")
        username = try template(.username, "username")
        color = try container.value(.color, default: #"{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}"#)
        title = try template(.title, "title")
        titleLink = try template(.titleLink, "titlelink")
        pretext = try template(.pretext, "pretext")
        text = try template(.text, "text")
        fields = try container.list(.fields)
        shortFields = try container.value(.shortFields, default: false)
        footer = try template(.footer, "footer")
        fallback = try template(.fallback, "fallback")
        callbackID = try template(.callbackID, "callbackid")
        iconEmoji = try template(.iconEmoji, "iconemoji")
        iconURL = try template(.iconURL, "iconurl")
        imageURL = try container.value(.imageURL, default: "")
        thumbURL = try container.value(.thumbURL, default: "")
        linkNames = try container.value(.linkNames, default: false)
        mrkdwnIn = try container.list(.mrkdwnIn)
        actions = try container.list(.actions)
        timeout = try container.value(.timeout, default: .zero)
    }

    /// Resolves file paths against `directory`.
    public mutating func resolvePaths(in directory: String) {
        httpConfig?.resolvePaths(in: directory)
        apiURL = apiURL?.resolvingPaths(in: directory)
    }
}

/// A field of a Slack attachment (`fields` entry); `title` and `value` are templates.
public struct SlackField: Sendable, Hashable, Decodable {
    /// The field's title (required).
    public var title: String
    /// The field's value (required).
    public var value: String
    /// Whether it is shown side by side with others; nil takes the config's `short_fields`.
    public var short: Bool?

    enum CodingKeys: String, CodingKey { case title, value, short }

    /// Decodes and requires a title and a value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.value(.title, default: "")
        value = try container.value(.value, default: "")
        short = try container.optional(.short)
        if title.isEmpty { throw ConfigValidationError("missing title in Slack field configuration") }
        if value.isEmpty { throw ConfigValidationError("missing value in Slack field configuration") }
    }
}

/// A button of a Slack attachment (`actions` entry); text fields are templates.
public struct SlackAction: Sendable, Hashable, Decodable {
    /// The action type, usually `button` (required).
    public var type: String
    /// The button's label (required).
    public var text: String
    /// A link the button opens; when set, `name`, `value` and `confirm` are dropped.
    public var url: String
    /// `default`, `primary` or `danger`.
    public var style: String
    /// The action's name, for interactive messages (required when there is no `url`).
    public var name: String
    /// The action's value.
    public var value: String
    /// A confirmation dialog.
    public var confirm: SlackConfirmationField?

    enum CodingKeys: String, CodingKey { case type, text, url, style, name, value, confirm }

    /// Decodes with Alertmanager's checks.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.value(.type, default: "")
        text = try container.value(.text, default: "")
        url = try container.value(.url, default: "")
        style = try container.value(.style, default: "")
        name = try container.value(.name, default: "")
        value = try container.value(.value, default: "")
        confirm = try container.optional(.confirm)
        if type.isEmpty { throw ConfigValidationError("missing type in Slack action configuration") }
        if text.isEmpty { throw ConfigValidationError("missing text in Slack action configuration") }
        if !url.isEmpty {
            name = ""
            value = ""
            confirm = nil
        } else if name.isEmpty {
            throw ConfigValidationError("missing name or url in Slack action configuration")
        }
    }
}

/// The confirmation dialog of a Slack action (`confirm`).
public struct SlackConfirmationField: Sendable, Hashable, Decodable {
    /// The dialog's text (required).
    public var text: String
    /// Its title.
    public var title: String
    /// The confirm button's label.
    public var okText: String
    /// The dismiss button's label.
    public var dismissText: String

    enum CodingKeys: String, CodingKey {
        case text, title
        case okText = "ok_text"
        case dismissText = "dismiss_text"
    }

    /// Decodes and requires a text.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        text = try container.value(.text, default: "")
        title = try container.value(.title, default: "")
        okText = try container.value(.okText, default: "")
        dismissText = try container.value(.dismissText, default: "")
        if text.isEmpty { throw ConfigValidationError("missing text in Slack confirmation configuration") }
    }
}
