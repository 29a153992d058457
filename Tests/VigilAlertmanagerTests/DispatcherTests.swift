import Logging
import Testing
import VigilConfig
import VigilModel
import VigilTestSupport
@testable import VigilAlertmanager

/// A dispatcher over a recording integration, driven by a manual clock.
private struct Harness {
    let clock = ManualClock(t0)
    let integration: RecordingIntegration
    let silences = Silences()
    let marker = AlertMarker()
    let log: NotificationLog
    let store = AlertStore()
    let inhibitor: Inhibitor
    let dispatcher: Dispatcher

    init(
        route yaml: String, inhibit: String = "[]", intervals: [String: TimeIntervalConfig] = [:],
        sendResolved: Bool = true, log: NotificationLog = NotificationLog()
    ) throws {
        let integration = RecordingIntegration(sendResolved: sendResolved)
        self.integration = integration
        self.log = log
        let rules = try ConfigDecoder.decode([InhibitRuleConfig].self, fromYAML: inhibit, fileName: "i.yml")
        inhibitor = Inhibitor(rules: rules, marker: marker)
        let pipeline = NotificationPipeline(
            inhibitor: inhibitor, silences: silences, marker: marker, notificationLog: log, timeIntervals: intervals,
            clock: clock, externalURL: "http://am.example", counters: AlertmanagerCounters(), logger: Logger(label: "test"))
        let root = try route(yaml)
        let receivers = Set(root.allRoutes.map(\.options.receiver))
        dispatcher = Dispatcher(
            root: root, receivers: Dictionary(uniqueKeysWithValues: receivers.map { ($0, [integration]) }),
            pipeline: pipeline)
    }

    /// Stores and routes alerts posted now (a long resolve timeout: these tests resolve alerts explicitly).
    func post(_ alerts: [PostableAlert]) async throws {
        let accepted = try alerts.map { try $0.accepted(now: clock.now(), resolveTimeout: 24 * 60 * minute) }
        let stored = store.put(accepted, now: clock.now())
        inhibitor.observe(stored)
        await dispatcher.insert(stored)
    }

    /// Moves the clock and runs what fell due.
    func advance(_ nanoseconds: Int64) async {
        clock.advance(by: nanoseconds)
        await dispatcher.flushDue()
    }

    var sentAlertNames: [[String]] {
        integration.sent.map { $0.alerts.map { "\($0.labels["alertname"] ?? "")/\($0.status.rawValue)" } }
    }
}

@Suite("Dispatcher and notification pipeline")
struct DispatcherTests {
    let tree = """
        receiver: team
        group_by: [alertname]
        group_wait: 30s
        group_interval: 5m
        repeat_interval: 1h
        """

    @Test("group_wait, group_interval and repeat_interval follow Alertmanager's schedule")
    func timing() async throws {
        let h = try Harness(route: tree)
        try await h.post([PostableAlert(labels: ["alertname": "A", "instance": "1"])])
        await h.advance(29 * second)
        #expect(h.integration.sent.isEmpty)
        await h.advance(1 * second)
        #expect(h.sentAlertNames == [["A/firing"]])
        let first = try #require(h.integration.sent.first)
        #expect(first.groupKey == #"{}:{alertname="A"}"#)
        #expect(first.groupLabels == labels(["alertname": "A"]))
        #expect(first.commonLabels == labels(["alertname": "A", "instance": "1"]))
        #expect(first.receiver == "team")
        #expect(first.externalURL == "http://am.example")
        #expect(first.alerts[0].endsAt == nil)

        // A second alert of the group waits for the group interval, not group_wait.
        try await h.post([PostableAlert(labels: ["alertname": "A", "instance": "2"])])
        await h.advance(4 * minute)
        #expect(h.integration.sent.count == 1)
        await h.advance(1 * minute)
        #expect(h.sentAlertNames.last == ["A/firing", "A/firing"])

        // Nothing changes: no notification until the repeat interval has passed.
        for _ in 0..<12 {
            try await h.post([
                PostableAlert(labels: ["alertname": "A", "instance": "1"]),
                PostableAlert(labels: ["alertname": "A", "instance": "2"]),
            ])
            await h.advance(5 * minute)
        }
        // Exactly one repeat interval after the last notification is not yet "more than" it.
        #expect(h.integration.sent.count == 2)
        try await h.post([
            PostableAlert(labels: ["alertname": "A", "instance": "1"]),
            PostableAlert(labels: ["alertname": "A", "instance": "2"]),
        ])
        await h.advance(5 * minute)
        #expect(h.integration.sent.count == 3)
    }

    @Test("alerts older than group_wait flush at once; resolved alerts are sent and then dropped")
    func resolution() async throws {
        let h = try Harness(route: tree)
        try await h.post([PostableAlert(labels: ["alertname": "B"], startsAt: t0 - 10 * minute)])
        await h.advance(0)
        #expect(h.sentAlertNames == [["B/firing"]])
        try await h.post([PostableAlert(labels: ["alertname": "B"], startsAt: t0 - 10 * minute, endsAt: h.clock.now())])
        await h.advance(5 * minute)
        #expect(h.sentAlertNames.last == ["B/resolved"])
        #expect(h.integration.sent.last?.status == .resolved)
        #expect(await h.dispatcher.groupSummaries().isEmpty)
    }

    @Test("without send_resolved the resolution is not sent but clears the log")
    func sendResolvedOff() async throws {
        let h = try Harness(route: tree, sendResolved: false)
        try await h.post([PostableAlert(labels: ["alertname": "C"], startsAt: t0 - 10 * minute)])
        await h.advance(0)
        try await h.post([PostableAlert(labels: ["alertname": "C"], startsAt: t0 - 10 * minute, endsAt: h.clock.now())])
        await h.advance(5 * minute)
        #expect(h.integration.sent.count == 1)
        let entry = h.log.query(groupKey: #"{}:{alertname="C"}"#, receiver: "team/webhook/0")
        #expect(entry?.firingAlerts.isEmpty == true)
        #expect(entry?.resolvedAlerts.count == 1)
    }

    @Test("silenced and inhibited alerts are held back and marked")
    func muting() async throws {
        let h = try Harness(route: tree, inhibit: """
            - source_matchers: [severity=critical]
              target_matchers: [severity=warning]
              equal: [service]
            """)
        let silence = try h.silences.set(
            Silence(matchers: try AlertMatchers.parse("alertname=Silenced"), startsAt: t0, endsAt: t0 + 60 * minute,
                    createdBy: "me", comment: "quiet"), now: t0)
        try await h.post([
            PostableAlert(labels: ["alertname": "Silenced"]),
            PostableAlert(labels: ["alertname": "Big", "severity": "critical", "service": "db"]),
            PostableAlert(labels: ["alertname": "Small", "severity": "warning", "service": "db"]),
        ])
        await h.advance(30 * second)
        #expect(h.sentAlertNames == [["Big/firing"]])
        #expect(h.marker.status(Fingerprint(labels(["alertname": "Silenced"]))).silencedBy == [silence])
        let small = h.marker.status(Fingerprint(labels(["alertname": "Small", "severity": "warning", "service": "db"])))
        #expect(small.state == .suppressed)
        #expect(small.inhibitedBy == [Fingerprint(labels(["alertname": "Big", "severity": "critical", "service": "db"])).description])
    }

    @Test("mute and active time intervals hold notifications back")
    func timeIntervals() async throws {
        let weekend = try ConfigDecoder.decode(TimeIntervalConfig.self, fromYAML: """
            name: weekend
            time_intervals: [{weekdays: [saturday, sunday]}]
            """, fileName: "t.yml")
        let muted = try Harness(route: tree + "\nmute_time_intervals: [weekend]", intervals: ["weekend": weekend])
        try await muted.post([PostableAlert(labels: ["alertname": "D"])])
        await muted.advance(30 * second)
        #expect(muted.sentAlertNames == [["D/firing"]])  // t0 is a Monday
        let active = try Harness(route: tree + "\nactive_time_intervals: [weekend]", intervals: ["weekend": weekend])
        try await active.post([PostableAlert(labels: ["alertname": "D"])])
        await active.advance(30 * second)
        #expect(active.integration.sent.isEmpty)
    }

    @Test("retryable failures are retried with backoff; permanent ones are not")
    func retries() async throws {
        let h = try Harness(route: tree)
        h.integration.failNext([IntegrationError(retryable: true, "503"), IntegrationError(retryable: true, "503")])
        try await h.post([PostableAlert(labels: ["alertname": "E"])])
        h.clock.advance(by: 30 * second)
        let flush = Task { await h.dispatcher.flushDue() }
        // Move time along while the retry loop sleeps, until it has delivered.
        let delivered = await eventually {
            h.clock.advance(by: second)
            return h.integration.sent.count == 1
        }
        #expect(delivered)
        await flush.value
        #expect(h.sentAlertNames == [["E/firing"]])

        let p = try Harness(route: tree)
        p.integration.failNext([IntegrationError(retryable: false, "400")])
        try await p.post([PostableAlert(labels: ["alertname": "F"])])
        await p.advance(30 * second)
        #expect(p.integration.sent.isEmpty)
        // Not logged, so the next flush tries again.
        await p.advance(5 * minute)
        #expect(p.sentAlertNames == [["F/firing"]])
    }

    @Test("continue and group_by ['...']: one group per matching route and label set")
    func groupsPerRoute() async throws {
        let h = try Harness(route: """
            receiver: team
            group_wait: 0s
            routes:
              - matchers: [severity=page]
                receiver: pager
                group_by: ['...']
                continue: true
              - receiver: all
                group_by: [severity]
            """)
        try await h.post([
            PostableAlert(labels: ["alertname": "A", "severity": "page"]),
            PostableAlert(labels: ["alertname": "B", "severity": "page"]),
            PostableAlert(labels: ["alertname": "C", "severity": "info"]),
        ])
        await h.advance(0)
        let summaries = await h.dispatcher.groupSummaries()
        let keys = summaries.map(\.groupKey).sorted()
        #expect(keys == [
            #"{}/{severity="page"}:{alertname="A", severity="page"}"#,
            #"{}/{severity="page"}:{alertname="B", severity="page"}"#,
            #"{}/{}:{severity="info"}"#,
            #"{}/{}:{severity="page"}"#,
        ].sorted())
        #expect(h.integration.sent.count == 4)
        let pageGroup = h.integration.sent.first { $0.groupKey == #"{}/{}:{severity="page"}"# }
        #expect(pageGroup?.alerts.map(\.labels["alertname"]) == ["A", "B"])
        #expect(pageGroup?.commonLabels == labels(["severity": "page"]))
    }

    @Test("the notification log persists, so a restart sends no duplicate")
    func restart() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/nflog.json"
        let first = try Harness(route: tree, log: NotificationLog(snapshotPath: path))
        try await first.post([PostableAlert(labels: ["alertname": "G"], startsAt: t0 - 10 * minute)])
        await first.advance(0)
        #expect(first.integration.sent.count == 1)
        try first.log.saveSnapshot()

        let log = NotificationLog(snapshotPath: path)
        try log.loadSnapshot(now: t0)
        let second = try Harness(route: tree, log: log)
        try await second.post([PostableAlert(labels: ["alertname": "G"], startsAt: t0 - 10 * minute)])
        await second.advance(0)
        #expect(second.integration.sent.isEmpty)
    }
}
