import Crypto
import Foundation
import Logging
import Testing
import VigilAlertmanager
import VigilConfig
import VigilTestSupport

/// Each HTTP integration against a local server: the exact request, and Alertmanager's verdict on
/// the answer.
@Suite("HTTP integrations")
struct HTTPIntegrationTests {
    static let alertA =
        #"{"status":"firing","labels":{"alertname":"HighLatency","instance":"a:9100","job":"api","severity":"page"},"annotations":{"summary":"High latency"},"startsAt":"2023-11-14T22:13:20.123Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prom/graph?g0.expr=x\u0026g0.tab=1","fingerprint":"1111111111111111"}"#
    static let alertB =
        #"{"status":"resolved","labels":{"alertname":"HighLatency","instance":"b:9100","job":"api","severity":"page"},"annotations":{"summary":"High latency"},"startsAt":"2023-11-14T22:13:20.123Z","endsAt":"2023-11-14T22:23:20Z","generatorURL":"http://prom/graph?g0.expr=x\u0026g0.tab=1","fingerprint":"2222222222222222"}"#

    @Test("webhook: the version-4 payload byte for byte, max_alerts truncation")
    func webhook() async throws {
        try await RecordingServer.with { server in
            try await withIntegrations("  webhook_configs:\n    - url: '\(server.base)/hook?token=t'\n    - url: '\(server.base)/few'\n      max_alerts: 1\n") { integrations in
                #expect(integrations.map(\.name) == ["webhook", "webhook"])
                #expect(integrations.map(\.index) == [0, 1])
                for integration in integrations { try await integration.notify(Fixtures.data()) }
            }
            let requests = server.requests
            try #require(requests.count == 2)
            let expected = #"{"receiver":"team-x","status":"firing","alerts":["# + Self.alertA + "," + Self.alertB
                + #"],"groupLabels":{"alertname":"HighLatency"},"commonLabels":{"alertname":"HighLatency","job":"api","severity":"page"},"commonAnnotations":{"summary":"High latency"},"externalURL":"http://am.example:9093","version":"4","groupKey":"{}/{severity=\"page\"}:{alertname=\"HighLatency\"}","truncatedAlerts":0}"#
                + "\n"
            #expect(requests[0].body == expected)
            #expect(requests[0].path == "/hook")
            #expect(requests[0].query == "token=t")
            #expect(requests[0].headers["content-type"] == "application/json")
            let truncated = requests[1].body
            #expect(truncated.contains(#""alerts":["# + Self.alertA + "]"))
            #expect(truncated.hasSuffix(#""truncatedAlerts":1}"# + "\n"))
            #expect(truncated.contains(#""commonLabels":{"alertname":"HighLatency","instance":"a:9100","job":"api","severity":"page"}"#))
        }
    }

    @Test("5xx and 429 are retryable, other 4xx are not; the body is in the error, the URL is not")
    func statusClassification() async throws {
        try await RecordingServer.with { server in
            try await withIntegrations("  webhook_configs:\n    - url: '\(server.base)/hook?token=SECRET'\n") { integrations in
                let webhook = try #require(integrations.first)
                for (status, retryable) in [(500, true), (503, true), (429, true), (400, false), (404, false)] {
                    server.answer(status, "nope \(status)")
                    let error = await notifyError(webhook, Fixtures.data())
                    #expect(error?.retryable == retryable, "status \(status)")
                    #expect(error?.description == "unexpected status code \(status): nope \(status)")
                }
                server.answer(204)
                #expect(await notifyError(webhook, Fixtures.data()) == nil)
            }
        }
        try await withIntegrations(
            "  webhook_configs:\n    - url: 'http://127.0.0.1:1/hook?token=SECRET'\n  telegram_configs:\n    - {bot_token: 'SECRET', chat_id: 1, api_url: 'http://127.0.0.1:1'}\n"
        ) { integrations in
            for integration in integrations {
                let error = await notifyError(integration, Fixtures.data())
                #expect(error?.retryable == true)
                #expect(error?.description.contains("SECRET") == false)
            }
        }
    }

    @Test("slack: Alertmanager's attachment; a non-ok answer is an error")
    func slack() async throws {
        try await RecordingServer.with(defaultBody: "ok") { server in
            try await withIntegrations(
                "  slack_configs:\n    - channel: '#ops'\n      fields: [{title: t, value: '{{ .Status }}'}]\n",
                global: "  slack_api_url: '\(server.base)/services/T/B/X'"
            ) { integrations in
                let slack = try #require(integrations.first)
                #expect(slack.sendResolved == false)
                try await slack.notify(Fixtures.data())
                server.answer(200, "invalid_payload")
                let error = await notifyError(slack, Fixtures.data())
                #expect(error?.retryable == false)
                #expect(error?.description.contains("invalid_payload") == true)
            }
            let link = "http://am.example:9093/#/alerts?receiver=team-x"
            let expected = ##"{"channel":"#ops","username":"Alertmanager","attachments":[{"title":"[FIRING:1] HighLatency (api page)","title_link":""##
                + link + #"","text":"","fallback":"[FIRING:1] HighLatency (api page) | "# + link
                + #"","callback_id":"","fields":[{"title":"t","value":"firing","short":false}],"footer":"","color":"danger","mrkdwn_in":["fallback","pretext","text"]}]}"#
                + "\n"
            #expect(server.requests.first?.body == expected)
            #expect(server.requests.first?.path == "/services/T/B/X")
        }
    }

    @Test("pagerduty: an Events API v2 trigger with the hashed group key and the default details")
    func pagerduty() async throws {
        try await RecordingServer.with { server in
            try await withIntegrations("  pagerduty_configs:\n    - routing_key: rk\n      url: '\(server.base)/v2/enqueue'\n") { integrations in
                let pagerduty = try #require(integrations.first)
                try await pagerduty.notify(Fixtures.data())
                try await pagerduty.notify(Fixtures.data([Fixtures.resolved]))
            }
            let key = SHA256.hash(data: Array(Fixtures.data().groupKey.utf8)).map { String(format: "%02x", $0) }.joined()
            func escaped(_ text: String) -> String { text.replacing("\n", with: "\\n").replacing("&", with: "\\u0026") }
            let expected = #"{"routing_key":"rk","dedup_key":""# + key
                + #"","event_action":"trigger","payload":{"summary":"[FIRING:1] HighLatency (api page)","source":"Alertmanager","severity":"error","custom_details":{"firing":""#
                + escaped(Fixtures.alertList("a:9100")) + #"","num_firing":"1","num_resolved":"1","resolved":""#
                + escaped(Fixtures.alertList("b:9100"))
                + #""}},"client":"Alertmanager","client_url":"http://am.example:9093/#/alerts?receiver=team-x"}"# + "\n"
            try #require(server.requests.count == 2)
            #expect(server.requests[0].body == expected)
            #expect(server.requests[1].body.contains(#""event_action":"resolve""#))
            #expect(server.requests[1].body.contains(#""summary":"[RESOLVED] HighLatency (api page)""#))
        }
    }

    @Test("telegram: sendMessage under the bot token, the default message HTML-escaped")
    func telegram() async throws {
        try await RecordingServer.with(defaultBody: #"{"ok":true,"result":{}}"#) { server in
            try await withIntegrations(
                "  telegram_configs:\n    - bot_token: '123:abc'\n      chat_id: -100\n      api_url: '\(server.base)'\n"
            ) { integrations in
                try await #require(integrations.first).notify(Fixtures.data([Fixtures.firing]))
            }
            let request = try #require(server.requests.first)
            #expect(request.path == "/bot123:abc/sendMessage")
            let text = "\n\nAlerts Firing:\n" + Fixtures.alertList("a:9100").replacing("&", with: "&amp;") + "\n\n\n"
            let escaped = text.replacing("\n", with: "\\n").replacing("&", with: "\\u0026")
            #expect(request.body == #"{"chat_id":-100,"text":""# + escaped + #"","parse_mode":"HTML"}"#)
        }
    }

    @Test("dingtalk: markdown with mentions; a signed robot gets timestamp and sign; errcode is checked")
    func dingtalk() async throws {
        try await RecordingServer.with(defaultBody: #"{"errcode":0,"errmsg":"ok"}"#) { server in
            try await withIntegrations(
                "  dingtalk_configs:\n    - webhook_url: '\(server.base)/robot/send?access_token=tok'\n      secret: SECabc\n      at_mobiles: ['13800000000']\n      message: 'hello {{ .Status }}'\n"
            ) { integrations in
                let robot = try #require(integrations.first)
                try await robot.notify(Fixtures.data())
                server.answer(200, #"{"errcode":130101,"errmsg":"send too fast"}"#)
                #expect(await notifyError(robot, Fixtures.data())?.retryable == true)
                server.answer(200, #"{"errcode":310000,"errmsg":"sign not match"}"#)
                #expect(await notifyError(robot, Fixtures.data())?.retryable == false)
            }
            let request = try #require(server.requests.first)
            #expect(request.body == #"{"msgtype":"markdown","markdown":{"title":"[FIRING:1] HighLatency (api page)","text":"hello firing\n\n@13800000000"},"at":{"atMobiles":["13800000000"],"atUserIds":[],"isAtAll":false}}"#)
            let query = Dictionary(uniqueKeysWithValues: request.query.split(separator: "&").map { part in
                let pair = part.split(separator: "=", maxSplits: 1)
                return (String(pair[0]), String(pair.count > 1 ? pair[1] : ""))
            })
            #expect(query["access_token"] == "tok")
            let timestamp = try #require(query["timestamp"])
            let key = SymmetricKey(data: Array("SECabc".utf8))
            let mac = HMAC<SHA256>.authenticationCode(for: Array("\(timestamp)\nSECabc".utf8), using: key)
            let sign = Data(mac).base64EncodedString().addingPercentEncoding(withAllowedCharacters: .alphanumerics)
            #expect(query["sign"] == sign)
        }
    }

    @Test("wecom: markdown content cut to 4096 bytes on a character boundary; text mode carries mentions")
    func wecom() async throws {
        try await RecordingServer.with(defaultBody: #"{"errcode":0,"errmsg":"ok"}"#) { server in
            let long = String(repeating: "告警", count: 1000)
            try await withIntegrations(
                "  wecom_configs:\n    - webhook_url: '\(server.base)/cgi-bin/webhook/send?key=k'\n      message: '\(long)'\n    - webhook_url: '\(server.base)/t'\n      message_type: text\n      message: 'hi'\n      mentioned_list: ['@all']\n"
            ) { integrations in
                for integration in integrations { try await integration.notify(Fixtures.data()) }
            }
            try #require(server.requests.count == 2)
            let body = server.requests[0].body
            let prefix = #"{"msgtype":"markdown","markdown":{"content":""#
            #expect(body.hasPrefix(prefix))
            let content = String(body.dropFirst(prefix.count).dropLast(3))
            #expect(content.utf8.count <= 4096)
            #expect(content.hasSuffix("…"))
            #expect(server.requests[1].body == #"{"msgtype":"text","text":{"content":"hi","mentioned_list":["@all"]}}"#)
        }
    }

    @Test("a template that does not render is a non-retryable error naming the template")
    func templateFailure() async throws {
        try await RecordingServer.with { server in
            try await withIntegrations("  slack_configs:\n    - api_url: '\(server.base)/s'\n      title: '{{ template \"nope\" . }}'\n") { integrations in
                let error = await notifyError(try #require(integrations.first), Fixtures.data())
                #expect(error?.retryable == false)
                #expect(error?.description.contains("no template \"nope\"") == true)
            }
            #expect(server.requests.isEmpty)
        }
    }

    @Test("every receiver is built by name, its integrations numbered within their kind")
    func buildAll() async throws {
        let document = try ConfigDecoder.decode(
            [ReceiverConfig].self,
            fromYAML: "- name: a\n  webhook_configs: [{url: 'http://x/'}, {url: 'http://y/'}]\n  wecom_configs: [{webhook_url: 'http://z/'}]\n- name: blackhole\n",
            fileName: "r.yml")
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let built = try await ReceiverIntegrations.build(
            receivers: document, global: AlertmanagerGlobalConfig(), templates: .defaults, logger: logger)
        #expect(built.keys.sorted() == ["a", "blackhole"])
        #expect(built["a"]?.integrations.map { "\($0.name)[\($0.index)]" } == ["webhook[0]", "webhook[1]", "wecom[0]"])
        #expect(built["blackhole"]?.integrations.isEmpty == true)
        for integrations in built.values { await integrations.shutdown() }
    }
}
