import VigilModel

/// A value inside a running template, with Go's dynamic types as Prometheus's templates see them.
public indirect enum TemplateValue: Sendable, Equatable {
    /// A Go `string`.
    case string(String)
    /// A Go `float64` (sample values).
    case float(Double)
    /// A Go `int`.
    case int(Int)
    /// A Go `bool`.
    case bool(Bool)
    /// Go's `nil`.
    case null
    /// A `map[string]string` (label sets); a missing key reads as "".
    case map([String: String])
    /// A list, such as the result of `query` (a list of ``sample(labels:value:)``).
    case list([TemplateValue])
    /// A struct with named fields (`.Labels`, `.Value`, the template data).
    case record([String: TemplateValue])
    /// A `map[string]interface{}` (what `args` returns); a missing key reads as nil.
    case anyMap([String: TemplateValue])
    /// A value of a named type with methods (Alertmanager's `KV`, `Pairs`, `Alerts`, `time.Time`).
    case object(TemplateObject)

    /// The value itself, or an object's underlying value: what `range`, `len`, `index`, comparisons
    /// and field lookups see.
    public var underlying: TemplateValue {
        if case .object(let object) = self { return object.value.underlying }
        return self
    }

    /// One element of a query result: `.Labels` and `.Value`.
    public static func sample(labels: [String: String], value: Double) -> TemplateValue {
        .record(["Labels": .map(labels), "Value": .float(value)])
    }

    /// Go's truth: false, 0, "", nil and empty collections are false.
    public var isTrue: Bool {
        switch self {
        case .string(let text): !text.isEmpty
        case .float(let value): value != 0
        case .int(let value): value != 0
        case .bool(let value): value
        case .null: false
        case .map(let map): !map.isEmpty
        case .list(let list): !list.isEmpty
        case .record: true
        case .anyMap(let map): !map.isEmpty
        case .object(let object): object.value.isTrue
        }
    }

    /// The type name Go would print in errors.
    public var typeName: String {
        switch self {
        case .string: "string"
        case .float: "float64"
        case .int: "int"
        case .bool: "bool"
        case .null: "<nil>"
        case .map: "map[string]string"
        case .list: "template.queryResult"
        case .record(let fields): fields["Labels"] != nil && fields["Value"] != nil && fields.count == 2 ? "*template.sample" : "struct"
        case .anyMap: "map[string]interface {}"
        case .object(let object): object.typeName
        }
    }

    /// How `{{ x }}` and `%v` print the value (Go's `fmt.Sprint`).
    public var printed: String {
        switch self {
        case .string(let text): return text
        case .float(let value): return GoFloat.format(value)
        case .int(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .null: return "<no value>"
        case .map(let map):
            return "map[" + map.keys.sorted().map { "\($0):\(map[$0] ?? "")" }.joined(separator: " ") + "]"
        case .list(let list):
            return "[" + list.map(\.printedInside).joined(separator: " ") + "]"
        case .record(let fields):
            return "{" + fields.keys.sorted().map { fields[$0]!.printedInside }.joined(separator: " ") + "}"
        case .anyMap(let map):
            return "map[" + map.keys.sorted().map { "\($0):\(map[$0]!.printedInside)" }.joined(separator: " ") + "]"
        case .object(let object):
            return object.text ?? object.value.printed
        }
    }

    private var printedInside: String {
        if case .null = self { return "<nil>" }
        if case .record = self, typeName == "*template.sample" { return "0x" + "sample" }
        return printed
    }
}

/// A value of a named Go type: an underlying value plus the type's name, under which
/// ``TemplateFunctions/register(method:of:_:)`` finds its methods, and the text its `String()`
/// method gives (how `{{ . }}` prints it).
public struct TemplateObject: Sendable, Equatable {
    /// The type's name (`template.KV`), used to find methods and in error messages.
    public var typeName: String
    /// The value the type is made of.
    public var value: TemplateValue
    /// What printing the value shows, when the type has a `String()` method.
    public var text: String?

    /// A value of the named type `typeName`.
    public init(typeName: String, value: TemplateValue, text: String? = nil) {
        self.typeName = typeName
        self.value = value
        self.text = text
    }
}
