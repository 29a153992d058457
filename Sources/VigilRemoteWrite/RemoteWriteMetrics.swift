import VigilModel

/// The self-metrics of one remote-write destination, under Prometheus's
/// `prometheus_remote_storage_*` names so existing dashboards work.
struct RemoteWriteMetrics: Sendable {
    let samplesSent: Counter
    let samplesFailed: Counter
    let samplesRetried: Counter
    let samplesDropped: Counter
    let bytesSent: Counter
    let pending: Gauge
    let shards: Gauge
    let highestAppended: Gauge
    let highestSent: Gauge
    let batchDuration: Histogram

    init(registry: MetricsRegistry, name: String, url: String) throws {
        let labels: Labels = ["remote_name": name, "url": url]
        samplesSent = try registry.counter(
            name: "prometheus_remote_storage_samples_total", help: "Total number of samples sent to remote storage.", labels: labels)
        samplesFailed = try registry.counter(
            name: "prometheus_remote_storage_samples_failed_total",
            help: "Total number of samples which failed on send to remote storage, non-recoverable errors.", labels: labels)
        samplesRetried = try registry.counter(
            name: "prometheus_remote_storage_samples_retried_total",
            help: "Total number of samples which failed on send to remote storage but were retried because the send error was recoverable.",
            labels: labels)
        samplesDropped = try registry.counter(
            name: "prometheus_remote_storage_samples_dropped_total",
            help: "Total number of samples which were dropped by relabeling or because the queue was full.", labels: labels)
        bytesSent = try registry.counter(
            name: "prometheus_remote_storage_bytes_total",
            help: "The total number of bytes of data (not metadata) sent by the queue after compression.", labels: labels)
        pending = try registry.gauge(
            name: "prometheus_remote_storage_samples_pending", help: "The number of samples pending in the queues shards to be sent to the remote storage.",
            labels: labels)
        shards = try registry.gauge(
            name: "prometheus_remote_storage_shards", help: "The number of shards used for parallel sending to the remote storage.", labels: labels)
        highestAppended = try registry.gauge(
            name: "prometheus_remote_storage_highest_timestamp_in_seconds",
            help: "Highest timestamp that has come into the remote storage via the Appender interface, in seconds since epoch.", labels: labels)
        highestSent = try registry.gauge(
            name: "prometheus_remote_storage_queue_highest_sent_timestamp_seconds",
            help: "Timestamp from a WAL sample, the highest timestamp successfully sent by this queue, in seconds since epoch.", labels: labels)
        batchDuration = try registry.histogram(
            name: "prometheus_remote_storage_sent_batch_duration_seconds",
            help: "Duration of send calls to the remote storage.", buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60],
            labels: labels)
    }
}
