import VigilModel

/// The order notifications list alerts in (`types.AlertSlice`): by `job`, then `instance`
/// (alerts without the label last), then by label set (`LabelSet.Before`).
enum AlertOrder {
    static func less(_ lhs: Alert, _ rhs: Alert) -> Bool {
        for key in ["job", "instance"] {
            let left = lhs.labels[key]
            let right = rhs.labels[key]
            if left == nil, right == nil { continue }
            guard let left else { return false }
            guard let right else { return true }
            if left != right { return ByteOrder.less(left, right) }
        }
        return before(lhs.labels, rhs.labels)
    }

    /// prometheus/common's `LabelSet.Before`: fewer labels first, then by the first differing
    /// value over the union of names in order, a set lacking the name sorting first.
    static func before(_ lhs: Labels, _ rhs: Labels) -> Bool {
        if lhs.count != rhs.count { return lhs.count < rhs.count }
        let names = (lhs.map(\.name) + rhs.map(\.name)).sorted { ByteOrder.less($0, $1) }
        for name in names {
            guard let left = lhs[name] else { return true }
            guard let right = rhs[name] else { return false }
            if left != right { return ByteOrder.less(left, right) }
        }
        return false
    }
}
