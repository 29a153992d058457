import Logging
import ServiceLifecycle
import Synchronization
import Testing
import VigilModel
import VigilRules
import VigilTestSupport

/// A clock the test moves by hand; sleepers poll it, so nothing waits on wall time.
final class ManualRuleClock: RuleClock {
    private let time: Mutex<Int64>

    init(_ start: Int64) { time = Mutex(start) }

    func now() -> Int64 { time.withLock { $0 } }

    func set(_ value: Int64) { time.withLock { $0 = value } }

    func sleep(until target: Int64) async throws {
        while now() < target { try await Task.sleep(for: .milliseconds(2)) }
    }
}

@Suite("Rule manager")
struct RuleManagerTests {
    private let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    private func file(_ yaml: String) throws -> RuleFile {
        try RuleFile.parse(yaml: yaml, fileName: "rules.yml")
    }

    @Test("groups are listed by file, then name, whatever their order in the files (Prometheus's RuleGroups)")
    func listingOrder() async throws {
        let store = try RuleTestStore()
        let manager = RuleManager(environment: store.environment, clock: ManualRuleClock(t0))
        let later = try RuleFile.parse(yaml: """
            groups:
              - name: zeta
                rules: [{record: 'a:b', expr: 'vector(1)'}]
              - name: alpha
                rules: [{record: 'c:d', expr: 'vector(1)'}]
            """, fileName: "b.yml")
        let earlier = try RuleFile.parse(yaml: """
            groups:
              - name: omega
                rules: [{record: 'e:f', expr: 'vector(1)'}]
            """, fileName: "a.yml")
        await manager.update(files: [later, earlier], evaluationInterval: minute)
        let listed = manager.ruleGroups.map { "\($0.file)/\($0.name)" }
        #expect(listed == ["a.yml/omega", "b.yml/alpha", "b.yml/zeta"])
    }

    @Test("groups evaluate on the clock's slots; a reload keeps unchanged groups, replaces changed ones, and marks removed ones stale")
    func reloads() async throws {
        let store = try RuleTestStore()
        try store.append(["__name__": "up", "job": "a"], [(t0 - 1000, 1)])
        let clock = ManualRuleClock(t0)
        let manager = RuleManager(environment: store.environment, clock: clock)
        let registry = MetricsRegistry()
        manager.registerMetrics(on: registry)
        let original = try file("""
            groups:
              - name: g
                rules:
                  - record: job:up
                    expr: sum by (job) (up)
              - name: other
                rules:
                  - alert: Always
                    expr: vector(1)
            """)
        await manager.update(files: [original], evaluationInterval: minute)
        let groups = manager.ruleGroups
        #expect(groups.map(\.name) == ["g", "other"])
        let first = groups[0]
        let slot = first.evaluationTimestamp(atOrBefore: t0) + minute

        let serviceGroup = ServiceGroup(services: [manager], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await serviceGroup.run() }
            let started = await eventually(timeout: .seconds(300)) { await manager.isRunning }
            #expect(started)
            // Before the first slot nothing runs.
            #expect(first.lastEvaluation.time == nil)
            clock.set(slot)
            let evaluated = await eventually(timeout: .seconds(300)) { first.lastEvaluation.time == slot }
            #expect(evaluated)
            let families = registry.collect()
            let evaluations = families.first { $0.name == "prometheus_rule_evaluations_total" }?.samples
            let evaluationCount = evaluations?.first { $0.labels["rule_group"] == "rules.yml;g" }?.value
            #expect(evaluationCount == 1)
            let lastEvaluation = families.first { $0.name == "prometheus_rule_group_last_evaluation_timestamp_seconds" }?.samples
            let lastEvaluationTime = lastEvaluation?.first { $0.labels["rule_group"] == "rules.yml;g" }?.value
            #expect(lastEvaluationTime == Double(slot) / 1000)

            // Unchanged: the same group object, state and all.
            await manager.update(files: [original], evaluationInterval: minute)
            let kept = manager.ruleGroups[0]
            #expect(kept === first)

            // Changed: a new group that takes over the unchanged rule's state.
            let changed = try file("""
                groups:
                  - name: g
                    rules:
                      - record: job:up
                        expr: sum by (job) (up)
                      - record: job:up:twice
                        expr: 2 * sum by (job) (up)
                """)
            await manager.update(files: [changed], evaluationInterval: minute)
            let replaced = manager.ruleGroups
            #expect(replaced.count == 1)
            #expect(replaced[0] !== first)
            #expect(replaced[0].ruleSnapshots[0].status.lastEvaluation == slot)
            #expect(replaced[0].ruleSnapshots[1].status.health == .unknown)

            // Removed: its series get a stale marker now.
            clock.set(slot + 30_000)
            await manager.update(files: [], evaluationInterval: minute)
            #expect(manager.ruleGroups.isEmpty)
            let series = try store.samples("job:up")
            let samples = series[["__name__": "job:up", "job": "a"]] ?? []
            #expect(samples.count == 2)
            #expect(samples.first?.0 == slot)
            #expect(samples.last?.0 == slot + 30_000)
            let lastIsStale = samples.last.map { isStaleNaN($0.1) }
            #expect(lastIsStale == true)

            await serviceGroup.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
