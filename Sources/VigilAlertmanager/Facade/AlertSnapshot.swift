public import VigilModel

/// An alert as the API reports it: the alert, its fingerprint, its suppression status and the
/// receivers its routes lead to.
public struct AlertSnapshot: Sendable, Hashable {
    /// The alert.
    public var alert: Alert
    /// Its fingerprint.
    public var fingerprint: Fingerprint
    /// Whether and by what it is suppressed.
    public var status: AlertMarkerStatus
    /// The receivers of the routes it matches, in tree order.
    public var receivers: [String]
}

/// An aggregation group as `GET /api/v2/alerts/groups` reports it.
public struct AlertGroupSnapshot: Sendable, Hashable {
    /// The group's `group_by` label values.
    public var labels: Labels
    /// The receiver it notifies.
    public var receiver: String
    /// Its alerts that pass the filter.
    public var alerts: [AlertSnapshot]
}

/// What `GET /api/v2/status` reports.
public struct AlertmanagerStatus: Sendable, Hashable {
    /// The configuration file's text.
    public var configOriginal: String
    /// When the Alertmanager started, in nanoseconds since the epoch.
    public var startedAt: Int64
    /// The version string.
    public var version: String
}
