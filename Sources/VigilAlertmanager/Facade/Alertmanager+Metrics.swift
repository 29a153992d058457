public import VigilModel

extension Alertmanager {
    /// Registers the self-metrics on `registry`, under Alertmanager's own names so its dashboards
    /// and alerts work: `alertmanager_alerts{state}`, `alertmanager_alerts_received_total{status}`,
    /// `alertmanager_alerts_invalid_total`, `alertmanager_notifications_total{integration}`,
    /// `alertmanager_notifications_failed_total{integration}`,
    /// `alertmanager_notification_requests_total{integration}`,
    /// `alertmanager_notification_requests_failed_total{integration}` and `alertmanager_silences{state}`.
    public func registerMetrics(on registry: MetricsRegistry) {
        registry.register { [weak self] in self?.metricFamilies() ?? [] }
    }

    func metricFamilies() -> [MetricFamily] {
        let now = now()
        var alertStates: [AlertState: Int] = [.active: 0, .suppressed: 0, .unprocessed: 0]
        for alert in storedAlerts where !alert.isResolved(at: now) {
            alertStates[markerStatus(alert.fingerprint).state, default: 0] += 1
        }
        var silenceStates: [SilenceState: Int] = [.active: 0, .pending: 0, .expired: 0]
        for silence in silences() { silenceStates[silence.state(at: now), default: 0] += 1 }
        let counts = counters.snapshot

        func family(_ name: String, _ help: String, _ type: MetricType, _ samples: [(Labels, Int)]) -> MetricFamily {
            MetricFamily(
                name: name, help: help, type: type,
                samples: samples.map { MetricFamily.Sample(name: name, labels: $0.0, value: Double($0.1)) })
        }
        let integrations = counts.integrations.sorted { $0.key < $1.key }
        func perIntegration(_ value: (AlertmanagerCounters.Integration) -> Int) -> [(Labels, Int)] {
            integrations.map { (["integration": $0.key], value($0.value)) }
        }
        return [
            family(
                "alertmanager_alerts", "How many alerts by state.", .gauge,
                [AlertState.active, .suppressed, .unprocessed].map { (["state": $0.rawValue], alertStates[$0] ?? 0) }),
            family(
                "alertmanager_alerts_received_total", "The total number of received alerts.", .counter,
                [(["status": "firing"], counts.receivedFiring), (["status": "resolved"], counts.receivedResolved)]),
            family(
                "alertmanager_alerts_invalid_total", "The total number of received alerts that were invalid.", .counter,
                [(.empty, counts.invalid)]),
            family(
                "alertmanager_notifications_total", "The total number of attempted notifications.", .counter,
                perIntegration(\.notifications)),
            family(
                "alertmanager_notifications_failed_total", "The total number of failed notifications.", .counter,
                perIntegration(\.failedNotifications)),
            family(
                "alertmanager_notification_requests_total", "The total number of attempted notification requests.",
                .counter, perIntegration(\.requests)),
            family(
                "alertmanager_notification_requests_failed_total", "The total number of failed notification requests.",
                .counter, perIntegration(\.failedRequests)),
            family(
                "alertmanager_silences", "How many silences by state.", .gauge,
                [SilenceState.active, .pending, .expired].map { (["state": $0.rawValue], silenceStates[$0] ?? 0) }),
        ]
    }
}
