import VigilConfig
import Synchronization
import VigilModel
import VigilPromQL

/// An alerting rule: every element of its expression's result is an alert, pending until it has
/// held for `for`, then firing; resolved alerts are kept for ``resolvedRetention`` so the API and
/// notifications can still see them.
final class AlertingRule: Rule {
    /// How long a resolved alert stays listed (Prometheus's `resolvedRetention`).
    static let resolvedRetention: Int64 = 15 * 60_000

    let definition: RuleDefinition
    private let statusBox = RuleStatusBox()
    private let state = Mutex<State>(State())

    struct State {
        var active: [Labels: Alert] = [:]
        /// Whether `ALERTS`/`ALERTS_FOR_STATE` series are written (after any `for` restore).
        var restored = true
    }

    init(_ definition: RuleDefinition) {
        self.definition = definition
    }

    var status: RuleStatus { statusBox.value }

    func record(_ status: RuleStatus) { statusBox.set(status) }

    /// Alerts that are pending or firing, sorted by labels.
    var activeAlerts: [Alert] {
        state.withLock { state in
            state.active.filter { $0.value.state != .inactive }.sorted { $0.key < $1.key }.map(\.value)
        }
    }

    /// Every alert held, resolved ones included.
    var allAlerts: [Labels: Alert] { state.withLock { $0.active } }

    /// The most advanced state of the rule's alerts.
    var alertState: AlertState {
        state.withLock { state in state.active.values.map(\.state).max() ?? .inactive }
    }

    /// Takes over another rule's alerts (a reload that changed the group but not this rule).
    func copyAlerts(from other: AlertingRule) {
        let alerts = other.allAlerts
        state.withLock { $0.active = alerts }
    }

    func evaluate(at time: Int64, queryOffset: Int64, limit: Int, environment: RuleEnvironment) throws -> [VectorSample] {
        let queryTime = time - queryOffset
        let result = try environment.query(definition.expr, at: queryTime)
        let template = AlertTemplate(
            externalLabels: environment.externalLabels, externalURL: environment.externalURL,
            query: environment.templateQuery)

        var current: [Labels: Alert] = [:]
        for sample in result {
            var builder = LabelsBuilder(sample.labels)
            builder.remove(Labels.metricName)
            for name in definition.labels.keys.sorted() {
                let text = definition.labels[name] ?? ""
                builder.set(
                    name, template.expand(text, alertName: definition.name, labels: sample.labels, value: sample.value, time: time))
            }
            builder.set("alertname", definition.name)
            let labels = builder.build()
            var annotations: [String: String] = [:]
            for (name, text) in definition.annotations {
                annotations[name] = template.expand(
                    text, alertName: definition.name, labels: sample.labels, value: sample.value, time: time)
            }
            guard current[labels] == nil else {
                throw RuleEvaluationError("vector contains metrics with the same labelset after applying alert labels")
            }
            current[labels] = Alert(
                labels: labels.dictionary, annotations: annotations, state: .pending, activeAt: time, value: sample.value)
        }

        let hold = definition.holdDuration.milliseconds
        let keepFiringFor = definition.keepFiringFor.milliseconds
        return try state.withLock { state throws -> [VectorSample] in
            for (labels, alert) in current {
                if var existing = state.active[labels], existing.state != .inactive {
                    existing.value = alert.value
                    existing.annotations = alert.annotations
                    state.active[labels] = existing
                } else {
                    state.active[labels] = alert
                }
            }
            var samples: [VectorSample] = []
            var activeCount = 0
            for labels in state.active.keys.sorted() {
                guard var alert = state.active[labels] else { continue }
                if current[labels] == nil {
                    var keepFiring = false
                    if alert.state == .firing && keepFiringFor > 0 {
                        let since = alert.keepFiringSince ?? time
                        alert.keepFiringSince = since
                        keepFiring = time - since < keepFiringFor
                    }
                    if alert.state == .pending
                        || (alert.resolvedAt.map { time - $0 > Self.resolvedRetention } ?? false)
                    {
                        state.active[labels] = nil
                        if alert.state == .pending { continue }
                        continue
                    }
                    if alert.state != .inactive && !keepFiring {
                        alert.state = .inactive
                        alert.resolvedAt = time
                    }
                    state.active[labels] = alert
                    if !keepFiring { continue }
                } else {
                    alert.keepFiringSince = nil
                }
                activeCount += 1
                if alert.state == .pending && time - alert.activeAt >= hold {
                    alert.state = .firing
                    alert.firedAt = time
                }
                state.active[labels] = alert
                if state.restored {
                    samples.append(Self.alertsSample(labels, state: alert.state, at: queryTime))
                    samples.append(
                        VectorSample(
                            labels: labels.setting(Labels.metricName, to: "ALERTS_FOR_STATE"), timestamp: queryTime,
                            value: Double(alert.activeAt / 1000)))
                }
            }
            if limit > 0 && activeCount > limit {
                state.active = [:]
                throw RuleEvaluationError("exceeded limit of \(limit) with \(activeCount) alerts")
            }
            return samples
        }
    }

    private static func alertsSample(_ labels: Labels, state: AlertState, at time: Int64) -> VectorSample {
        var builder = LabelsBuilder(labels)
        builder.set(Labels.metricName, "ALERTS")
        builder.set("alertstate", state.description)
        return VectorSample(labels: builder.build(), timestamp: time, value: 1)
    }
}
