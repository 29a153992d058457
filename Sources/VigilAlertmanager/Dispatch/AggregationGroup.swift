import VigilModel

/// The alerts of one route that share the route's group labels (`dispatch.aggrGroup`), and
/// when they are next notified about.
struct AggregationGroup: Sendable {
    /// The route the group belongs to.
    let route: Route
    /// The values of the route's `group_by` labels.
    let labels: Labels
    /// `routeKey:{labels}`.
    let key: String
    /// The group's alerts by fingerprint.
    var alerts: [Fingerprint: Alert] = [:]
    /// When the next flush is due (nanoseconds since the epoch).
    var nextFlush: Int64
    /// Whether the group has flushed once (after which `group_wait` no longer applies).
    var hasFlushed = false
    /// Whether a flush is running.
    var flushing = false

    init(route: Route, labels: Labels, now: Int64) {
        self.route = route
        self.labels = labels
        key = GroupKey.make(routeKey: route.key, groupLabels: labels)
        nextFlush = now + route.options.groupWait
    }

    /// Adds or replaces an alert. Before the first flush, an alert older than `group_wait`
    /// makes the group flush at once.
    mutating func insert(_ alert: Alert, now: Int64) {
        alerts[alert.fingerprint] = alert
        if !hasFlushed, alert.startsAt + route.options.groupWait < now {
            nextFlush = min(nextFlush, now)
        }
    }

    /// The alerts to notify about at `now`, in notification order; a firing alert's end is
    /// cleared so that it does not read as resolving later.
    func snapshot(now: Int64) -> [Alert] {
        AlertOrder.sorted(alerts.values.map { alert in
            var copy = alert
            if !alert.isResolved(at: now) { copy.endsAt = nil }
            return copy
        })
    }

    /// After a successful notification, drops the resolved alerts it carried unless they were
    /// updated meanwhile.
    mutating func removeNotifiedResolved(_ sent: [Alert], now: Int64) {
        for alert in sent where alert.isResolved(at: now) {
            let fingerprint = alert.fingerprint
            if let current = alerts[fingerprint], current.updatedAt == alert.updatedAt {
                alerts[fingerprint] = nil
            }
        }
    }
}
