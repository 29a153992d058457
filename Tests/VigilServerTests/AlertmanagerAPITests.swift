import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VigilTestSupport

/// The embedded Alertmanager behind `vigil server`: its API v2 as amtool uses it, and the rules'
/// alerts arriving through the notifier.
@Suite("Alertmanager API")
struct AlertmanagerAPITests {
    static func json(_ response: TestClient.Response) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(response.text.utf8), options: [.fragmentsAllowed])
    }

    static let alertmanagerYAML = """
        route:
          receiver: team
          group_by: [alertname]
        receivers:
          - name: team
        """

    static let jsonHeaders: HTTPFields = [.contentType: "application/json"]

    @Test("alerts and silences through API v2: validation, filters, silencing, expiry, 404s")
    func alertsAndSilences() async throws {
        let temp = try TemporaryDirectory()
        let amPath = try temp.write("alertmanager.yml", Self.alertmanagerYAML)
        try await withRunningServer(configPath: nil, dataDirectory: temp.path + "/data", alertmanagerConfigPath: amPath) { client, _ in
            let status = try #require(try Self.json(try await client.get("/api/v2/status")) as? [String: Any])
            #expect((status["config"] as? [String: Any])?["original"] as? String == Self.alertmanagerYAML)
            #expect((status["cluster"] as? [String: Any])?["status"] as? String == "disabled")
            let receivers = try Self.json(try await client.get("/api/v2/receivers")) as? [[String: String]]
            #expect(receivers == [["name": "team"]])

            let refused = try await client.post(
                "/api/v2/alerts", headers: Self.jsonHeaders, body: ByteBuffer(string: #"[{"labels":{}}]"#))
            #expect(refused.status == .badRequest)
            #expect(try Self.json(refused) as? String == "at least one label pair required")
            let garbage = try await client.post("/api/v2/alerts", headers: Self.jsonHeaders, body: ByteBuffer(string: "[{"))
            #expect(garbage.status == .badRequest)

            let posted = try await client.post(
                "/api/v2/alerts", headers: Self.jsonHeaders,
                body: ByteBuffer(string: #"[{"labels":{"alertname":"Disk","instance":"a"},"annotations":{"summary":"full"}},{"labels":{"alertname":"CPU"}}]"#))
            #expect(posted.status == .ok)
            let all = try #require(try Self.json(try await client.get("/api/v2/alerts")) as? [[String: Any]])
            #expect(all.count == 2)
            let filtered = try #require(
                try Self.json(try await client.get("/api/v2/alerts?filter=alertname%3D%22Disk%22")) as? [[String: Any]])
            #expect(filtered.count == 1)
            #expect(filtered.first?["labels"] as? [String: String] == ["alertname": "Disk", "instance": "a"])
            #expect((filtered.first?["receivers"] as? [[String: String]]) == [["name": "team"]])
            let badFilter = try await client.get("/api/v2/alerts?filter=%7Bnot")
            #expect(badFilter.status == .badRequest)

            let now = Date()
            let format = ISO8601DateFormatter()
            let silenceBody = """
                {"matchers":[{"name":"alertname","value":"Disk","isRegex":false,"isEqual":true}],
                 "startsAt":"\(format.string(from: now))","endsAt":"\(format.string(from: now.addingTimeInterval(3600)))",
                 "createdBy":"test","comment":"maintenance"}
                """
            let created = try await client.post("/api/v2/silences", headers: Self.jsonHeaders, body: ByteBuffer(string: silenceBody))
            #expect(created.status == .ok)
            let id = try #require((try Self.json(created) as? [String: String])?["silenceID"])
            let silence = try #require(try Self.json(try await client.get("/api/v2/silence/\(id)")) as? [String: Any])
            #expect((silence["status"] as? [String: String])?["state"] == "active")
            #expect(silence["comment"] as? String == "maintenance")

            let silenced = try await eventually(timeout: .seconds(300)) {
                let alerts = try Self.json(try await client.get("/api/v2/alerts?silenced=false")) as? [[String: Any]] ?? []
                return alerts.count == 1
            }
            #expect(silenced, "the silenced alert leaves the silenced=false view")

            let listed = try #require(try Self.json(try await client.get("/api/v2/silences")) as? [[String: Any]])
            #expect(listed.count == 1)
            #expect(try await client.delete("/api/v2/silence/\(id)", body: ByteBuffer()).status == .ok)
            let expired = try #require(try Self.json(try await client.get("/api/v2/silence/\(id)")) as? [String: Any])
            #expect((expired["status"] as? [String: String])?["state"] == "expired")
            #expect(try await client.get("/api/v2/silence/00000000-0000-0000-0000-000000000000").status == .notFound)
            #expect(try await client.delete("/api/v2/silence/00000000-0000-0000-0000-000000000000", body: ByteBuffer()).status == .notFound)
        }
    }

    @Test("an alerting rule's alert reaches the embedded Alertmanager with the notifier's fields")
    func ruleAlertsArrive() async throws {
        let temp = try TemporaryDirectory()
        let amPath = try temp.write("alertmanager.yml", Self.alertmanagerYAML)
        _ = try temp.write("rules.yml", """
            groups:
              - name: g
                rules:
                  - alert: AlwaysFiring
                    expr: vector(1)
                    labels: {severity: page}
                    annotations: {summary: 'value {{ $value }}'}
            """)
        _ = try temp.write("prometheus.yml", """
            global:
              evaluation_interval: 1s
              external_labels: {cluster: test}
            rule_files: [rules.yml]
            """)
        try await withRunningServer(
            configPath: temp.path + "/prometheus.yml", dataDirectory: temp.path + "/data", alertmanagerConfigPath: amPath
        ) { client, _ in
            let arrived = try await eventually(timeout: .seconds(300)) {
                let alerts = try Self.json(try await client.get("/api/v2/alerts")) as? [[String: Any]] ?? []
                return alerts.count == 1
            }
            #expect(arrived)
            let alert = try #require((try Self.json(try await client.get("/api/v2/alerts")) as? [[String: Any]])?.first)
            #expect(alert["labels"] as? [String: String] == ["alertname": "AlwaysFiring", "severity": "page", "cluster": "test"])
            #expect(alert["annotations"] as? [String: String] == ["summary": "value 1"])
            #expect(alert["generatorURL"] as? String == "http://vigil.example:9470/graph?g0.expr=vector%281%29&g0.tab=1")
            let managers = try #require(try Self.json(try await client.get("/api/v1/alertmanagers")) as? [String: Any])
            let active = (managers["data"] as? [String: Any])?["activeAlertmanagers"] as? [[String: String]]
            #expect(active == [["url": "http://vigil.example:9470/api/v2/alerts"]])
        }
    }
}
