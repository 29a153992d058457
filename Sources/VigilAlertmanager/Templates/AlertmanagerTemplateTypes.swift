public import VigilTemplate
public import VigilModel

/// Alertmanager's named template types (`template.KV`, `template.Pairs`, `template.Alerts`) and
/// their methods, as template values.
public enum AlertmanagerTemplateTypes {
    static let kvType = "template.KV"
    static let pairsType = "template.Pairs"
    static let alertsType = "template.Alerts"

    /// A label set as a `KV`: ranges and indexes as a map, prints as `name=value, ...` in
    /// ``sortedPairs(_:)`` order.
    public static func kv(_ labels: Labels) -> TemplateValue {
        kv(labels.dictionary)
    }

    static func kv(_ map: [String: String]) -> TemplateValue {
        let pairs = sortedPairs(map)
        return .object(TemplateObject(
            typeName: kvType, value: .map(map), text: pairs.map { "\($0.0)=\($0.1)" }.joined(separator: ", ")))
    }

    /// `alertname` first, then the other names in byte order, as `KV.SortedPairs` sorts.
    static func sortedPairs(_ map: [String: String]) -> [(String, String)] {
        var names = map.keys.filter { $0 != "alertname" }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        if map["alertname"] != nil { names.insert("alertname", at: 0) }
        return names.map { ($0, map[$0] ?? "") }
    }

    static func pairs(_ pairs: [(String, String)]) -> TemplateValue {
        .object(TemplateObject(
            typeName: pairsType,
            value: .list(pairs.map { .record(["Name": .string($0.0), "Value": .string($0.1)]) }),
            text: pairs.map { "\($0.0)=\($0.1)" }.joined(separator: ", ")))
    }

    static func alerts(_ alerts: [TemplateValue]) -> TemplateValue {
        .object(TemplateObject(typeName: alertsType, value: .list(alerts)))
    }

    static func strings(_ values: [String]) -> TemplateValue {
        .list(values.map { .string($0) })
    }

    /// Registers the methods of `KV`, `Pairs` and `Alerts` on `functions`.
    static func registerMethods(on functions: inout TemplateFunctions) {
        @Sendable func map(_ receiver: TemplateValue) -> [String: String] {
            if case .map(let map) = receiver.underlying { return map }
            return [:]
        }
        @Sendable func pairList(_ receiver: TemplateValue) -> [(String, String)] {
            guard case .list(let items) = receiver.underlying else { return [] }
            return items.compactMap { item in
                guard case .record(let fields) = item, case .string(let name)? = fields["Name"],
                    case .string(let value)? = fields["Value"]
                else { return nil }
                return (name, value)
            }
        }
        functions.register(method: "SortedPairs", of: kvType) { receiver, arguments in
            try TemplateFunctions.arity("SortedPairs", arguments, 0)
            return pairs(sortedPairs(map(receiver)))
        }
        functions.register(method: "Names", of: kvType) { receiver, arguments in
            try TemplateFunctions.arity("Names", arguments, 0)
            return strings(sortedPairs(map(receiver)).map(\.0))
        }
        functions.register(method: "Values", of: kvType) { receiver, arguments in
            try TemplateFunctions.arity("Values", arguments, 0)
            return strings(sortedPairs(map(receiver)).map(\.1))
        }
        functions.register(method: "Remove", of: kvType) { receiver, arguments in
            try TemplateFunctions.arity("Remove", arguments, 1)
            var result = map(receiver)
            for name in try stringList(arguments[0]) { result[name] = nil }
            return kv(result)
        }
        functions.register(method: "Names", of: pairsType) { receiver, arguments in
            try TemplateFunctions.arity("Names", arguments, 0)
            return strings(pairList(receiver).map(\.0))
        }
        functions.register(method: "Values", of: pairsType) { receiver, arguments in
            try TemplateFunctions.arity("Values", arguments, 0)
            return strings(pairList(receiver).map(\.1))
        }
        for (method, status) in [("Firing", "firing"), ("Resolved", "resolved")] {
            functions.register(method: method, of: alertsType) { receiver, arguments in
                try TemplateFunctions.arity(method, arguments, 0)
                guard case .list(let items) = receiver.underlying else { return .list([]) }
                return .list(items.filter { item in
                    if case .record(let fields) = item, case .string(status)? = fields["Status"] { return true }
                    return false
                })
            }
        }
    }

    /// A `[]string` argument.
    static func stringList(_ value: TemplateValue) throws -> [String] {
        guard case .list(let items) = value.underlying else {
            throw TemplateFunctionError(fullMessage: "wrong type for value; expected []string; got \(value.typeName)")
        }
        return try items.map { item in
            guard case .string(let text) = item.underlying else {
                throw TemplateFunctionError(fullMessage: "wrong type for value; expected string; got \(item.typeName)")
            }
            return text
        }
    }
}
