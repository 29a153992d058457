import VigilModel

/// The checks the Pushgateway makes before it accepts a push: the state after the push must be
/// gatherable by client_golang's `Gatherers` without error.
///
/// That means, for every family name, across all groups: one type; no metric whose label names
/// are reserved (`__…`); no two metrics with the same labels (empty values count, so
/// `{a=""}` and `{}` differ); and no summary or histogram `x` beside a family named `x_count` or
/// `x_sum` (or `x_bucket`, for a histogram). Only names the push wrote are checked: a state that
/// was consistent before stays consistent everywhere else.
enum PushgatewayConsistency {
    /// The problems `names` (the families written to `pushed`) have in `groups`, the state after
    /// the push; empty when the push may be applied.
    static func problems(names: some Sequence<String>, pushed: GroupingKey, in groups: [GroupingKey: PushedGroup]) -> [String] {
        let ordered = groups.values.sorted { $0.key < $1.key }
        var problems: [String] = []
        for name in Set(names).sorted() {
            let families = ordered.compactMap { group in group.families[name].map { (group.key, $0.family) } }
            guard let (firstKey, first) = families.first else { continue }
            if let (otherKey, other) = families.first(where: { $0.1.type != first.type }) {
                let (pushedFamily, pushedKey, existing, existingKey) = otherKey == pushed
                    ? (other, otherKey, first, firstKey) : (first, firstKey, other, otherKey)
                problems.append(
                    "metric family \(quoted(name)) has type \(pushedFamily.typeName) in group \(pushedKey) "
                        + "but \(existing.typeName) in group \(existingKey); a name has one type across all groups"
                )
                continue
            }
            if let collision = suffixCollision(name, type: first.type, in: ordered) {
                problems.append(collision)
                continue
            }
            var seen = Set<[Label]>()
            for (key, family) in families {
                for metric in family.metrics {
                    let labels = metric.labels.sorted { ByteOrder.less($0.name, $1.name) }
                    if key == pushed, let bad = labels.first(where: { !GroupingKey.isValidName($0.name) }) {
                        problems.append(
                            "collected metric \(quoted(name)) \(rendered(labels)) has a label with an invalid name: \(bad.name)"
                        )
                    } else if !seen.insert(labels).inserted {
                        problems.append(
                            "collected metric \(quoted(name)) \(rendered(labels)) was collected before with the same name and label values"
                        )
                    }
                }
            }
        }
        return problems
    }

    /// The message for several problems, in client_golang's `MultiError` layout.
    static func message(_ problems: [String]) -> String {
        guard problems.count > 1 else { return problems.first ?? "" }
        return "\(problems.count) error(s) occurred:\n" + problems.map { "* " + $0 }.joined(separator: "\n")
    }

    /// client_golang's `checkSuffixCollisions`, in both directions.
    private static func suffixCollision(_ name: String, type: MetricType, in groups: [PushedGroup]) -> String? {
        func typeOf(_ other: String) -> MetricType? {
            for group in groups { if let entry = group.families[other] { return entry.family.type } }
            return nil
        }
        for suffix in ["_count", "_sum", "_bucket"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            switch typeOf(base) {
            case .summary where suffix != "_bucket":
                return "collected metric named \(quoted(name)) collides with previously collected summary named \(quoted(base))"
            case .histogram:
                return "collected metric named \(quoted(name)) collides with previously collected histogram named \(quoted(base))"
            default:
                break
            }
        }
        let suffixes = type == .histogram ? ["_count", "_sum", "_bucket"] : type == .summary ? ["_count", "_sum"] : []
        for suffix in suffixes where typeOf(name + suffix) != nil {
            return "collected histogram or summary named \(quoted(name)) collides with previously collected metric named \(quoted(name + suffix))"
        }
        return nil
    }

    private static func rendered(_ labels: [Label]) -> String {
        "{" + labels.map { $0.name + "=" + quoted($0.value) }.joined(separator: ",") + "}"
    }

    private static func quoted(_ text: String) -> String { JSONQuoting.quote(text) }
}
