import VigilModel

/// The JSON the adapter's API types marshal to, written in Go's field order.
enum KubernetesJSON {
    /// `metav1.Time`: RFC 3339 in UTC, whole seconds.
    static func time(milliseconds: Int64) -> String {
        let full = RFC3339.format(milliseconds: milliseconds)
        // "2026-01-02T03:04:05.678Z" without ".678".
        return String(full.prefix(19)) + "Z"
    }

    static func quote(_ text: String) -> String { JSONQuoting.quote(text) }

    /// A `map[string]string`, keys sorted as Go's encoder sorts them.
    static func stringMap(_ map: [String: String]) -> String {
        "{" + map.keys.sorted().map { quote($0) + ":" + quote(map[$0]!) }.joined(separator: ",") + "}"
    }

    /// `metav1.ParseToLabelSelector(selector.String())` marshalled: equalities become
    /// `matchLabels`, the rest `matchExpressions`; nil when a requirement cannot be expressed.
    static func labelSelector(_ selector: LabelSelector) -> String? {
        var matchLabels: [String: String] = [:]
        var expressions: [String] = []
        for requirement in selector.requirements {
            let op: String
            var values = requirement.values
            switch requirement.op {
            case .equals, .doubleEquals:
                matchLabels[requirement.key] = requirement.values[0]
                continue
            case .notEquals: op = "NotIn"
            case .in: op = "In"
            case .notIn: op = "NotIn"
            case .exists:
                op = "Exists"
                values = []
            case .doesNotExist:
                op = "DoesNotExist"
                values = []
            case .greaterThan, .lessThan: return nil
            }
            var expression = "{\"key\":" + quote(requirement.key) + ",\"operator\":" + quote(op)
            if !values.isEmpty { expression += ",\"values\":[" + values.map(quote).joined(separator: ",") + "]" }
            expressions.append(expression + "}")
        }
        var fields: [String] = []
        if !matchLabels.isEmpty { fields.append("\"matchLabels\":" + stringMap(matchLabels)) }
        if !expressions.isEmpty { fields.append("\"matchExpressions\":[" + expressions.joined(separator: ",") + "]") }
        return "{" + fields.joined(separator: ",") + "}"
    }
}
