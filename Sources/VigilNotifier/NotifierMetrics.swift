import VigilModel

/// The notifier's self-metrics, named as Prometheus's (`prometheus_notifications_*`).
struct NotifierMetrics: Sendable {
    let registry: MetricsRegistry?
    let dropped: Counter?
    let queueLength: Gauge?
    let queueCapacity: Gauge?
    let discovered: Gauge?

    init(registry: MetricsRegistry?, capacity: Int) {
        self.registry = registry
        dropped = try? registry?.counter(
            name: "prometheus_notifications_dropped_total",
            help: "Total number of alerts dropped due to errors when sending to Alertmanager.")
        queueLength = try? registry?.gauge(
            name: "prometheus_notifications_queue_length", help: "The number of alert notifications in the queue.")
        queueCapacity = try? registry?.gauge(
            name: "prometheus_notifications_queue_capacity", help: "The capacity of the alert notifications queue.")
        discovered = try? registry?.gauge(
            name: "prometheus_notifications_alertmanagers_discovered",
            help: "The number of alertmanagers discovered and active.")
        queueCapacity?.set(Double(capacity))
    }

    /// Records one request to the Alertmanager at `url`.
    func recordSend(url: String, alerts: Int, seconds: Double, failed: Bool) {
        guard let registry else { return }
        let labels: Labels = ["alertmanager": url]
        try? registry.counter(
            name: "prometheus_notifications_sent_total", help: "Total number of alerts sent.", labels: labels
        ).increment(by: Double(alerts))
        // Prometheus exports a summary; a histogram keeps the same _sum and _count series.
        try? registry.histogram(
            name: "prometheus_notifications_latency_seconds", help: "Latency quantiles for sending alert notifications.",
            labels: labels
        ).observe(seconds)
        let errors = try? registry.counter(
            name: "prometheus_notifications_errors_total",
            help: "Total number of errors sending alert notifications.", labels: labels)
        if failed { errors?.increment() }
    }
}
