/// What can go wrong configuring the event watcher or its sinks.
public enum KubernetesEventsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A message pattern that is not valid RE2.
    case invalidPattern(field: String, pattern: String, reason: String)
    /// A level other than `Normal` or `Warning`.
    case invalidLevel(String)
    /// A `--sink=` argument that cannot be used; `offset` is the byte offset of the problem.
    case invalidSink(argument: String, offset: Int, reason: String)

    /// A sentence naming the place.
    public var description: String {
        switch self {
        case .invalidPattern(let field, let pattern, let reason): "\(field): invalid pattern \(pattern): \(reason)"
        case .invalidLevel(let level): "level: \(level) is neither Normal nor Warning"
        case .invalidSink(let argument, let offset, let reason): "sink \(argument) at byte \(offset): \(reason)"
        }
    }
}
