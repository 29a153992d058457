/// What was last notified for one aggregation group to one integration of a receiver
/// (`nflogpb.Entry`). Times are nanoseconds since the epoch.
struct NotificationLogEntry: Sendable, Hashable, Codable {
    /// The aggregation group's key.
    var groupKey: String
    /// `receiver/integration/index`.
    var receiver: String
    /// When the notification was sent.
    var timestamp: Int64
    /// Hashes of the alerts that were firing.
    var firingAlerts: [UInt64]
    /// Hashes of the alerts that were resolved.
    var resolvedAlerts: [UInt64]
    /// When the entry is dropped.
    var expiresAt: Int64

    /// Whether every hash in `firing` was firing in this notification.
    func isFiringSubset(_ firing: Set<UInt64>) -> Bool {
        firing.isSubset(of: Set(firingAlerts))
    }

    /// Whether every hash in `resolved` was resolved in this notification.
    func isResolvedSubset(_ resolved: Set<UInt64>) -> Bool {
        resolved.isSubset(of: Set(resolvedAlerts))
    }
}
