import VigilConfig
import Logging
import Synchronization
import VigilModel
import VigilPromQL
import VigilTSDB

/// A loaded rule group: its rules, evaluated in order at one interval, writing through one
/// appender per evaluation, with stale markers for series a rule stopped producing.
///
/// Thread-safe: one task evaluates while any number read its status.
public final class RuleGroup: Sendable {
    /// The file the group came from.
    public let file: String
    /// The group as written.
    public let definition: RuleGroupDefinition
    /// The evaluation interval in effect (ms): the group's own or the global one.
    public let interval: Int64
    /// The query offset in effect (ms): the group's own or the global `rule_query_offset`.
    public let queryOffset: Int64
    /// The language of the group's expressions (its file's).
    public let language: RuleQueryLanguage
    let rules: [any Rule]
    private let state = Mutex(State())

    struct State {
        var lastEvaluation: Int64?
        var evaluationTime: Double = 0
        /// Per rule, the series its last successful evaluation wrote.
        var seriesReturned: [Set<Labels>] = []
        var counters = RuleGroupCounters()
    }

    /// Whether the group restores its alerts' `for` state from `ALERTS_FOR_STATE` after its
    /// second evaluation (groups loaded when Vigil starts, not on a reload).
    public let shouldRestore: Bool

    /// A group from `definition`, read from `file`, with the global interval and query offset (ms)
    /// applying where the group sets none. With `shouldRestore`, its alerting rules write no
    /// `ALERTS` series until ``restoreForState(at:environment:)`` has run.
    public init(
        file: String, definition: RuleGroupDefinition, defaultInterval: Int64, defaultQueryOffset: Int64 = 0,
        shouldRestore: Bool = false, language: RuleQueryLanguage = .promQL
    ) {
        self.shouldRestore = shouldRestore
        self.language = language
        self.file = file
        self.definition = definition
        self.interval = max(1, definition.interval?.milliseconds ?? defaultInterval)
        self.queryOffset = definition.queryOffset?.milliseconds ?? defaultQueryOffset
        self.rules = definition.rules.map { rule -> any Rule in
            switch rule.kind {
            case .recording: RecordingRule(rule)
            case .alerting: AlertingRule(rule, restored: !shouldRestore)
            }
        }
        state.withLock { $0.seriesReturned = Array(repeating: [], count: definition.rules.count) }
    }

    /// The group's name.
    public var name: String { definition.name }

    /// Where this group's evaluation slots sit within each interval (ms), as Prometheus places
    /// them: the hash of the label set `{file, name}` (`labels.Hash`, XXH64 over
    /// `file\xff<file>\xffname\xff<name>\xff`) modulo the interval in nanoseconds, so a group
    /// is evaluated at the same instants by Vigil and Prometheus and groups spread over the interval.
    public var offset: Int64 {
        let bytes = Array("file".utf8) + [0xFF] + Array(file.utf8) + [0xFF] + Array("name".utf8) + [0xFF] + Array(name.utf8) + [0xFF]
        let nanoseconds = XXHash64.hash(bytes) % (UInt64(interval) * 1_000_000)
        return Int64(nanoseconds / 1_000_000)
    }

    /// The latest evaluation slot at or before `time` (ms), as Prometheus's `EvalTimestamp`.
    public func evaluationTimestamp(atOrBefore time: Int64) -> Int64 {
        let adjusted = time - offset
        var base = adjusted - adjusted % interval
        if adjusted % interval < 0 { base -= interval }
        return base + offset
    }

    /// The group's last evaluation (ms) and how long it took (s).
    public var lastEvaluation: (time: Int64?, duration: Double) {
        state.withLock { ($0.lastEvaluation, $0.evaluationTime) }
    }

    /// The environment to evaluate at `time` (ms) in: for a LogQL group, `environment` with its
    /// expressions already run against the log store, each once, because LogQL queries are
    /// asynchronous and ``evaluate(at:environment:)`` is not. Running them first changes nothing a
    /// rule sees: LogQL rules read the log store, which no rule writes. A PromQL group's
    /// environment is returned as is.
    public func prepare(at time: Int64, environment: RuleEnvironment) async -> RuleEnvironment {
        guard language == .logQL else { return environment }
        var prepared = environment
        var results: [String: Result<[VectorSample], any Error>] = [:]
        for rule in definition.rules where results[rule.expr] == nil {
            guard let logQuery = environment.logQuery else {
                results[rule.expr] = .failure(RuleEvaluationError("LogQL rules need the log store (log_store.enabled)"))
                continue
            }
            do {
                results[rule.expr] = .success(try await logQuery(rule.expr, time - queryOffset))
            } catch {
                results[rule.expr] = .failure(error)
            }
        }
        prepared.prefetched = results
        return prepared
    }

    /// Evaluates every rule at `time` (ms) and writes the results, `ALERTS` series and stale
    /// markers in one commit.
    public func evaluate(at time: Int64, environment: RuleEnvironment) {
        let clock = ContinuousClock()
        let groupStart = clock.now
        var appender = environment.tsdb.appender()
        let writeTime = time - queryOffset
        var previous = state.withLock { $0.seriesReturned }
        for (index, rule) in rules.enumerated() {
            let ruleStart = clock.now
            var status = RuleStatus(health: .ok, lastError: nil, lastEvaluation: time, evaluationTime: 0)
            do {
                let samples = try rule.evaluate(
                    at: time, queryOffset: queryOffset, limit: definition.limit, environment: environment)
                var returned = Set<Labels>()
                returned.reserveCapacity(samples.count)
                for sample in samples {
                    returned.insert(sample.labels)
                    do {
                        _ = try appender.append(ref: nil, labels: sample.labels, timestamp: sample.timestamp, value: sample.value)
                    } catch {
                        environment.logger.warning(
                            "Rule evaluation result discarded",
                            metadata: ["group": "\(name)", "rule": "\(rule.definition.name)", "err": "\(error)",
                                       "sample": "\(sample.labels)"])
                    }
                }
                for labels in previous[index] where !returned.contains(labels) {
                    // Out-of-order and duplicate errors are expected here (a newer sample exists).
                    _ = try? appender.append(ref: nil, labels: labels, timestamp: writeTime, value: StaleNaN.value)
                }
                previous[index] = returned
                if let notify = environment.notify, let alerting = rule as? AlertingRule {
                    let due = alerting.alertsToSend(at: time, resendDelay: environment.resendDelay, interval: interval)
                    if !due.isEmpty { notify(alerting.canonicalExpression, due) }
                }
            } catch {
                status.health = .err
                status.lastError = "\(error)"
                environment.logger.warning(
                    "Evaluating rule failed",
                    metadata: ["group": "\(name)", "file": "\(file)", "rule": "\(rule.definition.name)", "err": "\(error)"])
            }
            status.evaluationTime = Self.seconds(clock.now - ruleStart)
            rule.record(status)
        }
        do {
            try appender.commit(durable: false)
        } catch {
            environment.logger.error("Writing rule results failed", metadata: ["group": "\(name)", "err": "\(error)"])
        }
        let elapsed = Self.seconds(clock.now - groupStart)
        let failures = rules.count { $0.status.health == .err }
        state.withLock { state in
            state.seriesReturned = previous
            state.lastEvaluation = time
            state.evaluationTime = elapsed
            state.counters.iterations += 1
            state.counters.evaluations += rules.count
            state.counters.failures += failures
        }
    }

    /// What the group has done since it was loaded, for self-metrics.
    var counters: RuleGroupCounters { state.withLock { $0.counters } }

    /// Writes stale markers at `time` (ms) for every series the group wrote last: the group was
    /// removed, so its series end now rather than fading after five minutes.
    public func markStale(at time: Int64, environment: RuleEnvironment) {
        let series = state.withLock { $0.seriesReturned }
        var appender = environment.tsdb.appender()
        for set in series {
            for labels in set {
                _ = try? appender.append(ref: nil, labels: labels, timestamp: time, value: StaleNaN.value)
            }
        }
        try? appender.commit(durable: false)
        state.withLock { state in
            state.seriesReturned = Array(repeating: [], count: rules.count)
        }
    }

    /// Takes over the alerts and written series of `old`'s rules that are unchanged in this group,
    /// as Prometheus's `CopyState` does on a reload.
    public func copyState(from old: RuleGroup) {
        let oldSeries = old.state.withLock { $0.seriesReturned }
        var series = state.withLock { $0.seriesReturned }
        var used = Set<Int>()
        for (index, rule) in rules.enumerated() {
            guard let match = old.rules.indices.first(where: { !used.contains($0) && old.rules[$0].definition == rule.definition })
            else { continue }
            used.insert(match)
            series[index] = oldSeries[match]
            rule.record(old.rules[match].status)
            if let alerting = rule as? AlertingRule, let previous = old.rules[match] as? AlertingRule {
                alerting.copyAlerts(from: previous)
            }
        }
        let copied = series
        let (lastEvaluation, evaluationTime) = old.lastEvaluation
        state.withLock { state in
            state.seriesReturned = copied
            state.lastEvaluation = lastEvaluation
            state.evaluationTime = evaluationTime
        }
    }

    /// Restores the alerting rules' `for` state as of `time` (ms); see ``shouldRestore``.
    public func restoreForState(at time: Int64, environment: RuleEnvironment) {
        for case let rule as AlertingRule in rules {
            rule.restoreForState(at: time, environment: environment)
        }
    }

    /// Evaluates at every slot until the task is cancelled: the first at the slot after `start`
    /// (ms; `clock`'s now by default); a slot missed (an evaluation that overran) is skipped, as
    /// Prometheus does.
    public func run(clock: any RuleClock, environment: RuleEnvironment, start: Int64? = nil) async {
        var next = evaluationTimestamp(atOrBefore: start ?? clock.now()) + interval
        var evaluations = 0
        while !Task.isCancelled {
            do {
                try await clock.sleep(until: next)
            } catch {
                return
            }
            let now = clock.now()
            if now - next >= interval {
                let missed = (now - next) / interval
                environment.logger.warning(
                    "Rule group evaluation missed slots", metadata: ["group": "\(name)", "missed": "\(missed)"])
                next += missed * interval
                state.withLock { $0.counters.missed += Int(missed) }
            }
            evaluate(at: next, environment: await prepare(at: next, environment: environment))
            next += interval
            evaluations += 1
            // As Prometheus: restore after the second evaluation, when recording rules the
            // alerts may depend on have caught up.
            if shouldRestore && evaluations == 2 {
                restoreForState(at: clock.now(), environment: environment)
            }
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
