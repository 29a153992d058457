import Crypto
import Foundation
import Synchronization
import Testing
import VigilEvents
import VigilModel
import VigilTestSupport

/// Each sink against a loopback receiver, checking the exact request.
@Suite struct EventSinkTests {
    static func notification() throws -> KubernetesEventNotification {
        KubernetesEventNotification(
            record: try record("web.1", message: "Back-off \"restarting\", failed", count: 3, lastTimestamp: "2026-11-27T17:05:00Z"))
    }

    static let json =
        #"{"namespace":"shop","name":"web.1","kind":"Pod","object":"web-0","reason":"BackOff","message":"Back-off \"restarting\", failed","type":"Warning","count":3,"component":"kubelet","host":"node-a","firstTimestamp":"2026-11-27T17:00:00.000Z","lastTimestamp":"2026-11-27T17:05:00.000Z"}"#

    static let text = "[prod] Warning Pod shop/web-0\nReason: BackOff\nMessage: Back-off \"restarting\", failed\nCount: 3\nTime: 2026-11-27T17:05:00.000Z"

    @Test func stdoutWritesOneJSONLinePerEvent() async throws {
        let lines = Mutex("")
        let sink = StdoutEventSink { text in lines.withLock { $0 += text } }
        try await sink.send([try Self.notification(), try Self.notification()])
        #expect(lines.withLock { $0 } == Self.json + "\n" + Self.json + "\n")
    }

    @Test func webhookPostsTheTemplateRendering() async throws {
        try await RecordingServer.with { server in
            let sink = try WebhookEventSink(
                url: server.base + "/hook?x=1",
                template: #"{"text":"{{ .Type }} {{ .Kind }}/{{ .Object }}: {{ .Reason }} x{{ .Count }} ({{ .Label }})"}"#,
                headers: [("X-Token", "abc")], label: "prod")
            try await sink.send([try Self.notification()])
            let request = try #require(server.requests.first)
            #expect(request.path == "/hook" && request.query == "x=1")
            #expect(request.headers["x-token"] == "abc" && request.headers["content-type"] == "application/json")
            #expect(request.body == #"{"text":"Warning Pod/web-0: BackOff x3 (prod)"}"#)
        }
    }

    @Test func webhookWithoutTemplatePostsTheEventJSON() async throws {
        try await RecordingServer.with { server in
            try await WebhookEventSink(url: server.base + "/hook").send([try Self.notification()])
            #expect(server.requests.map(\.body) == [Self.json])
        }
    }

    @Test func dingTalkIsSignedAndARobotErrorFails() async throws {
        try await RecordingServer.with(defaultBody: #"{"errcode":0,"errmsg":"ok"}"#) { server in
            let sink = DingTalkEventSink(
                url: server.base + "/robot/send?access_token=T", secret: "SECret", label: "prod", now: { 1_700_000_000_000 })
            try await sink.send([try Self.notification()])
            let request = try #require(server.requests.first)
            let mac = HMAC<SHA256>.authenticationCode(
                for: Array("1700000000000\nSECret".utf8), using: SymmetricKey(data: Array("SECret".utf8)))
            let sign = PercentEncoding.encode(Data(mac).base64EncodedString())
            #expect(request.path == "/robot/send")
            #expect(request.query == "access_token=T&timestamp=1700000000000&sign=\(sign)")
            #expect(request.body == #"{"msgtype":"text","text":{"content":\#(JSONQuoting.quote(Self.text))}}"#)
            server.answer(200, #"{"errcode":310000,"errmsg":"sign not match"}"#)
            await #expect(throws: EventSinkHTTPError.self) { try await sink.send([try Self.notification()]) }
        }
    }

    @Test func weComAndSlackPostText() async throws {
        try await RecordingServer.with(defaultBody: #"{"errcode":0}"#) { server in
            try await WeComEventSink(url: server.base + "/cgi-bin/webhook/send?key=K", label: "prod").send([try Self.notification()])
            try await SlackEventSink(url: server.base + "/services/A/B", channel: "#ops", label: "prod").send([try Self.notification()])
            let requests = server.requests
            #expect(requests.map(\.path) == ["/cgi-bin/webhook/send", "/services/A/B"])
            #expect(requests.first?.query == "key=K")
            #expect(requests.first?.body == #"{"msgtype":"text","text":{"content":\#(JSONQuoting.quote(Self.text))}}"#)
            #expect(requests.last?.body == ##"{"channel":"#ops","text":\##(JSONQuoting.quote(Self.text))}"##)
        }
    }

    @Test func elasticsearchBulkIndexesIntoTheEventsDay() async throws {
        try await RecordingServer.with(defaultBody: #"{"took":1,"errors":false,"items":[]}"#) { server in
            try await ElasticsearchEventSink(url: server.base + "/").send([try Self.notification(), try Self.notification()])
            let request = try #require(server.requests.first)
            #expect(request.path == "/_bulk" && request.headers["content-type"] == "application/x-ndjson")
            let action = #"{"index":{"_index":"kube-events-2026.11.27"}}"#
            #expect(request.body == action + "\n" + Self.json + "\n" + action + "\n" + Self.json + "\n")
            server.answer(200, #"{"took":1,"errors":true,"items":[]}"#)
            await #expect(throws: EventSinkHTTPError.self) {
                try await ElasticsearchEventSink(url: server.base).send([try Self.notification()])
            }
        }
    }

    @Test func influxDBGetsEscapedLineProtocol() async throws {
        try await RecordingServer.with { server in
            let spaced = KubernetesEventNotification(
                record: try record("db,1", namespace: "my shop", reason: "Failed=1", message: #"path C:\x "bad""#, count: 2))
            try await InfluxDBEventSink(url: server.base + "/write?db=k8s").send([try Self.notification(), spaced])
            let request = try #require(server.requests.first)
            #expect(request.path == "/write" && request.query == "db=k8s")
            #expect(request.body == """
                kubernetes_events,namespace=shop,kind=Pod,object=web-0,reason=BackOff,type=Warning message="Back-off \\"restarting\\", failed",count=3i 1795799100000000000
                kubernetes_events,namespace=my\\ shop,kind=Pod,object=web-0,reason=Failed\\=1,type=Warning message="path C:\\\\x \\"bad\\"",count=2i 1795798800000000000

                """)
        }
    }

    @Test func aFailingHTTPSinkReportsTheStatusNotTheURL() async throws {
        try await RecordingServer.with { server in
            server.answer(503, "busy")
            let sink = WeComEventSink(url: server.base + "/send?key=SECRET")
            do {
                try await sink.send([try Self.notification()])
                Issue.record("a 503 must fail")
            } catch {
                #expect("\(error)".contains("503") && !"\(error)".contains("SECRET"))
            }
        }
    }
}
