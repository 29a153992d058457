import VigilTestSupport
import HTTPTypes
import Logging
import Testing
import VigilConfig
@testable import VigilDiscovery
import VigilModel

/// `http_sd_configs` against the loopback exporter answering `/sd`, refreshed every 50 ms.
@Suite struct HTTPDiscovering {
    static func json(_ text: String) -> TestExporter.Reply {
        var reply = TestExporter.Reply.text(text)
        reply.contentType = "application/json"
        return reply
    }

    /// Runs an HTTP discovery of the exporter's `/sd` while `body` runs.
    func withDiscovery(
        _ first: TestExporter.Reply, failures: Counter? = nil,
        _ body: (TestExporter, String, Recorder<[TargetGroup]>) async throws -> Void
    ) async throws {
        try await TestExporter.with { exporter in
            exporter.set("/sd", first)
            let url = "http://\(exporter.address)/sd"
            let config = try ConfigDecoder.decode(
                HTTPSDConfig.self, fromYAML: "url: \(url)\nrefresh_interval: 50ms", fileName: "sd.yml")
            let discovery = HTTPDiscovery(config, logger: quietLogger, failures: failures)
            try await discovery.whileRunning { sent in try await body(exporter, url, sent) }
        }
    }

    static func group(_ url: String, _ index: Int, _ targets: [String], _ labels: [String: String] = [:]) -> TargetGroup {
        var builder = LabelsBuilder()
        for (name, value) in labels { builder.set(name, value) }
        builder.set("__meta_url", url)
        return TargetGroup(targets: targets.map { ["__address__": $0] }, labels: builder.build(), source: "\(url):\(index)")
    }

    static let good = #"[{"targets": ["a:1", "b:2"], "labels": {"env": "prod"}}, {"targets": ["c:3"]}]"#

    @Test func a200JSONAnswerBecomesGroupsWithTheURL() async throws {
        try await withDiscovery(Self.json(Self.good)) { (exporter, url, sent) async throws in
            let groups = await sent.waitForLast { !$0.isEmpty }
            #expect(groups == [Self.group(url, 0, ["a:1", "b:2"], ["env": "prod"]), Self.group(url, 1, ["c:3"])])
            let request = exporter.requests.first
            // Prometheus writes the interval with strconv.FormatFloat(seconds, 'f', -1, 64).
            #expect(request?.headers["x-prometheus-refresh-interval-seconds"] == "0.05")
            #expect(request?.headers["accept"] == "application/json")
            // Unchanged answers are not sent again.
            let fetched = exporter.requests.count
            let refetched = await eventually { exporter.requests.count >= fetched + 3 }
            #expect(refetched)
            #expect(sent.all.count == 1)
        }
    }

    @Test func failuresKeepTheLastGoodGroups() async throws {
        let failures = Counter()
        try await withDiscovery(Self.json(Self.good), failures: failures) { (exporter, url, sent) async throws in
            let good = await sent.waitForLast { !$0.isEmpty }
            #expect(good?.count == 2)

            exporter.set("/sd", TestExporter.Reply(status: .internalServerError, body: Array("boom".utf8), contentType: "application/json"))
            let failed500 = await eventually { failures.value >= 2 }
            exporter.set("/sd", .text(#"[{"targets": ["z:9"]}]"#))
            let failedType = await eventually { failures.value >= 4 }
            exporter.set("/sd", Self.json(#"[{"targets": ["z:9"]"#))
            let failedSyntax = await eventually { failures.value >= 6 }
            #expect(failed500 && failedType && failedSyntax)
            #expect(sent.all.count == 1)
            #expect(sent.last == good)

            exporter.set("/sd", Self.json(#"[{"targets": ["z:9"]}]"#))
            let recovered = await sent.waitForLast { $0.count == 1 }
            #expect(recovered == [Self.group(url, 0, ["z:9"])])
        }
    }

    @Test func onlyJSONWithAUTF8CharsetIsAccepted() async throws {
        let failures = Counter()
        var utf8 = Self.json(#"[{"targets": ["a:1"]}]"#)
        utf8.contentType = "Application/JSON;  charset=\"UTF-8\""
        try await withDiscovery(utf8, failures: failures) { (exporter, url, sent) async throws in
            let first = await sent.waitForLast { !$0.isEmpty }
            #expect(first == [Self.group(url, 0, ["a:1"])])
            // Prometheus matches `^(?i:application/json(;\s*charset=("utf-8"|utf-8))?)$`.
            var latin1 = Self.json(#"[{"targets": ["b:1"]}]"#)
            latin1.contentType = "application/json; charset=latin1"
            exporter.set("/sd", latin1)
            let refused = await eventually { failures.value >= 2 }
            #expect(refused)
            var plain = Self.json(#"[{"targets": ["c:1"]}]"#)
            plain.contentType = "application/json;charset=utf-8"
            exporter.set("/sd", plain)
            let accepted = await sent.waitForLast { $0.first?.targets.first?["__address__"] == "c:1" }
            #expect(accepted == [Self.group(url, 0, ["c:1"])])
            #expect(sent.all.count == 2)
        }
    }

    @Test func refreshIntervalHeaderAndContentTypeMatchPrometheus() {
        #expect(HTTPDiscovery.seconds(60_000) == "60")
        #expect(HTTPDiscovery.seconds(1_500) == "1.5")
        #expect(HTTPDiscovery.seconds(50) == "0.05")
        #expect(HTTPDiscovery.seconds(1_000_000_000) == "1000000")
        #expect(HTTPDiscovery.isJSON(" application/json "))
        #expect(HTTPDiscovery.isJSON("application/json;\tcharset=utf-8"))
        #expect(!HTTPDiscovery.isJSON("application/json ; charset=utf-8"))
        #expect(!HTTPDiscovery.isJSON("application/json; version=1"))
        #expect(!HTTPDiscovery.isJSON("application/jsonx"))
        #expect(!HTTPDiscovery.isJSON("text/plain"))
    }

    @Test func anEmptyListRemovesEveryGroup() async throws {
        try await withDiscovery(Self.json(Self.good)) { (exporter, _, sent) async throws in
            let first = await sent.waitForLast { !$0.isEmpty }
            #expect(first?.count == 2)
            exporter.set("/sd", Self.json("[]"))
            let emptied = await sent.waitForLast { $0.isEmpty }
            #expect(emptied == [])
        }
    }
}
