import VigilTemplate
import Logging

/// Delivers to a `telegram_configs` entry: the Bot API's `sendMessage`.
struct TelegramIntegration: Integration {
    let name = "telegram"
    let index: Int
    let sendResolved: Bool
    let config: TelegramConfig
    let templates: NotificationTemplates
    let delivery: HTTPDelivery
    let logger: Logger

    /// Telegram's limit on a message, in characters.
    static let maximumMessageRunes = 4096

    func notify(_ data: NotificationData) async throws(IntegrationError) {
        let body = try payload(for: data)
        let token = try config.botToken.resolve(what: "bot_token_file")
        var base = config.apiURL?.string ?? AlertmanagerGlobalConfig().telegramAPIURL.string
        while base.hasSuffix("/") { base.removeLast() }
        let answer = try await delivery.post(Array(body.utf8), to: "\(base)/bot\(token)/sendMessage")
        let text = String(decoding: answer, as: UTF8.self)
        if !text.contains(#""ok":true"#) {
            throw IntegrationError(retryable: false, "unexpected answer from Telegram: \(text.prefix(HTTPDelivery.errorBodyLimit))")
        }
    }

    /// The `sendMessage` body. With `parse_mode: HTML` the message renders as an HTML template
    /// (inserted values escaped), as Alertmanager does.
    func payload(for data: NotificationData) throws(IntegrationError) -> String {
        let rendered: String
        do {
            rendered = config.parseMode == "HTML"
                ? try templates.renderHTML(config.message, data: data) : try templates.render(config.message, data: data)
        } catch {
            throw IntegrationError(retryable: false, "template: \(error.description)")
        }
        let (message, truncated) = truncateRunes(rendered, Self.maximumMessageRunes)
        if truncated { logger.warning("truncated Telegram message", metadata: ["max_runes": "\(Self.maximumMessageRunes)"]) }
        var members: [(String, GoJSON.Value)] = [("chat_id", .int(config.chatID)), ("text", .string(message))]
        if !config.parseMode.isEmpty { members.append(("parse_mode", .string(config.parseMode))) }
        if config.disableNotifications { members.append(("disable_notification", .bool(true))) }
        if config.messageThreadID != 0 { members.append(("message_thread_id", .int(Int64(config.messageThreadID)))) }
        return GoJSON.encode(.object(members))
    }
}
