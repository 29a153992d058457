import HTTPTypes
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import VigilConfig
import VigilDiscovery
@testable import VigilNotifier
import VigilModel
import VigilTestSupport

@Suite("Notifier")
struct NotifierTests {
    private let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    private func alert(_ name: String, _ extra: [String: String] = [:], startsAt: Int64 = 1_700_000_000_123) -> NotifierAlert {
        var labels = extra
        labels["alertname"] = name
        return NotifierAlert(
            labels: Labels(labels.map { Label(name: $0.key, value: $0.value) }), annotations: ["summary": "it \"broke\""],
            startsAt: startsAt, endsAt: startsAt + 240_000, generatorURL: "http://vigil:9470/graph?g0.expr=up&g0.tab=1")
    }

    private func config(_ yaml: String) throws -> PrometheusConfig {
        try PrometheusConfig.parse(yaml: yaml, fileName: "prometheus.yml")
    }

    /// Runs `notifier` while `body` runs, then stops it; `body` starts once `alertmanagers`
    /// Alertmanagers are discovered.
    private func running<T>(_ notifier: Notifier, alertmanagers: Int, _ body: () async throws -> T) async throws -> T {
        let task = Task { try await notifier.run() }
        defer { task.cancel() }
        let discovered = await eventually { notifier.alertmanagers.active.count == alertmanagers }
        #expect(discovered)
        return try await body()
    }

    /// Sends `alerts` until `arrived` holds, as Prometheus re-sends every resend delay: a batch
    /// whose request timed out on a loaded machine is dropped by design, not retried.
    /// Returns how many times they were sent, nil if they never arrived.
    private func sendUntil(_ notifier: Notifier, _ alerts: [NotifierAlert], _ arrived: () -> Bool) async -> Int? {
        for attempt in 1...12 {
            notifier.send(alerts)
            if await eventually(timeout: .seconds(15), arrived) { return attempt }
        }
        return nil
    }

    @Test("the v2 payload has Go's field order, sorted maps and millisecond RFC 3339 times")
    func payload() {
        let body = AlertPayload.encode([alert("Down", ["job": "api"])], version: .v2)
        #expect(String(decoding: body, as: UTF8.self) == #"[{"annotations":{"summary":"it \"broke\""},"endsAt":"2023-11-14T22:17:20.123Z","startsAt":"2023-11-14T22:13:20.123Z","generatorURL":"http://vigil:9470/graph?g0.expr=up&g0.tab=1","labels":{"alertname":"Down","job":"api"}}]"#)
        let v1 = String(decoding: AlertPayload.encode([alert("Down")], version: .v1), as: UTF8.self)
        #expect(v1.hasPrefix(#"[{"labels":{"alertname":"Down"},"annotations":{"#))
    }

    @Test("generator links escape the expression as Go's url.QueryEscape")
    func generatorURL() {
        let url = NotifierAlert.generatorURL(externalURL: "http://h:9470", expression: #"rate(x{a="b c"}[5m]) > 0.5"#)
        #expect(url == "http://h:9470/graph?g0.expr=rate%28x%7Ba%3D%22b+c%22%7D%5B5m%5D%29+%3E+0.5&g0.tab=1")
    }

    @Test("a full queue drops its oldest alerts first, and a batch larger than the queue keeps its newest")
    func queue() {
        var queue = NotifierQueue(capacity: 3)
        #expect(queue.push([alert("a"), alert("b")]) == 0)
        #expect(queue.push([alert("c"), alert("d")]) == 1)
        #expect(queue.pop(10).map { $0.labels["alertname"] } == ["b", "c", "d"])
        #expect(queue.push((0..<5).map { alert("x\($0)") }) == 2)
        #expect(queue.pop(2).map { $0.labels["alertname"] } == ["x2", "x3"])
        #expect(queue.count == 1)
    }

    @Test("Alertmanager URLs: scheme, path_prefix joined as path.Join, relabeling, dropped targets, duplicates")
    func endpoints() throws {
        let parsed = try config("""
            alerting:
              alertmanagers:
                - scheme: https
                  path_prefix: /am//sub/
                  relabel_configs:
                    - source_labels: [__address__]
                      regex: 'skip.*'
                      action: drop
                  static_configs:
                    - targets: ['a:9093', 'skip:9093', 'a:9093']
            """)
        let entry = try #require(parsed.alerting.alertmanagers.first)
        let groups = [TargetGroup(targets: ["a:9093", "skip:9093", "a:9093"].map { ["__address__": $0] }, source: "0")]
        let endpoints = AlertmanagerEndpoints(groups: groups, config: entry)
        #expect(endpoints.active == ["https://a:9093/am/sub/api/v2/alerts"])
        #expect(endpoints.dropped == ["https://skip:9093/am/sub/api/v2/alerts"])
        #expect(AlertmanagerEndpoints.postPath(prefix: "", version: .v1) == "/api/v1/alerts")
    }

    @Test("alerts reach every Alertmanager with external labels and both levels of alert relabeling")
    func delivers() async throws {
        try await TestAlertmanager.with { first in
            try await TestAlertmanager.with { second in
                let registry = MetricsRegistry()
                let notifier = Notifier(logger: logger, registry: registry)
                try await notifier.apply(try config("""
                    global:
                      external_labels: {cluster: eu1, job: ignored-when-set}
                    alerting:
                      alert_relabel_configs:
                        - source_labels: [severity]
                          regex: none
                          action: drop
                      alertmanagers:
                        - static_configs: [{targets: ['\(first.address)']}]
                        - path_prefix: /prefix
                          static_configs: [{targets: ['\(second.address)']}]
                          alert_relabel_configs:
                            - target_label: via
                              replacement: second
                    """))
                try await running(notifier, alertmanagers: 2) {
                    #expect(notifier.alertmanagers.active == [
                        "http://\(first.address)/api/v2/alerts", "http://\(second.address)/prefix/api/v2/alerts",
                    ])
                    let sends = await sendUntil(notifier, [alert("Down", ["job": "api"]), alert("Quiet", ["severity": "none"])]) {
                        !first.received.isEmpty && !second.received.isEmpty
                    }
                    #expect(sends != nil)
                    // The receiver records a post before its answer reaches the notifier, which counts only
                    // then; stopping the notifier first could cancel that count.
                    let countedForBoth = await eventually {
                        registry.collect().first { $0.name == "prometheus_notifications_sent_total" }?.samples.count == 2
                    }
                    #expect(countedForBoth)
                }
                let atFirst = try #require(first.received.first)
                #expect(atFirst.count == 1)
                #expect(atFirst.first?["labels"] as? [String: String] == ["alertname": "Down", "job": "api", "cluster": "eu1"])
                #expect(atFirst.first?["startsAt"] as? String == "2023-11-14T22:13:20.123Z")
                #expect(second.received.first?.first?["labels"] as? [String: String]
                    == ["alertname": "Down", "job": "api", "cluster": "eu1", "via": "second"])
                #expect(Set(second.requestPaths) == ["/prefix/api/v2/alerts"])
            }
        }
    }

    @Test("a batch no Alertmanager takes is counted as errors and dropped; one that any takes is not dropped")
    func failures() async throws {
        try await TestAlertmanager.with { broken in
            try await TestAlertmanager.with { healthy in
                broken.answer(.internalServerError)
                let registry = MetricsRegistry()
                let notifier = Notifier(logger: logger, registry: registry)
                try await notifier.apply(try config("""
                    alerting:
                      alertmanagers:
                        - static_configs: [{targets: ['\(broken.address)']}]
                    """))
                func value(_ name: String) -> Double? {
                    registry.collect().first { $0.name == name }?.samples.first?.value
                }
                try await running(notifier, alertmanagers: 1) {
                    notifier.send([alert("A"), alert("B")])
                    let dropped = await eventually { value("prometheus_notifications_dropped_total") == 2 }
                    #expect(dropped)
                    #expect(value("prometheus_notifications_errors_total") == 1)
                    try await notifier.apply(try config("""
                        alerting:
                          alertmanagers:
                            - static_configs: [{targets: ['\(broken.address)', '\(healthy.address)']}]
                        """))
                    let rediscovered = await eventually { notifier.alertmanagers.active.count == 2 }
                    #expect(rediscovered)
                    let attempts = await sendUntil(notifier, [alert("C")]) { !healthy.received.isEmpty }
                    let sends = try #require(attempts)
                    // Every send the healthy one took is not dropped, though the broken one refused it
                    // (on a loaded machine a send may time out and be dropped, then sent again).
                    let accounted = await eventually { value("prometheus_notifications_dropped_total") == Double(2 + sends - healthy.received.count) }
                    #expect(accounted)
                }
            }
        }
    }

    @Test("alerts queued at shutdown are sent before the notifier stops")
    func drainsOnShutdown() async throws {
        try await TestAlertmanager.with { manager in
            let notifier = Notifier(options: NotifierOptions(batchSize: 2), logger: logger)
            try await notifier.apply(try config("""
                alerting:
                  alertmanagers:
                    - static_configs: [{targets: ['\(manager.address)']}]
                """))
            let group = ServiceGroup(services: [notifier], logger: logger)
            let task = Task { try await group.run() }
            let discovered = await eventually { notifier.alertmanagers.active.count == 1 }
            #expect(discovered)
            notifier.send((0..<5).map { alert("A\($0)") })
            await group.triggerGracefulShutdown()
            try await task.value
            let batches = manager.received.map(\.count)
            #expect(batches == [2, 2, 1])
        }
    }

    @Test("an in-process Alertmanager gets every batch and is listed first")
    func local() async throws {
        let delivered = Mutex<[[NotifierAlert]]>([])
        let notifier = Notifier(
            local: LocalAlertmanager(url: "http://127.0.0.1:9470/api/v2/alerts") { batch in
                delivered.withLock { $0.append(batch) }
                return true
            }, logger: logger)
        try await notifier.apply(try config("global: {external_labels: {cluster: eu1}}"))
        #expect(notifier.alertmanagers.active == ["http://127.0.0.1:9470/api/v2/alerts"])
        try await running(notifier, alertmanagers: 1) {
            notifier.send([alert("A")])
            let arrived = await eventually { !delivered.withLock { $0.isEmpty } }
            #expect(arrived)
        }
        let cluster = delivered.withLock { $0.first?.first?.labels["cluster"] }
        #expect(cluster == "eu1")
    }
}
