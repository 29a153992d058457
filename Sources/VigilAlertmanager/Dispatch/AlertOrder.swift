import VigilModel

/// The order notifications list alerts in (`types.AlertSlice`): by `job`, then `instance`
/// (alerts without the label last), then by label set (`LabelSet.Before`).
enum AlertOrder {
    static func less(_ lhs: Alert, _ rhs: Alert) -> Bool {
        less(Key(lhs), lhs.labels, Key(rhs), rhs.labels)
    }

    /// `alerts` in this order. Each alert's `job` and `instance` are looked up once and indices
    /// are sorted rather than the alerts themselves, so a group of thousands sorts without
    /// copying alerts around (a flush sorts its group every time).
    static func sorted(_ alerts: [Alert]) -> [Alert] {
        let keys = alerts.map(Key.init)
        let order = alerts.indices.sorted { less(keys[$0], alerts[$0].labels, keys[$1], alerts[$1].labels) }
        return order.map { alerts[$0] }
    }

    /// The labels compared first.
    private struct Key {
        let job: String?
        let instance: String?

        init(_ alert: Alert) {
            job = alert.labels["job"]
            instance = alert.labels["instance"]
        }
    }

    private static func less(_ lhsKey: Key, _ lhs: Labels, _ rhsKey: Key, _ rhs: Labels) -> Bool {
        if let verdict = compare(lhsKey.job, rhsKey.job) { return verdict }
        if let verdict = compare(lhsKey.instance, rhsKey.instance) { return verdict }
        return before(lhs, rhs)
    }

    /// nil when equal (or both absent); an absent value sorts last.
    private static func compare(_ left: String?, _ right: String?) -> Bool? {
        switch (left, right) {
        case (nil, nil): return nil
        case (nil, _): return false
        case (_, nil): return true
        case (let left?, let right?): return left == right ? nil : ByteOrder.less(left, right)
        }
    }

    /// prometheus/common's `LabelSet.Before`: fewer labels first, then by the first differing
    /// value over the union of names in order, a set lacking the name sorting first.
    static func before(_ lhs: Labels, _ rhs: Labels) -> Bool {
        if lhs.count != rhs.count { return lhs.count < rhs.count }
        // Both are sorted by name: walk them together over the union of names.
        var left = lhs.startIndex
        var right = rhs.startIndex
        while left < lhs.endIndex || right < rhs.endIndex {
            guard left < lhs.endIndex else { return true }
            guard right < rhs.endIndex else { return false }
            let l = lhs[left]
            let r = rhs[right]
            if l.name == r.name {
                if l.value != r.value { return ByteOrder.less(l.value, r.value) }
                left += 1
                right += 1
            } else if ByteOrder.less(l.name, r.name) {
                // The name is missing on the right: the right set sorts first.
                return false
            } else {
                return true
            }
        }
        return false
    }
}
