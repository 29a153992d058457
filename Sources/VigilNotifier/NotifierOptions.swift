/// The notifier's command-line settings.
public struct NotifierOptions: Sendable {
    /// How many alerts may wait to be sent (`--alertmanager.notification-queue-capacity`,
    /// 10000); beyond it the oldest are dropped.
    public var queueCapacity: Int
    /// Whether the queue is sent before shutting down
    /// (`--alertmanager.drain-notification-queue-on-shutdown`, true).
    public var drainOnShutdown: Bool
    /// How many alerts one request carries (Prometheus's `maxBatchSize`).
    public var batchSize: Int

    /// Prometheus's defaults, or the given values.
    public init(queueCapacity: Int = 10_000, drainOnShutdown: Bool = true, batchSize: Int = 64) {
        self.queueCapacity = queueCapacity
        self.drainOnShutdown = drainOnShutdown
        self.batchSize = batchSize
    }
}

/// An in-process Alertmanager the notifier delivers to as it posts to remote ones: the embedded
/// Alertmanager of `vigil server`.
public struct LocalAlertmanager: Sendable {
    /// When the notifier delivers to it.
    public enum Use: Sendable {
        /// Always, beside any configured Alertmanagers.
        case always
        /// Only while `alerting.alertmanagers` is empty, so a prometheus.yml that names its
        /// Alertmanagers behaves exactly as in Prometheus.
        case whenNoneConfigured
    }

    /// The URL it answers at (shown by `/api/v1/alertmanagers` and in the notifier's metrics).
    public var url: String
    /// When it gets alerts.
    public var use: Use
    /// Takes a batch of alerts; false when it could not.
    public var deliver: @Sendable ([NotifierAlert]) async -> Bool

    /// A destination at `url`.
    public init(url: String, use: Use = .always, deliver: @escaping @Sendable ([NotifierAlert]) async -> Bool) {
        self.url = url
        self.use = use
        self.deliver = deliver
    }
}

/// A notifier configuration that cannot be put in force.
public struct NotifierError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, naming the `alertmanagers` entry.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
