/// How an ``Alertmanager`` runs, beyond its configuration file.
public struct AlertmanagerOptions: Sendable {
    /// Where silences, the notification log and alerts are persisted (`data/alerts`); nil keeps
    /// everything in memory.
    public var dataDirectory: String?
    /// The URL the Alertmanager is reached at (`--web.external-url`), passed to receivers.
    public var externalURL: String
    /// How long expired silences and notification-log entries are kept, in nanoseconds (120h).
    public var retention: Int64
    /// How often silences and the notification log are garbage-collected and everything is
    /// snapshotted, in nanoseconds (15m).
    public var maintenanceInterval: Int64
    /// How often resolved alerts are dropped, in nanoseconds (30m).
    public var alertGCInterval: Int64
    /// The version reported by the status endpoint.
    public var version: String

    /// Options with Alertmanager's defaults.
    public init(
        dataDirectory: String? = nil, externalURL: String = "", retention: Int64 = 120 * 3_600_000_000_000,
        maintenanceInterval: Int64 = 15 * 60_000_000_000, alertGCInterval: Int64 = 30 * 60_000_000_000,
        version: String = "vigil"
    ) {
        self.dataDirectory = dataDirectory
        self.externalURL = externalURL
        self.retention = retention
        self.maintenanceInterval = maintenanceInterval
        self.alertGCInterval = alertGCInterval
        self.version = version
    }
}
