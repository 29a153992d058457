import VigilTemplate
import Logging
import VigilModel

/// Delivers to a `slack_configs` entry: one attachment, as Alertmanager's Slack notifier builds it.
struct SlackIntegration: Integration {
    let name = "slack"
    let index: Int
    let sendResolved: Bool
    let config: SlackConfig
    let templates: NotificationTemplates
    let delivery: HTTPDelivery
    let logger: Logger

    /// Slack's limit on an attachment title.
    static let maximumTitleRunes = 1024

    func notify(_ data: NotificationData) async throws(IntegrationError) {
        let (payload, channel) = try payload(for: data)
        guard let source = config.apiURL else { throw IntegrationError(retryable: false, "no Slack API URL configured") }
        let url = try source.resolve()
        let body = try await delivery.post(Array(payload.utf8), to: url)
        try Self.checkSlackAnswer(body, channel: channel)
    }

    /// The request body, byte-compatible with Alertmanager's, and the rendered channel.
    func payload(for data: NotificationData) throws(IntegrationError) -> (body: String, channel: String) {
        var render = FieldRenderer(templates: templates, data: data)
        let (title, truncated) = truncateRunes(render(config.title), Self.maximumTitleRunes)
        if truncated {
            logger.warning("truncated Slack title", metadata: ["max_runes": "\(Self.maximumTitleRunes)"])
        }
        var attachment: [(String, GoJSON.Value)] = []
        func optional(_ key: String, _ value: String) {
            if !value.isEmpty { attachment.append((key, .string(value))) }
        }
        optional("title", title)
        optional("title_link", render(config.titleLink))
        optional("pretext", render(config.pretext))
        attachment.append(("text", .string(render(config.text))))
        attachment.append(("fallback", .string(render(config.fallback))))
        attachment.append(("callback_id", .string(render(config.callbackID))))
        if !config.fields.isEmpty {
            attachment.append(("fields", .array(config.fields.map { field in
                .object([
                    ("title", .string(render(field.title))), ("value", .string(render(field.value))),
                    ("short", .bool(field.short ?? config.shortFields)),
                ])
            })))
        }
        if !config.actions.isEmpty {
            attachment.append(("actions", .array(config.actions.map { action in
                var members: [(String, GoJSON.Value)] = []
                for (key, value) in [
                    ("type", action.type), ("text", action.text), ("url", action.url), ("style", action.style),
                    ("name", action.name), ("value", action.value),
                ] {
                    let rendered = render(value)
                    if !rendered.isEmpty { members.append((key, .string(rendered))) }
                }
                if let confirm = action.confirm {
                    var fields: [(String, GoJSON.Value)] = []
                    for (key, value) in [
                        ("text", confirm.text), ("title", confirm.title), ("ok_text", confirm.okText),
                        ("dismiss_text", confirm.dismissText),
                    ] {
                        let rendered = render(value)
                        if !rendered.isEmpty { fields.append((key, .string(rendered))) }
                    }
                    members.append(("confirm", .object(fields)))
                }
                return .object(members)
            })))
        }
        optional("image_url", render(config.imageURL))
        optional("thumb_url", render(config.thumbURL))
        attachment.append(("footer", .string(render(config.footer))))
        optional("color", render(config.color))
        let markdownIn = config.mrkdwnIn.isEmpty ? ["fallback", "pretext", "text"] : config.mrkdwnIn
        attachment.append(("mrkdwn_in", .array(markdownIn.map { .string($0) })))

        var request: [(String, GoJSON.Value)] = []
        let channel = render(config.channel)
        for (key, value) in [
            ("channel", channel), ("username", render(config.username)),
            ("icon_emoji", render(config.iconEmoji)), ("icon_url", render(config.iconURL)),
        ] where !value.isEmpty {
            request.append((key, .string(value)))
        }
        if config.linkNames { request.append(("link_names", .bool(true))) }
        request.append(("attachments", .array([.object(attachment)])))
        try render.check()
        return (GoJSON.encode(.object(request)) + "\n", channel)
    }

    /// Slack answers 200 with `ok` (incoming webhooks) or `{"ok":true}` (the Web API); anything
    /// else is an error that retrying will not fix.
    static func checkSlackAnswer(_ body: [UInt8], channel: String) throws(IntegrationError) {
        let text = String(decoding: body, as: UTF8.self)
        if text == "ok" { return }
        let trimmed = text.trimmingPrefix(while: \.isWhitespace)
        if trimmed.hasPrefix("{") {
            if trimmed.contains(#""ok":true"#) || trimmed.contains(#""ok": true"#) { return }
            throw IntegrationError(retryable: false, "channel \"\(channel)\": error response from Slack: \(text.prefix(HTTPDelivery.errorBodyLimit))")
        }
        throw IntegrationError(
            retryable: false, "channel \"\(channel)\": received an error response from Slack: \(text.prefix(HTTPDelivery.errorBodyLimit))")
    }
}
