import VigilModel

/// Alertmanager's names for aggregation groups and label sets.
enum GroupKey {
    /// `routeKey:{a="1", b="2"}`: the key the notification log and receivers see.
    static func make(routeKey: String, groupLabels: Labels) -> String {
        routeKey + ":" + labelSetDescription(groupLabels)
    }

    /// prometheus/common's `LabelSet.String()`: `name="value"` pairs (Go-quoted) sorted as
    /// strings, joined by ", ", in braces. Sorting the pairs rather than the names differs when
    /// one name is a prefix of another (`a1="x"` sorts before `a="x"`).
    static func labelSetDescription(_ labels: Labels) -> String {
        let pairs = labels.map { $0.name + "=" + GoQuote.quote($0.value) }.sorted { ByteOrder.less($0, $1) }
        return "{" + pairs.joined(separator: ", ") + "}"
    }
}
