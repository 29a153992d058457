public import VigilModel

/// Counts one group keeps, for its self-metrics.
struct RuleGroupCounters: Sendable {
    var iterations = 0
    var missed = 0
    var evaluations = 0
    var failures = 0
}

extension RuleManager {
    /// Registers the rule self-metrics on `registry`, computed from the groups in force when
    /// scraped: Prometheus's `prometheus_rule_*` families, so its dashboards and alerts work, labelled
    /// `rule_group="FILE;NAME"`.
    public nonisolated func registerMetrics(on registry: MetricsRegistry) {
        registry.register { [weak self] in
            guard let self else { return [] }
            return RuleManager.families(self.ruleGroups)
        }
    }

    static func families(_ groups: [RuleGroup]) -> [MetricFamily] {
        if groups.isEmpty { return [] }
        var iterations = MetricFamily(
            name: "prometheus_rule_group_iterations_total", help: "The total number of scheduled rule group evaluations, whether executed or missed.",
            type: .counter)
        var missed = MetricFamily(
            name: "prometheus_rule_group_iterations_missed_total", help: "The total number of rule group evaluations missed due to slow rule group evaluation.",
            type: .counter)
        var evaluations = MetricFamily(
            name: "prometheus_rule_evaluations_total", help: "The total number of rule evaluations.", type: .counter)
        var failures = MetricFamily(
            name: "prometheus_rule_evaluation_failures_total", help: "The total number of rule evaluation failures.", type: .counter)
        var duration = MetricFamily(
            name: "prometheus_rule_group_last_duration_seconds", help: "The duration of the last rule group evaluation.", type: .gauge)
        var last = MetricFamily(
            name: "prometheus_rule_group_last_evaluation_timestamp_seconds",
            help: "The timestamp of the last rule group evaluation in seconds.", type: .gauge)
        var interval = MetricFamily(
            name: "prometheus_rule_group_interval_seconds", help: "The interval of a rule group.", type: .gauge)
        var rules = MetricFamily(name: "prometheus_rule_group_rules", help: "The number of rules.", type: .gauge)
        for group in groups {
            let labels: Labels = ["rule_group": group.file + ";" + group.name]
            let counters = group.counters
            let (lastTime, lastDuration) = group.lastEvaluation
            iterations.samples.append(.init(name: iterations.name, labels: labels, value: Double(counters.iterations + counters.missed)))
            missed.samples.append(.init(name: missed.name, labels: labels, value: Double(counters.missed)))
            evaluations.samples.append(.init(name: evaluations.name, labels: labels, value: Double(counters.evaluations)))
            failures.samples.append(.init(name: failures.name, labels: labels, value: Double(counters.failures)))
            duration.samples.append(.init(name: duration.name, labels: labels, value: lastDuration))
            last.samples.append(.init(name: last.name, labels: labels, value: Double(lastTime ?? 0) / 1000))
            interval.samples.append(.init(name: interval.name, labels: labels, value: Double(group.interval) / 1000))
            rules.samples.append(.init(name: rules.name, labels: labels, value: Double(group.rules.count)))
        }
        return [evaluations, failures, duration, last, interval, iterations, missed, rules]
    }
}
