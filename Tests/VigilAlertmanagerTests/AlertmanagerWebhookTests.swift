import Foundation
import Logging
import Testing
import VigilTestSupport
@testable import VigilAlertmanager

@Suite("Alertmanager end to end through a real webhook")
struct AlertmanagerWebhookTests {
    @Test("firing then resolved notifications arrive as webhook v4 bodies")
    func webhook() async throws {
        try await RecordingServer.with { server in
            let config = try AlertmanagerConfiguration.parse(yaml: """
                route:
                  receiver: hook
                  group_by: [alertname]
                  group_wait: 10s
                  group_interval: 1m
                receivers:
                  - name: hook
                    webhook_configs: [{url: '\(server.base)/hook'}]
                """)
            var logger = Logger(label: "e2e")
            logger.logLevel = .critical
            let built = try await ReceiverIntegrations.build(
                receivers: config.receivers, global: config.global, templates: .defaults, logger: logger)
            let clock = ManualClock(t0)
            let am = try Alertmanager(
                config: config, integrations: built.mapValues(\.integrations),
                options: AlertmanagerOptions(externalURL: "http://am.example:9093"), clock: clock, logger: logger)
            let service = Task { try await am.run() }
            await am.putAlerts([PostableAlert(labels: ["alertname": "Down", "job": "node"], annotations: ["summary": "s"])])
            let firing = await eventually(timeout: .seconds(300)) {
                clock.advance(by: second)
                return server.requests.count == 1
            }
            #expect(firing)
            let first = try #require(server.requests.first)
            let body = try #require(try JSONSerialization.jsonObject(with: Data(first.body.utf8)) as? [String: Any])
            #expect(first.path == "/hook")
            #expect(body["version"] as? String == "4")
            #expect(body["status"] as? String == "firing")
            #expect(body["receiver"] as? String == "hook")
            #expect(body["groupKey"] as? String == #"{}:{alertname="Down"}"#)
            #expect(body["externalURL"] as? String == "http://am.example:9093")
            let alerts = try #require(body["alerts"] as? [[String: Any]])
            #expect(alerts.first?["endsAt"] as? String == "0001-01-01T00:00:00Z")
            #expect(alerts.first?["fingerprint"] as? String == Fingerprint(labels(["alertname": "Down", "job": "node"])).description)

            await am.putAlerts([PostableAlert(
                labels: ["alertname": "Down", "job": "node"], annotations: ["summary": "s"], endsAt: clock.now())])
            let resolved = await eventually(timeout: .seconds(300)) {
                clock.advance(by: second)
                return server.requests.count == 2
            }
            #expect(resolved)
            let last = try #require(server.requests.last)
            let resolvedBody = try #require(try JSONSerialization.jsonObject(with: Data(last.body.utf8)) as? [String: Any])
            #expect(resolvedBody["status"] as? String == "resolved")
            service.cancel()
            _ = try? await service.value
            for integrations in built.values { await integrations.shutdown() }
        }
    }
}
