public import AsyncHTTPClient
import Crypto
import Foundation
import VigilModel

/// A DingTalk group robot: one text (or markdown) message per event, signed when a secret is
/// given (`timestamp` and `sign`, the URL-escaped base64 HMAC-SHA256 of "timestamp\nsecret").
public struct DingTalkEventSink: KubernetesEventSink {
    /// `dingtalk`.
    public let name = "dingtalk"
    /// One request per event.
    public let maxBatch = 1
    let url: String
    let secret: String?
    let label: String
    let markdown: Bool
    let poster: EventHTTPPoster
    let now: @Sendable () -> Int64

    /// A sink posting to the robot `url` (with its `access_token`).
    public init(
        url: String, secret: String? = nil, label: String = "", markdown: Bool = false, client: HTTPClient = .shared,
        timeout: Duration = .seconds(10), now: @escaping @Sendable () -> Int64 = { currentMilliseconds() }
    ) {
        self.url = url
        self.secret = secret
        self.label = label
        self.markdown = markdown
        poster = EventHTTPPoster(client: client, timeout: timeout)
        self.now = now
    }

    /// `url` with DingTalk's signature parameters.
    static func signed(_ url: String, secret: String, timestamp: Int64) -> String {
        let key = SymmetricKey(data: Array(secret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(timestamp)\n\(secret)".utf8), using: key)
        let sign = PercentEncoding.encode(Data(mac).base64EncodedString())
        return url + (url.contains("?") ? "&" : "?") + "timestamp=\(timestamp)&sign=\(sign)"
    }

    /// Posts one message per event.
    public func send(_ notifications: [KubernetesEventNotification]) async throws {
        for notification in notifications {
            let text = EventText.text(notification.record, label: label)
            let body =
                markdown
                ? #"{"msgtype":"markdown","markdown":{"title":\#(JSONQuoting.quote("\(notification.record.type) \(notification.record.reason)")),"text":\#(JSONQuoting.quote(text.replacingOccurrences(of: "\n", with: "\n\n")))}}"#
                : #"{"msgtype":"text","text":{"content":\#(JSONQuoting.quote(text))}}"#
            let target = secret.map { Self.signed(url, secret: $0, timestamp: now()) } ?? url
            let answer = try await poster.post(Array(body.utf8), to: target, contentType: "application/json")
            try RobotAnswer.check(answer)
        }
    }
}

/// A WeCom group robot (`qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`): one text message per event.
public struct WeComEventSink: KubernetesEventSink {
    /// `wecom`.
    public let name = "wecom"
    /// One request per event.
    public let maxBatch = 1
    let url: String
    let label: String
    let poster: EventHTTPPoster

    /// A sink posting to the robot `url` (with its `key`).
    public init(url: String, label: String = "", client: HTTPClient = .shared, timeout: Duration = .seconds(10)) {
        self.url = url
        self.label = label
        poster = EventHTTPPoster(client: client, timeout: timeout)
    }

    /// Posts one message per event.
    public func send(_ notifications: [KubernetesEventNotification]) async throws {
        for notification in notifications {
            let text = EventText.text(notification.record, label: label)
            let body = #"{"msgtype":"text","text":{"content":\#(JSONQuoting.quote(text))}}"#
            try RobotAnswer.check(try await poster.post(Array(body.utf8), to: url, contentType: "application/json"))
        }
    }
}

/// A Slack incoming webhook: one message per event, to `channel` if given.
public struct SlackEventSink: KubernetesEventSink {
    /// `slack`.
    public let name = "slack"
    /// One request per event.
    public let maxBatch = 1
    let url: String
    let channel: String?
    let label: String
    let poster: EventHTTPPoster

    /// A sink posting to the incoming-webhook `url`.
    public init(url: String, channel: String? = nil, label: String = "", client: HTTPClient = .shared, timeout: Duration = .seconds(10)) {
        self.url = url
        self.channel = channel
        self.label = label
        poster = EventHTTPPoster(client: client, timeout: timeout)
    }

    /// Posts one message per event.
    public func send(_ notifications: [KubernetesEventNotification]) async throws {
        for notification in notifications {
            var body = "{"
            if let channel { body += #""channel":\#(JSONQuoting.quote(channel)),"# }
            body += #""text":\#(JSONQuoting.quote(EventText.text(notification.record, label: label)))}"#
            try await poster.post(Array(body.utf8), to: url, contentType: "application/json")
        }
    }
}

/// DingTalk and WeCom answer 200 with `{"errcode":N,"errmsg":"…"}`; a non-zero code is a failure.
enum RobotAnswer {
    static func check(_ answer: [UInt8]) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(answer)) as? [String: Any],
            let code = object["errcode"] as? Int
        else { return }
        if code != 0 {
            throw EventSinkHTTPError(description: "robot answered errcode \(code): \(object["errmsg"] ?? "")")
        }
    }
}
