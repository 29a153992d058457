/// Whether a rule's last evaluation worked, as `/api/v1/rules` reports it.
public enum RuleHealth: String, Sendable, Hashable {
    /// Not evaluated yet.
    case unknown
    /// The last evaluation succeeded.
    case ok
    /// The last evaluation failed; see ``RuleStatus/lastError``.
    case err
}

/// What a rule's last evaluation did.
public struct RuleStatus: Sendable, Hashable {
    /// Whether it worked.
    public var health: RuleHealth = .unknown
    /// The error of the last evaluation, nil when it worked.
    public var lastError: String?
    /// When it last ran (ms since the epoch), nil before the first evaluation.
    public var lastEvaluation: Int64?
    /// How long the last evaluation took, in seconds.
    public var evaluationTime: Double = 0
}

/// The state of an alert, and of an alerting rule (its most advanced alert).
public enum AlertState: Int, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// No active alert (or a resolved one).
    case inactive = 0
    /// Active for less than the rule's `for`.
    case pending = 1
    /// Active for at least `for`.
    case firing = 2

    /// `inactive`, `pending`, `firing`.
    public var description: String {
        switch self {
        case .inactive: "inactive"
        case .pending: "pending"
        case .firing: "firing"
        }
    }

    /// Orders by severity: inactive < pending < firing.
    public static func < (lhs: AlertState, rhs: AlertState) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One alert of an alerting rule.
public struct Alert: Sendable, Hashable {
    /// The identifying labels: the series' labels without `__name__`, the rule's (templated)
    /// labels, and `alertname`.
    public var labels: [String: String]
    /// The templated annotations.
    public var annotations: [String: String]
    /// Pending, firing, or inactive (resolved, kept for a while after).
    public var state: AlertState
    /// When the condition first held (ms).
    public var activeAt: Int64
    /// When it started firing (ms), nil if it never fired.
    public var firedAt: Int64?
    /// When it resolved (ms), nil while active.
    public var resolvedAt: Int64?
    /// When its condition stopped holding while `keep_firing_for` keeps it firing (ms).
    public var keepFiringSince: Int64?
    /// The expression's value at the last evaluation.
    public var value: Double
    /// When it was last handed to the notifier (ms), nil if never.
    public var lastSentAt: Int64?
    /// Until when the last notification keeps it alive in the Alertmanager (ms): its `endsAt`
    /// while it fires.
    public var validUntil: Int64?
}
