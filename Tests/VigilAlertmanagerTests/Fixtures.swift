import VigilAlertmanager
import VigilModel

/// Notification data used across the receiver tests: one firing and one resolved alert of the
/// same group.
enum Fixtures {
    static let startsAt: Int64 = 1_700_000_000 * 1_000_000_000 + 123_000_000
    static let endsAt: Int64 = 1_700_000_600 * 1_000_000_000

    static let firing = NotificationAlert(
        status: .firing,
        labels: ["alertname": "HighLatency", "instance": "a:9100", "job": "api", "severity": "page"],
        annotations: ["summary": "High latency"], startsAt: startsAt, endsAt: nil,
        generatorURL: "http://prom/graph?g0.expr=x&g0.tab=1", fingerprint: "1111111111111111")

    static let resolved = NotificationAlert(
        status: .resolved,
        labels: ["alertname": "HighLatency", "instance": "b:9100", "job": "api", "severity": "page"],
        annotations: ["summary": "High latency"], startsAt: startsAt, endsAt: endsAt,
        generatorURL: "http://prom/graph?g0.expr=x&g0.tab=1", fingerprint: "2222222222222222")

    static func data(_ alerts: [NotificationAlert] = [firing, resolved], receiver: String = "team-x") -> NotificationData {
        NotificationData(
            receiver: receiver, status: alerts.contains { $0.status == .firing } ? .firing : .resolved, alerts: alerts,
            groupLabels: ["alertname": "HighLatency"],
            commonLabels: ["alertname": "HighLatency", "job": "api", "severity": "page"],
            commonAnnotations: ["summary": "High latency"], externalURL: "http://am.example:9093",
            groupKey: "{}/{severity=\"page\"}:{alertname=\"HighLatency\"}")
    }

    /// Alertmanager's `__text_alert_list` for one alert.
    static func alertList(_ instance: String) -> String {
        "Labels:\n - alertname = HighLatency\n - instance = \(instance)\n - job = api\n - severity = page\n"
            + "Annotations:\n - summary = High latency\nSource: http://prom/graph?g0.expr=x&g0.tab=1\n"
    }
}
