public import VigilModel

extension LabelMatcher {
    /// The matcher as Alertmanager prints it in route keys and trees: `name="value"`, escaping
    /// only backslashes, double quotes and newlines (OpenMetrics escaping, as `labels.Matcher.String`).
    public var alertmanagerDescription: String {
        description
    }

    /// Whether the label set satisfies the matcher; a missing label reads as the empty value.
    func matches(_ labels: Labels) -> Bool {
        matches(labels[name] ?? "")
    }

    /// Alertmanager's `labels.Matchers` order: by name, then value, then type.
    static func alertmanagerLess(_ lhs: LabelMatcher, _ rhs: LabelMatcher) -> Bool {
        if lhs.name != rhs.name { return ByteOrder.less(lhs.name, rhs.name) }
        if lhs.value != rhs.value { return ByteOrder.less(lhs.value, rhs.value) }
        return lhs.type.alertmanagerRank < rhs.type.alertmanagerRank
    }
}

extension LabelMatcher.MatchType {
    var alertmanagerRank: Int {
        switch self {
        case .equal: 0
        case .notEqual: 1
        case .regexMatch: 2
        case .regexNoMatch: 3
        }
    }
}

extension [LabelMatcher] {
    /// `{a="b",c=~"d"}`, as Alertmanager's `Matchers.String()` prints a list.
    var alertmanagerDescription: String {
        "{" + map(\.alertmanagerDescription).joined(separator: ",") + "}"
    }

    /// Whether every matcher matches the label set.
    func allMatch(_ labels: Labels) -> Bool {
        allSatisfy { $0.matches(labels) }
    }
}
