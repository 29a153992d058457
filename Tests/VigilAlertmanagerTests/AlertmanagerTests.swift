import Logging
import ServiceLifecycle
import Testing
import VigilModel
import VigilTestSupport
@testable import VigilAlertmanager

@Suite("Alertmanager facade")
struct AlertmanagerTests {
    let yaml = """
        route:
          receiver: team
          group_by: [alertname]
          routes:
            - matchers: [severity=page]
              receiver: pager
              continue: true
        inhibit_rules:
          - source_matchers: [severity=page]
            target_matchers: [severity=ticket]
            equal: [alertname]
        receivers: [{name: team}, {name: pager}]
        """

    private func make(
        _ directory: String? = nil, clock: ManualClock, integration: RecordingIntegration = RecordingIntegration()
    ) throws -> Alertmanager {
        try Alertmanager(
            config: try AlertmanagerConfiguration.parse(yaml: yaml),
            integrations: ["team": [integration], "pager": [integration]],
            options: AlertmanagerOptions(dataDirectory: directory, externalURL: "http://am"), clock: clock)
    }

    @Test("posting, listing with filters, silencing and expiring")
    func alertsAndSilences() async throws {
        let clock = ManualClock(t0)
        let am = try make(clock: clock)
        let errors = await am.putAlerts([
            PostableAlert(labels: ["alertname": "Disk", "severity": "page"]),
            PostableAlert(labels: ["alertname": "Disk", "severity": "ticket"]),
            PostableAlert(labels: ["alertname": "Load"]),
            PostableAlert(labels: [:]),
        ])
        #expect(errors.map(\.message) == ["at least one label pair required"])
        let all = am.alerts(try AlertFilter())
        #expect(all.count == 3)
        let page = try #require(all.first { $0.alert.labels["severity"] == "page" })
        #expect(page.receivers == ["pager"])
        let ticket = try #require(all.first { $0.alert.labels["severity"] == "ticket" })
        #expect(ticket.status.inhibitedBy == [page.fingerprint.description])
        #expect(am.alerts(try AlertFilter(inhibited: false)).count == 2)
        #expect(am.alerts(try AlertFilter(receiverRegex: "pag.*")).count == 1)
        #expect(am.alerts(try AlertFilter(receiverRegex: "pag")).isEmpty)
        #expect(am.alerts(try AlertFilter(matchers: try AlertMatchers.parse("alertname=Load"))).count == 1)

        let id = try am.createSilence(Silence(
            matchers: try AlertMatchers.parse("alertname=Load"), startsAt: t0, endsAt: t0 + 60 * minute,
            createdBy: "me", comment: "maintenance"))
        let unsilenced = am.alerts(try AlertFilter(silenced: false)).map { $0.alert.labels["alertname"] ?? "" }
        #expect(unsilenced == ["Disk", "Disk"])
        #expect(am.silence(id: id)?.state(at: am.now()) == .active)
        try am.expireSilence(id: id)
        clock.advance(by: second)
        #expect(am.alerts(try AlertFilter(silenced: false)).count == 3)
        #expect(throws: SilenceError.self) {
            try am.createSilence(Silence(
                matchers: try AlertMatchers.parse("a=b"), startsAt: t0, endsAt: t0, createdBy: "me", comment: "x"))
        }
        #expect(am.receiverNames == ["team", "pager"])
        let groups = await am.alertGroups(try AlertFilter())
        #expect(groups.map(\.receiver).sorted() == ["pager", "team", "team"])
    }

    @Test("the service flushes on schedule, snapshots at graceful shutdown and keeps state across a restart")
    func serviceAndRestart() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(t0)
        let integration = RecordingIntegration()
        let am = try make(directory.path + "/alerts", clock: clock, integration: integration)
        await am.putAlerts([PostableAlert(labels: ["alertname": "Load"], endsAt: t0 + 600 * minute)])
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [am], logger: Logger(label: "test")))
        let service = Task { try await group.run() }
        let flushed = await eventually {
            clock.advance(by: second)
            return integration.sent.count == 1
        }
        #expect(flushed)
        let silence = try am.createSilence(Silence(
            matchers: try AlertMatchers.parse("alertname=Other"), startsAt: clock.now(), endsAt: clock.now() + minute,
            createdBy: "me", comment: "c"))
        await group.triggerGracefulShutdown()
        try await service.value

        // A restart restores alerts, silences and the notification log: no duplicate is sent.
        let again = RecordingIntegration()
        let restarted = try make(directory.path + "/alerts", clock: clock, integration: again)
        #expect(restarted.silence(id: silence) != nil)
        #expect(restarted.alerts(try AlertFilter()).count == 1)
        let rerun = Task { try await restarted.run() }
        for _ in 0..<40 {
            clock.advance(by: second)
            try await Task.sleep(for: .milliseconds(5))
        }
        rerun.cancel()
        _ = try? await rerun.value
        #expect(again.sent.isEmpty)
    }

    @Test("self-metrics under Alertmanager's names")
    func metrics() async throws {
        let clock = ManualClock(t0)
        let am = try make(clock: clock)
        await am.putAlerts([
            PostableAlert(labels: ["alertname": "Disk", "severity": "page"]),
            PostableAlert(labels: ["alertname": "Disk", "severity": "ticket"]),
            PostableAlert(labels: ["alertname": "Old"], startsAt: t0 - 2 * minute, endsAt: t0 - minute),
            PostableAlert(labels: ["bad-name": "x"]),
        ])
        _ = am.alerts(try AlertFilter())
        let registry = MetricsRegistry()
        am.registerMetrics(on: registry)
        var values: [String: Double] = [:]
        for family in registry.collect() {
            for sample in family.samples { values[sample.name + sample.labels.description] = sample.value }
        }
        #expect(values[#"alertmanager_alerts{state="active"}"#] == 1)
        #expect(values[#"alertmanager_alerts{state="suppressed"}"#] == 1)
        #expect(values[#"alertmanager_alerts_received_total{status="firing"}"#] == 2)
        #expect(values[#"alertmanager_alerts_received_total{status="resolved"}"#] == 1)
        #expect(values["alertmanager_alerts_invalid_total{}"] == 1)
        #expect(values[#"alertmanager_silences{state="active"}"#] == 0)
    }

    @Test("a damaged snapshot stops start-up with an error naming the file")
    func damagedSnapshot() throws {
        let directory = try TemporaryDirectory()
        _ = try directory.write("nflog.json", "not json")
        let config = try AlertmanagerConfiguration.parse(yaml: yaml)
        do {
            _ = try Alertmanager(
                config: config, integrations: [:], options: AlertmanagerOptions(dataDirectory: directory.path),
                clock: ManualClock(t0))
            Issue.record("started on a damaged snapshot")
        } catch {
            #expect(error.message.hasPrefix(directory.path + "/nflog.json: not a valid nflog snapshot"))
        }
    }

    @Test("reload applies a new tree and keeps alerts")
    func reload() async throws {
        let clock = ManualClock(t0)
        let am = try make(clock: clock)
        await am.putAlerts([PostableAlert(labels: ["alertname": "Load", "severity": "page"])])
        let next = try AlertmanagerConfiguration.parse(yaml: """
            route: {receiver: other}
            receivers: [{name: other}]
            """)
        await am.reload(config: next, integrations: [:])
        let listed = am.alerts(try AlertFilter())
        #expect(listed.map(\.receivers) == [["other"]])
        #expect(am.receiverNames == ["other"])
    }

    @Test("a reload with the same routes sends nothing again; resolved alerts are garbage-collected")
    func reloadWithoutDuplicatesAndGC() async throws {
        let clock = ManualClock(t0)
        let integration = RecordingIntegration()
        let config = try AlertmanagerConfiguration.parse(yaml: yaml)
        let am = try Alertmanager(
            config: config, integrations: ["team": [integration], "pager": [integration]],
            options: AlertmanagerOptions(alertGCInterval: 10 * minute), clock: clock)
        let service = Task { try await am.run() }
        await am.putAlerts([PostableAlert(labels: ["alertname": "Load"], endsAt: t0 + 60 * minute)])
        let sent = await eventually {
            clock.advance(by: second)
            return integration.sent.count == 1
        }
        #expect(sent)
        await am.reload(config: config, integrations: ["team": [integration], "pager": [integration]])
        for _ in 0..<60 {
            clock.advance(by: second)
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(integration.sent.count == 1)

        // Resolved, notified, then dropped by the next garbage collection.
        await am.putAlerts([PostableAlert(labels: ["alertname": "Load"], startsAt: t0, endsAt: clock.now())])
        let collected = await eventually {
            clock.advance(by: 10 * second)
            return am.storedAlerts.isEmpty
        }
        #expect(collected)
        #expect(integration.sent.last?.status == .resolved)
        service.cancel()
        _ = try? await service.value
    }
}
