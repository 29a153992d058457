/// The `@` modifier of a selector or subquery.
public enum AtModifier: Sendable, Hashable {
    /// `@ <seconds>`, stored in milliseconds since the epoch (rounded as Prometheus rounds).
    case timestamp(Int64)
    /// `@ start()`: the start of the range query (the evaluation time of an instant query).
    case start
    /// `@ end()`: the end of the range query (the evaluation time of an instant query).
    case end
}
