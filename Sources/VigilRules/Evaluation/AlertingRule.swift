import VigilTemplate
import Logging
import VigilConfig
import Synchronization
import VigilModel
import VigilPromQL
import VigilTSDB

/// An alerting rule: every element of its expression's result is an alert, pending until it has
/// held for `for`, then firing; resolved alerts are kept for ``resolvedRetention`` so the API and
/// notifications can still see them.
final class AlertingRule: Rule {
    /// How long a resolved alert stays listed (Prometheus's `resolvedRetention`).
    static let resolvedRetention: Int64 = 15 * 60_000

    let definition: RuleDefinition
    /// The label and annotation templates, parsed once, sorted by name.
    private let labelTemplates: [(name: String, template: AlertTemplate.Prepared)]
    private let annotationTemplates: [(name: String, template: AlertTemplate.Prepared)]
    private let statusBox = RuleStatusBox()
    private let state = Mutex<State>(State())

    struct State {
        var active: [Labels: Alert] = [:]
        /// Whether `ALERTS`/`ALERTS_FOR_STATE` series are written (after any `for` restore).
        var restored = true
    }

    /// A rule; `restored: false` holds back its `ALERTS` series until ``restoreForState`` runs.
    init(_ definition: RuleDefinition, restored: Bool = true) {
        self.definition = definition
        labelTemplates = definition.labels.keys.sorted().map { name in
            (name, AlertTemplate.Prepared(definition.labels[name] ?? "", alertName: definition.name))
        }
        annotationTemplates = definition.annotations.keys.sorted().map { name in
            (name, AlertTemplate.Prepared(definition.annotations[name] ?? "", alertName: definition.name))
        }
        state.withLock { $0.restored = restored }
    }

    /// Moves the `activeAt` of the pending alerts back to where `ALERTS_FOR_STATE` says they
    /// were before a restart, as Prometheus's `RestoreForState` does, then lets the rule write
    /// its `ALERTS` series.
    ///
    /// Only series with a sample in `[time - forOutageTolerance, time]` count; an alert that had
    /// less than the grace period left gets the grace period; otherwise the time Vigil was down
    /// is added to its pending time.
    func restoreForState(at time: Int64, environment: RuleEnvironment) {
        defer { state.withLock { $0.restored = true } }
        let hold = definition.holdDuration.milliseconds
        guard hold >= environment.forGracePeriod else { return }
        var matchers: [LabelMatcher] = []
        do {
            matchers.append(try LabelMatcher(.equal, Labels.metricName, "ALERTS_FOR_STATE"))
            matchers.append(try LabelMatcher(.equal, "alertname", definition.name))
            for (name, value) in definition.labels.sorted(by: { $0.key < $1.key }) where !value.contains("{{") {
                matchers.append(try LabelMatcher(.equal, name, value))
            }
        } catch {
            return
        }
        let mint = time - environment.forOutageTolerance
        let series: [StoredSeries]
        do {
            series = try environment.tsdb.querier(mint: mint, maxt: time).select(matchers, mint: mint, maxt: time)
        } catch {
            environment.logger.error(
                "Failed to restore 'for' state", metadata: ["rule": "\(definition.name)", "err": "\(error)"])
            return
        }
        var lastSample: [Labels: (Int64, Double)] = [:]
        for stored in series {
            guard let last = stored.samples().last(where: { $0.timestamp >= mint && $0.timestamp <= time }) else { continue }
            lastSample[stored.labels.withoutName] = (last.timestamp, last.value)
        }
        guard !lastSample.isEmpty else { return }
        let gracePeriod = environment.forGracePeriod
        state.withLock { state in
            for (labels, alert) in state.active where alert.state != .inactive {
                guard let (downAtMilliseconds, value) = lastSample[labels], !isStaleNaN(value), value.isFinite else { continue }
                // Prometheus works in whole seconds here.
                let downAt = downAtMilliseconds / 1000 * 1000
                var restoredActiveAt = Int64(value) * 1000
                let remaining = hold - (downAt - restoredActiveAt)
                if remaining <= 0 {
                    // It was firing when Vigil stopped; the next evaluation fires it again.
                } else if remaining < gracePeriod {
                    restoredActiveAt = time + gracePeriod - hold
                } else {
                    restoredActiveAt += time - downAt
                }
                var restored = alert
                restored.activeAt = restoredActiveAt
                state.active[labels] = restored
            }
        }
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
            for (name, prepared) in labelTemplates {
                builder.set(name, template.expand(prepared, labels: sample.labels, value: sample.value, time: time))
            }
            builder.set("alertname", definition.name)
            let labels = builder.build()
            var annotations: [String: String] = [:]
            for (name, prepared) in annotationTemplates {
                annotations[name] = template.expand(prepared, labels: sample.labels, value: sample.value, time: time)
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
