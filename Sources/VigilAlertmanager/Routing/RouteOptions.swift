/// The settings a route applies to the alerts it matches, after inheritance from its parents.
public struct RouteOptions: Sendable, Hashable {
    /// The receiver notified.
    public var receiver: String
    /// Labels alerts are grouped by (ignored when ``groupByAll``).
    public var groupBy: Set<String>
    /// Group by every label (`group_by: ['...']`).
    public var groupByAll: Bool
    /// How long a new group waits for more alerts before its first notification, in nanoseconds.
    public var groupWait: Int64
    /// How long a group waits between notifications about new alerts, in nanoseconds.
    public var groupInterval: Int64
    /// How long before a notification that changed nothing is sent again, in nanoseconds.
    public var repeatInterval: Int64
    /// Names of time intervals muting this route.
    public var muteTimeIntervals: [String]
    /// Names of time intervals outside which this route is muted.
    public var activeTimeIntervals: [String]

    private static let second: Int64 = 1_000_000_000

    /// Alertmanager's defaults: 30s, 5m, 4h, no grouping labels.
    static let defaults = RouteOptions(
        receiver: "", groupBy: [], groupByAll: false, groupWait: 30 * second, groupInterval: 300 * second,
        repeatInterval: 4 * 3600 * second, muteTimeIntervals: [], activeTimeIntervals: [])
}
