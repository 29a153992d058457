import Foundation
import Testing
import VigilEvents
import VigilTestSupport

@Suite struct KubernetesEventSinkArgumentTests {
    @Test func dingTalkURLSyntaxSplitsTheFilterAndTheSignature() async throws {
        try await RecordingServer.with(defaultBody: #"{"errcode":0}"#) { server in
            let route = try KubernetesEventSinkArgument.parse(
                "--sink=dingtalk:\(server.base)/robot/send?access_token=T&label=cluster-1&level=Normal&namespaces=shop,kube-system&kinds=Pod&sign=S")
            #expect(route.sink.name == "dingtalk")
            let filter = try #require(route.filter)
            #expect(filter.minimumType == "Normal" && filter.namespaces == ["shop", "kube-system"] && filter.kinds == ["Pod"])
            try await route.sink.send([KubernetesEventNotification(record: try record("a"))])
            let request = try #require(server.requests.first)
            #expect(request.query.hasPrefix("access_token=T&timestamp="))
            #expect(request.query.contains("&sign="))
            #expect(request.body.contains("[cluster-1] Warning Pod"))
        }
    }

    @Test func levelDefaultsToWarningAndAmpersandWorksWithoutQuestionMark() async throws {
        try await RecordingServer.with { server in
            let route = try KubernetesEventSinkArgument.parse("webhook:\(server.base)/hook&reason=BackOff")
            #expect(route.filter?.minimumType == "Warning" && route.filter?.reasons == ["BackOff"])
            try await route.sink.send([KubernetesEventNotification(record: try record("a"))])
            #expect(server.requests.first?.path == "/hook" && server.requests.first?.query == "")
        }
    }

    @Test func influxDBParametersBecomeTheWriteQuery() async throws {
        try await RecordingServer.with { server in
            let route = try KubernetesEventSinkArgument.parse("influxdb:\(server.base)?db=events&user=u&pw=p")
            try await route.sink.send([KubernetesEventNotification(record: try record("a"))])
            #expect(server.requests.first?.path == "/write" && server.requests.first?.query == "db=events&u=u&p=p")
        }
    }

    @Test func badArgumentsAreTypedErrorsWithTheOffset() {
        let cases: [(String, Int)] = [
            ("--sink=kafka:http://x", 7), ("--sink=dingtalk:", 16), ("dingtalk:not a url", 9),
            ("webhook:http://h/x?level=Error", 8),
        ]
        for (argument, offset) in cases {
            do {
                _ = try KubernetesEventSinkArgument.parse(argument)
                Issue.record("\(argument) must be refused")
            } catch {
                guard case .invalidSink(_, let at, _) = error else {
                    Issue.record("\(error)")
                    continue
                }
                #expect(at == offset, "\(argument): \(error)")
            }
        }
    }

    @Test func randomArgumentsNeverCrash() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("dingtalk:webhook:http://h?&=,%#[]:/ \u{0}é")
        for _ in 0..<2000 {
            let length = Int.random(in: 0..<40, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            _ = try? KubernetesEventSinkArgument.parse(text)
            _ = try? KubernetesEventSinkArgument.parse("dingtalk:" + text)
        }
    }
}
