/// The type a PromQL expression evaluates to (`promql/parser/value.go`).
public enum ValueType: String, Sendable, Hashable, CustomStringConvertible {
    /// No value (only an error state produces it).
    case none
    /// A single number.
    case scalar
    /// An instant vector: one sample per series.
    case vector
    /// A range vector: a window of samples per series.
    case matrix
    /// A string.
    case string

    /// The internal name (`vector`, `matrix`, ...), as some Prometheus messages print it.
    public var description: String { rawValue }

    /// The name the documentation uses (`instant vector`, `range vector`, `scalar`, `string`).
    public var documentedName: String {
        switch self {
        case .vector: "instant vector"
        case .matrix: "range vector"
        default: rawValue
        }
    }
}
