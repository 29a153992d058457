import Logging
import Synchronization
import Testing
import VigilConfig
import VigilModel
import VigilPromQL
import VigilRules
import VigilTSDB
import VigilTestSupport

/// A store in a temporary directory, with helpers to write input and read back what rules wrote.
final class RuleTestStore {
    let directory: TemporaryDirectory
    let tsdb: TSDB

    init() throws {
        directory = try TemporaryDirectory()
        tsdb = try TSDB.open(directory: directory.path + "/metrics")
    }

    var environment: RuleEnvironment {
        RuleEnvironment(
            tsdb: tsdb, externalLabels: ["cluster": "eu1"],
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    func append(_ labels: Labels, _ samples: [(Int64, Double)]) throws {
        var appender = tsdb.appender()
        for (time, value) in samples {
            _ = try appender.append(ref: nil, labels: labels, timestamp: time, value: value)
        }
        try appender.commit()
    }

    /// Every stored sample of every series named `name`, by series.
    func samples(_ name: String) throws -> [Labels: [(Int64, Double)]] {
        let matcher = try LabelMatcher(.equal, Labels.metricName, name)
        var result: [Labels: [(Int64, Double)]] = [:]
        for series in try tsdb.querier().select([matcher], mint: .min, maxt: .max) {
            result[series.labels] = series.samples().map { ($0.timestamp, $0.value) }
        }
        return result
    }
}

func group(_ yaml: String, file: String = "rules.yml", interval: Int64 = 60_000) throws -> RuleGroup {
    let parsed = try RuleFile.parse(yaml: yaml, fileName: file)
    return RuleGroup(file: file, definition: parsed.groups[0], defaultInterval: interval)
}

let t0: Int64 = 1_700_000_000_000
let minute: Int64 = 60_000

@Suite("Rule evaluation")
struct RuleEvaluationTests {
    @Test("recording rules write the result under the new name with the rule's labels, then stale markers")
    func recording() throws {
        let store = try RuleTestStore()
        try store.append(["__name__": "requests", "job": "api", "instance": "a"], [(t0 - 10_000, 3), (t0 + minute - 10_000, 5)])
        try store.append(["__name__": "requests", "job": "api", "instance": "b"], [(t0 - 10_000, 4)])
        try store.append(["__name__": "requests", "job": "db", "instance": "c"], [(t0 - 10_000, 1), (t0 + minute - 10_000, StaleNaN.value)])
        let rules = try group("""
            groups:
              - name: g
                query_offset: 10s
                rules:
                  - record: job:requests:sum
                    expr: sum by (job) (requests)
                    labels: {team: infra}
            """)
        rules.evaluate(at: t0 + 10_000, environment: store.environment)
        rules.evaluate(at: t0 + minute + 10_000, environment: store.environment)
        let written = try store.samples("job:requests:sum")
        let api = try #require(written[["__name__": "job:requests:sum", "job": "api", "team": "infra"]])
        #expect(api.map(\.0) == [t0, t0 + minute])
        #expect(api.map(\.1) == [7, 9])
        let db = try #require(written[["__name__": "job:requests:sum", "job": "db", "team": "infra"]])
        #expect(db.count == 2)
        #expect(db[0].1 == 1)
        #expect(db[1].0 == t0 + minute)
        #expect(isStaleNaN(db[1].1))
        let status = rules.ruleSnapshots[0].status
        #expect(status.health == .ok)
        #expect(status.lastEvaluation == t0 + minute + 10_000)
        #expect(rules.lastEvaluation.time == t0 + minute + 10_000)
    }

    @Test("a failing rule records its error and the others still run; limit and label clashes fail the rule")
    func errors() throws {
        let store = try RuleTestStore()
        try store.append(["__name__": "up", "job": "a", "instance": "1"], [(t0, 1)])
        try store.append(["__name__": "up", "job": "a", "instance": "2"], [(t0, 1)])
        let rules = try group("""
            groups:
              - name: g
                limit: 1
                rules:
                  - record: clash
                    expr: up
                    labels: {instance: same}
                  - record: too_many
                    expr: up * 2
                  - record: fine
                    expr: sum(up)
                  - record: string_result
                    expr: '"text"'
                  - alert: TooManyAlerts
                    expr: up
            """)
        let before = rules.ruleSnapshots.map(\.status.health)
        #expect(before == [.unknown, .unknown, .unknown, .unknown, .unknown])
        rules.evaluate(at: t0, environment: store.environment)
        let snapshots = rules.ruleSnapshots
        #expect(snapshots.map(\.status.health) == [.err, .err, .ok, .err, .err])
        #expect(snapshots[0].status.lastError == "vector contains metrics with the same labelset after applying rule labels")
        #expect(snapshots[1].status.lastError == "exceeded limit of 1 with 2 series")
        #expect(snapshots[3].status.lastError == "rule result is not a vector or scalar")
        #expect(snapshots[4].status.lastError == "exceeded limit of 1 with 2 alerts")
        #expect(try store.samples("fine").first?.value.map(\.1) == [2])
        #expect(try store.samples("too_many").isEmpty)
    }

    @Test("alerts go pending, fire after `for`, resolve, and write ALERTS and ALERTS_FOR_STATE")
    func alertLifecycle() throws {
        let store = try RuleTestStore()
        let down: Labels = ["__name__": "up", "job": "node", "instance": "a:9100"]
        try store.append(down, [(t0, 0), (t0 + minute, 0), (t0 + 2 * minute, 0), (t0 + 3 * minute, 1)])
        let rules = try group("""
            groups:
              - name: g
                rules:
                  - alert: InstanceDown
                    expr: up == 0
                    for: 2m
                    labels:
                      severity: page
                      instance_name: '{{ $labels.instance | stripPort }}'
                    annotations:
                      summary: '{{ $labels.instance }} of {{ $externalLabels.cluster }} down, value {{ $value }}'
            """)
        let environment = store.environment
        rules.evaluate(at: t0, environment: environment)
        var snapshot = rules.ruleSnapshots[0]
        #expect(snapshot.state == .pending)
        let alert = try #require(snapshot.alerts.first)
        #expect(alert.labels == [
            "alertname": "InstanceDown", "job": "node", "instance": "a:9100", "severity": "page", "instance_name": "a",
        ])
        #expect(alert.annotations == ["summary": "a:9100 of eu1 down, value 0"])
        #expect(alert.activeAt == t0)

        rules.evaluate(at: t0 + minute, environment: environment)
        #expect(rules.ruleSnapshots[0].state == .pending)
        rules.evaluate(at: t0 + 2 * minute, environment: environment)
        snapshot = rules.ruleSnapshots[0]
        #expect(snapshot.state == .firing)
        #expect(snapshot.alerts.first?.firedAt == t0 + 2 * minute)
        #expect(snapshot.alerts.first?.activeAt == t0)

        rules.evaluate(at: t0 + 3 * minute, environment: environment)
        snapshot = rules.ruleSnapshots[0]
        #expect(snapshot.state == .inactive)
        #expect(snapshot.alerts.isEmpty)

        let alerts = try store.samples("ALERTS")
        let alertLabels: Labels = [
            "__name__": "ALERTS", "alertname": "InstanceDown", "job": "node", "instance": "a:9100", "severity": "page",
            "instance_name": "a",
        ]
        let pending = try #require(alerts[alertLabels.setting("alertstate", to: "pending")])
        #expect(pending.map(\.0) == [t0, t0 + minute, t0 + 2 * minute])
        #expect(pending.prefix(2).map(\.1) == [1, 1])
        #expect(isStaleNaN(pending[2].1))
        let firing = try #require(alerts[alertLabels.setting("alertstate", to: "firing")])
        #expect(firing.map(\.0) == [t0 + 2 * minute, t0 + 3 * minute])
        #expect(firing[0].1 == 1)
        #expect(isStaleNaN(firing[1].1))
        let forState = try store.samples("ALERTS_FOR_STATE")
        let forSeries = try #require(forState.values.first)
        #expect(forSeries.prefix(3).map(\.1) == Array(repeating: Double(t0 / 1000), count: 3))
    }

    @Test("keep_firing_for keeps an alert firing after its condition clears; resolved alerts are kept 15 minutes")
    func keepFiringFor() throws {
        let store = try RuleTestStore()
        try store.append(["__name__": "errors"], [(t0, 5)])
        let rules = try group("""
            groups:
              - name: g
                rules:
                  - alert: Errors
                    expr: errors > 0
                    keep_firing_for: 2m
            """)
        let environment = store.environment
        // The sample is visible for the 5-minute lookback, so the condition holds at t0 … t0+4m.
        rules.evaluate(at: t0, environment: environment)
        #expect(rules.ruleSnapshots[0].state == .firing)
        rules.evaluate(at: t0 + 6 * minute, environment: environment)
        #expect(rules.ruleSnapshots[0].state == .firing)
        #expect(rules.ruleSnapshots[0].alerts.first?.keepFiringSince == t0 + 6 * minute)
        rules.evaluate(at: t0 + 7 * minute, environment: environment)
        #expect(rules.ruleSnapshots[0].state == .firing)
        rules.evaluate(at: t0 + 8 * minute, environment: environment)
        #expect(rules.ruleSnapshots[0].state == .inactive)
        #expect(rules.ruleSnapshots[0].alerts.isEmpty)
    }

    @Test("a changed group takes over the alerts and written series of its unchanged rules")
    func copyState() throws {
        let store = try RuleTestStore()
        try store.append(["__name__": "errors", "job": "a"], [(t0, 1), (t0 + minute, 1)])
        let before = try group("""
            groups:
              - name: g
                rules:
                  - alert: Errors
                    expr: errors > 0
                    for: 10m
                  - record: errors:sum
                    expr: sum(errors)
            """)
        before.evaluate(at: t0, environment: store.environment)
        let after = try group("""
            groups:
              - name: g
                rules:
                  - record: errors:sum
                    expr: sum(errors)
                  - alert: Errors
                    expr: errors > 0
                    for: 10m
                  - alert: New
                    expr: errors > 100
            """)
        after.copyState(from: before)
        let copied = after.ruleSnapshots
        #expect(copied[1].alerts.first?.activeAt == t0)
        #expect(copied[1].state == .pending)
        #expect(copied[0].status.lastEvaluation == t0)
        #expect(copied[2].status.health == .unknown)
        // The recording rule's series carry over: when it stops producing, they go stale.
        after.evaluate(at: t0 + minute, environment: store.environment)
        #expect(after.ruleSnapshots[1].alerts.first?.activeAt == t0)
        let sums = try store.samples("errors:sum").values.first ?? []
        #expect(sums.map(\.0) == [t0, t0 + minute])
    }

    @Test("evaluation slots are aligned to the interval plus a per-group offset")
    func alignment() throws {
        let first = try group("groups:\n  - name: a\n    rules: []\n", interval: 15_000)
        let second = try group("groups:\n  - name: b\n    rules: []\n", interval: 15_000)
        #expect(first.offset >= 0 && first.offset < 15_000)
        #expect(first.offset != second.offset)
        for time in [t0, t0 + 1, t0 + 7_777, t0 + 14_999] {
            let slot = first.evaluationTimestamp(atOrBefore: time)
            #expect(slot <= time && slot > time - 15_000)
            #expect((slot - first.offset) % 15_000 == 0)
        }
        // Prometheus's slot for this group: XXH64("file\xff/etc/prometheus/rules.yml\xffname\xffexample\xff")
        // = 0x3D2A087A3C9BF619, modulo 60 s in nanoseconds = 46,431.x ms.
        let example = try group(
            "groups:\n  - name: example\n    rules: []\n", file: "/etc/prometheus/rules.yml", interval: 60_000)
        #expect(example.offset == 46_431)
    }
}

@Suite("Alert for-state restore")
struct ForStateRestoreTests {
    static let rules = """
        groups:
          - name: g
            rules:
              - alert: Slow
                expr: condition > 0
                for: 30m
                labels: {severity: page}
        """

    private func restoredGroup() throws -> RuleGroup {
        let parsed = try RuleFile.parse(yaml: Self.rules, fileName: "rules.yml")
        return RuleGroup(file: "rules.yml", definition: parsed.groups[0], defaultInterval: minute, shouldRestore: true)
    }

    private let forState: Labels = ["__name__": "ALERTS_FOR_STATE", "alertname": "Slow", "severity": "page"]

    @Test("a pending alert keeps the time it spent pending before the restart, plus the downtime")
    func shiftsByDowntime() throws {
        let store = try RuleTestStore()
        let start = t0 + 60 * minute
        // Before the restart: active since start-20m, last written at start-5m.
        try store.append(forState, [(start - 6 * minute, Double((start - 20 * minute) / 1000)), (start - 5 * minute, Double((start - 20 * minute) / 1000))])
        try store.append(["__name__": "condition"], (0..<20).map { (start + Int64($0) * minute, 1) })
        let group = try restoredGroup()
        let environment = store.environment
        group.evaluate(at: start, environment: environment)
        group.evaluate(at: start + minute, environment: environment)
        // No ALERTS before the restore.
        #expect(try store.samples("ALERTS").isEmpty)
        group.restoreForState(at: start + minute, environment: environment)
        // Pending 15m before, 6m down: active at start-14m, so it fires at start+16m.
        #expect(group.ruleSnapshots[0].alerts.first?.activeAt == start - 14 * minute)
        group.evaluate(at: start + 15 * minute, environment: environment)
        #expect(group.ruleSnapshots[0].state == .pending)
        group.evaluate(at: start + 16 * minute, environment: environment)
        #expect(group.ruleSnapshots[0].state == .firing)
        #expect(try store.samples("ALERTS").count == 2)
    }

    @Test("an alert with less than the grace period left gets the grace period; an old or stale state is ignored")
    func gracePeriodAndTolerance() throws {
        let start = t0 + 60 * minute
        do {
            let store = try RuleTestStore()
            // Pending 28m of 30m when it stopped a minute ago.
            try store.append(forState, [(start - minute, Double((start - 29 * minute) / 1000))])
            try store.append(["__name__": "condition"], [(start, 1)])
            let group = try restoredGroup()
            group.evaluate(at: start, environment: store.environment)
            group.restoreForState(at: start, environment: store.environment)
            #expect(group.ruleSnapshots[0].alerts.first?.activeAt == start + 10 * minute - 30 * minute)
        }
        do {
            let store = try RuleTestStore()
            // Last written two hours ago: beyond the 1h outage tolerance.
            try store.append(forState, [(start - 120 * minute, Double((start - 150 * minute) / 1000))])
            try store.append(["__name__": "condition"], [(start, 1)])
            let group = try restoredGroup()
            group.evaluate(at: start, environment: store.environment)
            group.restoreForState(at: start, environment: store.environment)
            #expect(group.ruleSnapshots[0].alerts.first?.activeAt == start)
        }
        do {
            let store = try RuleTestStore()
            try store.append(forState, [(start - 5 * minute, Double((start - 20 * minute) / 1000)), (start - 4 * minute, StaleNaN.value)])
            try store.append(["__name__": "condition"], [(start, 1)])
            let group = try restoredGroup()
            group.evaluate(at: start, environment: store.environment)
            group.restoreForState(at: start, environment: store.environment)
            #expect(group.ruleSnapshots[0].alerts.first?.activeAt == start)
        }
    }
}
