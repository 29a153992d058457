public import VigilModel

/// What one notification carries to a receiver: Alertmanager's template data (`template.Data`),
/// which is also the body of the version-4 webhook payload. The dispatcher builds it for one
/// aggregation group and one receiver; integrations render or serialise it.
public struct NotificationData: Sendable, Hashable {
    /// The receiver's name.
    public var receiver: String
    /// `firing` when any alert fires, else `resolved`.
    public var status: AlertStatus
    /// The group's alerts, sorted as Alertmanager sorts them (`types.AlertSlice`: by the `job`
    /// label, then `instance`, then the whole label set).
    public var alerts: [NotificationAlert]
    /// The labels the group is keyed by (`group_by`).
    public var groupLabels: Labels
    /// Labels every alert shares with the same value.
    public var commonLabels: Labels
    /// Annotations every alert shares with the same value.
    public var commonAnnotations: Labels
    /// The Alertmanager's external URL (`--web.external-url`).
    public var externalURL: String
    /// The aggregation group's key (`{}/{route matchers}:{group labels}`).
    public var groupKey: String
    /// How many alerts were left out because of an integration's `max_alerts`.
    public var truncatedAlerts: Int

    /// Data for one notification.
    public init(
        receiver: String, status: AlertStatus, alerts: [NotificationAlert], groupLabels: Labels,
        commonLabels: Labels, commonAnnotations: Labels, externalURL: String, groupKey: String,
        truncatedAlerts: Int = 0
    ) {
        self.receiver = receiver
        self.status = status
        self.alerts = alerts
        self.groupLabels = groupLabels
        self.commonLabels = commonLabels
        self.commonAnnotations = commonAnnotations
        self.externalURL = externalURL
        self.groupKey = groupKey
        self.truncatedAlerts = truncatedAlerts
    }
}

/// Whether an alert (or a notification as a whole) is firing or resolved.
public enum AlertStatus: String, Sendable, Hashable {
    /// Still active.
    case firing
    /// Ended.
    case resolved
}

/// One alert inside a notification (`template.Alert`).
public struct NotificationAlert: Sendable, Hashable {
    /// Firing or resolved at the time of the notification.
    public var status: AlertStatus
    /// The alert's identifying labels.
    public var labels: Labels
    /// Its annotations (not identifying).
    public var annotations: Labels
    /// When it started, in nanoseconds since the epoch.
    public var startsAt: Int64
    /// When it ended or will be considered ended, in nanoseconds since the epoch; nil is Go's zero
    /// time (`0001-01-01T00:00:00Z`).
    public var endsAt: Int64?
    /// The URL of the rule that produced it.
    public var generatorURL: String
    /// Its label set's fingerprint as 16 lower-case hex digits.
    public var fingerprint: String

    /// One alert.
    public init(
        status: AlertStatus, labels: Labels, annotations: Labels, startsAt: Int64, endsAt: Int64?,
        generatorURL: String, fingerprint: String
    ) {
        self.status = status
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
        self.fingerprint = fingerprint
    }
}
