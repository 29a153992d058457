import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VigilTestSupport

/// `log_rule_files` on the real server: lines pushed through Loki's API drive a LogQL alert and a
/// LogQL recording rule whose series PromQL reads.
@Suite("LogQL rules on the server")
struct LogRulesServerTests {
    @Test("a LogQL alert fires on pushed lines and its recording rule's series answers PromQL")
    func logRulesFireAndRecord() async throws {
        let temp = try TemporaryDirectory()
        _ = try temp.write("log-rules.yml", """
            groups:
              - name: auth
                rules:
                  - record: app:failed_logins:count5m
                    expr: sum by (app) (count_over_time({app="api"} |= "failed login" [5m]))
                  - alert: FailedLogins
                    expr: sum by (app) (count_over_time({app="api"} |= "failed login" [5m])) >= 5
                    labels: {severity: page}
                    annotations: {summary: '{{ $value }} failed logins'}
            """)
        _ = try temp.write("prometheus.yml", """
            global:
              evaluation_interval: 1s
            log_rule_files: [log-rules.yml]
            """)
        let now = LokiAPITests.nowNanoseconds()
        try await withRunningServer(configPath: temp.path + "/prometheus.yml", dataDirectory: temp.path + "/data") { client, _ in
            let lines = (0..<6).map { "level=warn msg=\"failed login\" user=u\($0)" } + ["level=info msg=\"login ok\""]
            let pushed = try await client.post(
                "/loki/api/v1/push", headers: [.contentType: "application/json"],
                body: LokiAPITests.jsonPush(#"{"app":"api"}"#, lines, at: now))
            #expect(pushed.status == .noContent, "\(pushed.text)")

            let firing = try await eventually(timeout: .seconds(300)) {
                let body = try RulesAPITests.json(try await client.get("/api/v1/alerts"))
                let alerts = (body["data"] as? [String: Any])?["alerts"] as? [[String: Any]] ?? []
                return alerts.contains { alert in
                    (alert["labels"] as? [String: String])?["alertname"] == "FailedLogins"
                        && alert["state"] as? String == "firing"
                }
            }
            #expect(firing)
            let body = try RulesAPITests.json(try await client.get("/api/v1/alerts"))
            let alert = try #require(((body["data"] as? [String: Any])?["alerts"] as? [[String: Any]])?.first)
            #expect(alert["labels"] as? [String: String] == ["alertname": "FailedLogins", "app": "api", "severity": "page"])
            #expect(alert["annotations"] as? [String: String] == ["summary": "6 failed logins"])
            #expect(alert["value"] as? String == "6e+00")

            let recorded = try await eventually(timeout: .seconds(300)) {
                let answer = try RulesAPITests.json(try await client.get("/api/v1/query?query=app:failed_logins:count5m"))
                let result = (answer["data"] as? [String: Any])?["result"] as? [[String: Any]] ?? []
                return result.count == 1
            }
            #expect(recorded)
            let answer = try RulesAPITests.json(try await client.get("/api/v1/query?query=app:failed_logins:count5m"))
            let sample = try #require(((answer["data"] as? [String: Any])?["result"] as? [[String: Any]])?.first)
            #expect(sample["metric"] as? [String: String] == ["__name__": "app:failed_logins:count5m", "app": "api"])
            #expect((sample["value"] as? [Any])?.last as? String == "6")

            // The groups are listed with the metric rules.
            let rules = try RulesAPITests.json(try await client.get("/api/v1/rules"))
            let groups = (rules["data"] as? [String: Any])?["groups"] as? [[String: Any]] ?? []
            #expect(groups.map { $0["name"] as? String } == ["auth"])
        }
    }
}
