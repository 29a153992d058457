import VigilTemplate
import Crypto
import Foundation
import Logging
import VigilModel

/// Delivers to a `dingtalk_configs` entry: a markdown message to a DingTalk group robot, signed
/// when the robot has a secret.
struct DingTalkIntegration: Integration {
    let name = "dingtalk"
    let index: Int
    let sendResolved: Bool
    let config: DingTalkConfig
    let templates: NotificationTemplates
    let delivery: HTTPDelivery
    let logger: Logger
    /// The clock used for signing (milliseconds since the epoch); replaceable in tests.
    var now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }

    /// DingTalk's limit on a markdown text, in bytes.
    static let maximumTextBytes = 20_000
    /// DingTalk's "sending too fast" code.
    static let rateLimited: Set<Int> = [130_101]

    func notify(_ data: NotificationData) async throws(IntegrationError) {
        let body = try payload(for: data)
        var url = try config.webhookURL.resolve()
        if let secret = config.secret {
            url = Self.signed(url, secret: try secret.resolve(what: "secret_file"), timestamp: now())
        }
        let answer = try await delivery.post(Array(body.utf8), to: url)
        try RobotAnswer.check(answer, service: "DingTalk", retryable: Self.rateLimited)
    }

    /// `url` with DingTalk's `timestamp` and `sign` (the URL-escaped base64 HMAC-SHA256 of
    /// `timestamp\nsecret`, keyed by the secret) appended to its query.
    static func signed(_ url: String, secret: String, timestamp: Int64) -> String {
        let key = SymmetricKey(data: Array(secret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(timestamp)\n\(secret)".utf8), using: key)
        let sign = PercentEncoding.encode(Data(mac).base64EncodedString())
        return url + (url.contains("?") ? "&" : "?") + "timestamp=\(timestamp)&sign=\(sign)"
    }

    /// The robot's request body.
    func payload(for data: NotificationData) throws(IntegrationError) -> String {
        var render = FieldRenderer(templates: templates, data: data)
        let title = render(config.title)
        var text = render(config.message)
        try render.check()
        // DingTalk only notifies a mobile number that also appears in the text.
        let mentions = config.atMobiles.map { "@" + $0 }.joined(separator: " ")
        if !mentions.isEmpty { text += "\n\n" + mentions }
        let (bounded, truncated) = truncateBytes(text, Self.maximumTextBytes)
        if truncated { logger.warning("truncated DingTalk message", metadata: ["max_bytes": "\(Self.maximumTextBytes)"]) }
        return GoJSON.encode(.object([
            ("msgtype", .string("markdown")),
            ("markdown", .object([("title", .string(title)), ("text", .string(bounded))])),
            ("at", .object([
                ("atMobiles", .array(config.atMobiles.map { .string($0) })),
                ("atUserIds", .array(config.atUserIDs.map { .string($0) })),
                ("isAtAll", .bool(config.atAll)),
            ])),
        ]))
    }
}
