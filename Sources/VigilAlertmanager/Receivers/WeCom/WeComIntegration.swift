import VigilTemplate
import Logging

/// Delivers to a `wecom_configs` entry: a markdown (or text) message to a WeCom group robot.
struct WeComIntegration: Integration {
    let name = "wecom"
    let index: Int
    let sendResolved: Bool
    let config: WeComConfig
    let templates: NotificationTemplates
    let delivery: HTTPDelivery
    let logger: Logger

    /// WeCom's limit on a message's content, in bytes.
    static let maximumContentBytes = 4096
    /// WeCom's "API frequency limit" code.
    static let rateLimited: Set<Int> = [45009]

    func notify(_ data: NotificationData) async throws(IntegrationError) {
        let body = try payload(for: data)
        let url = try config.webhookURL.resolve()
        let answer = try await delivery.post(Array(body.utf8), to: url)
        try RobotAnswer.check(answer, service: "WeCom", retryable: Self.rateLimited)
    }

    /// The robot's request body; the content is cut to 4096 bytes on a character boundary.
    func payload(for data: NotificationData) throws(IntegrationError) -> String {
        var render = FieldRenderer(templates: templates, data: data)
        var content = render(config.message)
        try render.check()
        if config.messageType == "markdown" {
            let mentions = config.mentionedList.map { $0 == "@all" ? "<@all>" : "<@\($0)>" }.joined(separator: " ")
            if !mentions.isEmpty { content += "\n" + mentions }
        }
        let (bounded, truncated) = truncateBytes(content, Self.maximumContentBytes)
        if truncated { logger.warning("truncated WeCom message", metadata: ["max_bytes": "\(Self.maximumContentBytes)"]) }
        if config.messageType == "text" {
            var text: [(String, GoJSON.Value)] = [("content", .string(bounded))]
            if !config.mentionedList.isEmpty { text.append(("mentioned_list", .array(config.mentionedList.map { .string($0) }))) }
            if !config.mentionedMobileList.isEmpty {
                text.append(("mentioned_mobile_list", .array(config.mentionedMobileList.map { .string($0) })))
            }
            return GoJSON.encode(.object([("msgtype", .string("text")), ("text", .object(text))]))
        }
        return GoJSON.encode(.object([("msgtype", .string("markdown")), ("markdown", .object([("content", .string(bounded))]))]))
    }
}
