import VigilModel

/// The metrics pushed to one grouping key, by family name, with the time each family was last
/// written; always including the group's `push_time_seconds` and `push_failure_time_seconds`.
public struct PushedGroup: Sendable, Equatable {
    /// The group's grouping key.
    public let key: GroupingKey
    /// The families by name.
    public var families: [String: Entry]

    /// An empty group for `key` (the store adds the push time gauges).
    public init(key: GroupingKey, families: [String: Entry] = [:]) {
        self.key = key
        self.families = families
    }

    /// A stored family and when it was written.
    public struct Entry: Sendable, Equatable {
        /// The family, its labels completed with the grouping labels and `instance`.
        public var family: PushedFamily
        /// When the push that wrote it was received, in nanoseconds since the epoch.
        public var updated: Int64

        /// An entry.
        public init(family: PushedFamily, updated: Int64) {
            self.family = family
            self.updated = updated
        }
    }

    /// `push_time_seconds`: the last time a change to the group succeeded.
    public static let pushTimeName = "push_time_seconds"
    /// `push_failure_time_seconds`: the last time a change to the group failed.
    public static let pushFailureTimeName = "push_failure_time_seconds"
    static let pushTimeHelp = "Last Unix time when changing this group in the Pushgateway succeeded."
    static let pushFailureTimeHelp = "Last Unix time when changing this group in the Pushgateway failed."

    /// Whether the last change succeeded: the failure time is not after the success time (the
    /// Pushgateway's `last_push_successful`).
    public var lastPushSuccessful: Bool {
        guard let failure = gaugeValue(Self.pushFailureTimeName), let success = gaugeValue(Self.pushTimeName) else {
            return true
        }
        return failure <= success
    }

    private func gaugeValue(_ name: String) -> Double? {
        guard let metric = families[name]?.family.metrics.first else { return nil }
        switch metric.value {
        case .gauge(let value), .counter(let value), .untyped(let value): return value
        case .summary, .histogram: return 0
        }
    }

    /// A push time gauge for this group: the grouping labels (and `instance=""` if not among
    /// them), value `nanoseconds / 1e9` or 0 for "never".
    func timeGauge(_ name: String, nanoseconds: Int64?) -> PushedFamily {
        let help = name == Self.pushTimeName ? Self.pushTimeHelp : Self.pushFailureTimeHelp
        let seconds = nanoseconds.map { Double($0) / 1e9 } ?? 0
        return PushedFamily(
            name: name, help: help, type: .gauge,
            metrics: [PushedMetric(labels: sanitized([]), value: .gauge(seconds))]
        )
    }

    /// Labels as the Pushgateway's `sanitizeLabels` makes them: every grouping label set to the
    /// group's value (overriding the body's), `instance=""` added when absent, sorted by name.
    func sanitized(_ labels: [Label]) -> [Label] {
        var result = labels
        var pending = key.labels
        for index in result.indices {
            if let position = pending.firstIndex(where: { $0.name == result[index].name }) {
                result[index].value = pending.remove(at: position).value
            }
        }
        result += pending
        if !result.contains(where: { $0.name == "instance" }) { result.append(Label(name: "instance", value: "")) }
        return result.sorted { ByteOrder.less($0.name, $1.name) }
    }
}
