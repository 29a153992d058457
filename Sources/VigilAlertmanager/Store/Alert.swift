public import VigilModel

/// An alert as the Alertmanager holds it (`types.Alert`). Times are nanoseconds since the epoch.
public struct Alert: Sendable, Hashable {
    /// Identifying labels (never empty once accepted).
    public var labels: Labels
    /// Descriptive annotations.
    public var annotations: Labels
    /// When it started firing.
    public var startsAt: Int64
    /// When it ends or ended; nil is "unknown" (Go's zero time).
    public var endsAt: Int64?
    /// The URL of the rule that produced it.
    public var generatorURL: String
    /// When the Alertmanager last received it.
    public var updatedAt: Int64
    /// True when ``endsAt`` was filled in from `resolve_timeout` rather than sent by the client.
    public var timeout: Bool

    /// An alert.
    public init(
        labels: Labels, annotations: Labels = .empty, startsAt: Int64, endsAt: Int64? = nil,
        generatorURL: String = "", updatedAt: Int64 = 0, timeout: Bool = false
    ) {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
        self.updatedAt = updatedAt
        self.timeout = timeout
    }

    /// The label set's fingerprint.
    public var fingerprint: Fingerprint { Fingerprint(labels) }

    /// Whether the alert has ended at `time`: it has an end and the end is not after `time`.
    public func isResolved(at time: Int64) -> Bool {
        guard let endsAt else { return false }
        return endsAt <= time
    }

    /// Combines this alert with a newer copy of itself (`types.Alert.Merge`): the younger one's
    /// fields win, the earliest start is kept, and an explicit later end outranks a timeout.
    public func merged(with other: Alert, now: Int64) -> Alert {
        if other.updatedAt < updatedAt { return other.merged(with: self, now: now) }
        var result = other
        if startsAt < other.startsAt { result.startsAt = startsAt }
        if other.isResolved(at: now) {
            if isResolved(at: now), let mine = endsAt, let theirs = other.endsAt, mine > theirs {
                result.endsAt = mine
            }
        } else if let mine = endsAt, mine > (other.endsAt ?? Int64.min), !timeout {
            result.endsAt = mine
        }
        return result
    }

    /// The alert as a notification carries it, with its status at `time`.
    func notificationAlert(at time: Int64) -> NotificationAlert {
        NotificationAlert(
            status: isResolved(at: time) ? .resolved : .firing, labels: labels, annotations: annotations,
            startsAt: startsAt, endsAt: endsAt, generatorURL: generatorURL, fingerprint: fingerprint.description)
    }
}
