import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VigilTestSupport

/// `vigil server` with `rule_files`: groups evaluate, `/api/v1/rules` and `/api/v1/alerts` answer in
/// Prometheus's shapes, and a reload swaps the rules.
@Suite("Rules API")
struct RulesAPITests {
    static func json(_ response: TestClient.Response) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any], "not JSON: \(response.text)")
    }

    static let rules = """
        groups:
          - name: basics
            rules:
              - record: vigil:one
                expr: vector(1)
                labels: {source: rules}
              - alert: AlwaysFiring
                expr: vector(42)
                labels:
                  severity: 'sev-{{ $value }}'
                annotations:
                  summary: 'value is {{ $value | humanize }}'
              - alert: SlowToFire
                expr: vector(1)
                for: 1h
        """

    @Test("rules evaluate; /api/v1/rules and /api/v1/alerts show them; a reload swaps them")
    func rulesAndAlerts() async throws {
        let temp = try TemporaryDirectory()
        let rulesPath = try temp.write("rules.yml", Self.rules)
        let config = try temp.write("prometheus.yml", "global:\n  evaluation_interval: 1s\nrule_files: ['rules*.yml']\n")
        _ = config
        try await withRunningServer(configPath: temp.path + "/prometheus.yml", dataDirectory: temp.path + "/data") { client, _ in
            let fired = try await eventually(timeout: .seconds(300)) {
                let alerts = try Self.json(try await client.get("/api/v1/alerts"))
                let list = (alerts["data"] as? [String: Any])?["alerts"] as? [[String: Any]] ?? []
                return list.count == 2
            }
            #expect(fired)
            let alerts = try Self.json(try await client.get("/api/v1/alerts"))
            let list = try #require((alerts["data"] as? [String: Any])?["alerts"] as? [[String: Any]])
            let firing = try #require(list.first { ($0["labels"] as? [String: String])?["alertname"] == "AlwaysFiring" })
            #expect(firing["labels"] as? [String: String] == ["alertname": "AlwaysFiring", "severity": "sev-42"])
            #expect(firing["annotations"] as? [String: String] == ["summary": "value is 42"])
            #expect(firing["state"] as? String == "firing")
            #expect(firing["value"] as? String == "4.2e+01")
            #expect((firing["activeAt"] as? String)?.hasSuffix("Z") == true)
            let pending = try #require(list.first { ($0["labels"] as? [String: String])?["alertname"] == "SlowToFire" })
            #expect(pending["state"] as? String == "pending")

            let rules = try Self.json(try await client.get("/api/v1/rules"))
            #expect(rules["status"] as? String == "success")
            let groups = try #require((rules["data"] as? [String: Any])?["groups"] as? [[String: Any]])
            #expect(groups.count == 1)
            let group = groups[0]
            #expect(group["name"] as? String == "basics")
            #expect(group["file"] as? String == rulesPath)
            #expect(group["interval"] as? Double == 1)
            #expect(group["limit"] as? Int == 0)
            #expect(group["lastEvaluation"] is String)
            #expect(group["evaluationTime"] is Double)
            let ruleList = try #require(group["rules"] as? [[String: Any]])
            #expect(ruleList.count == 3)
            let recording = ruleList[0]
            #expect(Set(recording.keys) == ["name", "query", "labels", "health", "evaluationTime", "lastEvaluation", "type"])
            #expect(recording["name"] as? String == "vigil:one")
            #expect(recording["query"] as? String == "vector(1)")
            #expect(recording["labels"] as? [String: String] == ["source": "rules"])
            #expect(recording["health"] as? String == "ok")
            #expect(recording["type"] as? String == "recording")
            let alerting = ruleList[2]
            #expect(Set(alerting.keys) == [
                "state", "name", "query", "duration", "keepFiringFor", "labels", "annotations", "alerts", "health",
                "evaluationTime", "lastEvaluation", "type",
            ])
            #expect(alerting["state"] as? String == "pending")
            #expect(alerting["duration"] as? Double == 3600)
            #expect(alerting["keepFiringFor"] as? Double == 0)
            #expect(alerting["type"] as? String == "alerting")
            #expect((alerting["alerts"] as? [Any])?.count == 1)

            let onlyRecording = try Self.json(try await client.get("/api/v1/rules?type=record"))
            let recordingGroups = (onlyRecording["data"] as? [String: Any])?["groups"] as? [[String: Any]]
            #expect((recordingGroups?.first?["rules"] as? [Any])?.count == 1)
            let byName = try Self.json(try await client.get("/api/v1/rules?rule_name%5B%5D=SlowToFire&exclude_alerts=true"))
            let byNameRules = ((byName["data"] as? [String: Any])?["groups"] as? [[String: Any]])?.first?["rules"] as? [[String: Any]]
            #expect(byNameRules?.count == 1)
            #expect(byNameRules?.first?["name"] as? String == "SlowToFire")
            #expect(byNameRules?.first?["alerts"] == nil)
            let otherGroup = try Self.json(try await client.get("/api/v1/rules?rule_group%5B%5D=nope"))
            #expect(((otherGroup["data"] as? [String: Any])?["groups"] as? [Any])?.isEmpty == true)
            let otherFile = try Self.json(try await client.get("/api/v1/rules?file%5B%5D=%2Fnot%2Fthere.yml"))
            #expect(((otherFile["data"] as? [String: Any])?["groups"] as? [Any])?.isEmpty == true)
            let alertsOnly = try Self.json(try await client.get("/api/v1/rules?type=alert"))
            let alertRules = ((alertsOnly["data"] as? [String: Any])?["groups"] as? [[String: Any]])?.first?["rules"] as? [[String: Any]]
            let alertTypes = alertRules?.map { $0["type"] as? String }
            #expect(alertTypes == ["alerting", "alerting"])
            let bad = try await client.get("/api/v1/rules?type=banana")
            #expect(bad.status == .badRequest)
            #expect(try Self.json(bad)["error"] as? String == "invalid parameter \"type\": not supported value \"banana\"")

            // The recorded series and ALERTS are queryable.
            let recorded = try Self.json(try await client.get("/api/v1/query?query=vigil:one"))
            let result = (recorded["data"] as? [String: Any])?["result"] as? [[String: Any]]
            #expect(result?.first?["metric"] as? [String: String] == ["__name__": "vigil:one", "source": "rules"])
            // ALERTS is written once `for` state is restored, after the second evaluation.
            let alertSeries = try await eventually(timeout: .seconds(300)) {
                let response = try Self.json(try await client.get("/api/v1/query?query=ALERTS"))
                return ((response["data"] as? [String: Any])?["result"] as? [Any])?.count == 2
            }
            #expect(alertSeries)

            // A reload with a changed file swaps the rules.
            _ = try temp.write("rules.yml", "groups:\n  - name: replaced\n    rules:\n      - record: vigil:two\n        expr: vector(2)\n")
            let reload = try await client.post("/-/reload", body: ByteBuffer())
            #expect(reload.status == .ok)
            let after = try Self.json(try await client.get("/api/v1/rules"))
            let names = ((after["data"] as? [String: Any])?["groups"] as? [[String: Any]])?.map { $0["name"] as? String }
            #expect(names == ["replaced"])

            // A broken rule file fails the reload and keeps the rules in force.
            _ = try temp.write("rules.yml", "groups:\n  - name: broken\n    rules:\n      - record: x\n")
            let failed = try await client.post("/-/reload", body: ByteBuffer())
            #expect(failed.status != .ok)
            let kept = try Self.json(try await client.get("/api/v1/rules"))
            let keptNames = ((kept["data"] as? [String: Any])?["groups"] as? [[String: Any]])?.map { $0["name"] as? String }
            #expect(keptNames == ["replaced"])
        }
    }
}
