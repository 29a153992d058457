public import VigilModel

/// A silence: alerts matching every matcher are muted between ``startsAt`` and ``endsAt``.
/// Times are nanoseconds since the epoch.
public struct Silence: Sendable, Hashable {
    /// A UUID, assigned when the silence is created; empty in a request that creates one.
    public var id: String
    /// All must match for an alert to be muted.
    public var matchers: [LabelMatcher]
    /// When it takes effect.
    public var startsAt: Int64
    /// When it stops.
    public var endsAt: Int64
    /// When it was last changed (set by the store).
    public var updatedAt: Int64
    /// Who made it.
    public var createdBy: String
    /// Why.
    public var comment: String

    /// A silence; `id` empty to create a new one.
    public init(
        id: String = "", matchers: [LabelMatcher], startsAt: Int64, endsAt: Int64, updatedAt: Int64 = 0,
        createdBy: String, comment: String
    ) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.updatedAt = updatedAt
        self.createdBy = createdBy
        self.comment = comment
    }

    /// The state at `time`: pending before the start, expired after the end, active otherwise.
    public func state(at time: Int64) -> SilenceState {
        if time < startsAt { return .pending }
        if time > endsAt { return .expired }
        return .active
    }

    /// Whether the silence's matchers all match `labels`.
    public func matches(_ labels: Labels) -> Bool {
        matchers.allMatch(labels)
    }
}

/// Where a silence is in its life.
public enum SilenceState: String, Sendable, Hashable {
    /// Not started yet.
    case pending
    /// Muting alerts.
    case active
    /// Over (kept until its retention passes).
    case expired
}
