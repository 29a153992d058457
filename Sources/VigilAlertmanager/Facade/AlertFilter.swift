public import VigilModel

/// Which alerts `GET /api/v2/alerts` and `GET /api/v2/alerts/groups` return.
public struct AlertFilter: Sendable {
    /// Every matcher must match the alert's labels.
    public var matchers: [LabelMatcher]
    /// Include alerts that are neither silenced nor inhibited.
    public var active: Bool
    /// Include silenced alerts.
    public var silenced: Bool
    /// Include inhibited alerts.
    public var inhibited: Bool
    /// Include alerts the pipeline has not judged yet.
    public var unprocessed: Bool
    /// Only alerts routed to a receiver whose whole name matches this regex.
    public var receiver: LabelMatcher?

    /// A filter; `receiverRegex` is anchored as Alertmanager anchors it, and throws when invalid.
    public init(
        matchers: [LabelMatcher] = [], active: Bool = true, silenced: Bool = true, inhibited: Bool = true,
        unprocessed: Bool = true, receiverRegex: String? = nil
    ) throws(LabelMatcherError) {
        self.matchers = matchers
        self.active = active
        self.silenced = silenced
        self.inhibited = inhibited
        self.unprocessed = unprocessed
        receiver = try receiverRegex.map { (pattern: String) throws(LabelMatcherError) -> LabelMatcher in
            try LabelMatcher(.regexMatch, "receiver", pattern)
        }
    }

    func admits(_ status: AlertMarkerStatus) -> Bool {
        if !active, status.state == .active { return false }
        if !unprocessed, status.state == .unprocessed { return false }
        if !silenced, !status.silencedBy.isEmpty { return false }
        if !inhibited, !status.inhibitedBy.isEmpty { return false }
        return true
    }

    func admits(receivers: [String]) -> Bool {
        guard let receiver else { return true }
        return receivers.contains { receiver.matches($0) }
    }
}
