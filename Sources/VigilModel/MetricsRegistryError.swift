/// Why a ``MetricsRegistry`` refused a registration.
public struct MetricsRegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case invalidName
        case invalidLabelName
        case conflictingType
        case conflictingHelp
        case conflictingBuckets
    }

    private let code: Code
    /// The metric name the registration was for.
    public let metricName: String
    /// A message naming the problem.
    public let message: String

    private init(_ code: Code, _ metricName: String, _ message: String) {
        self.code = code
        self.metricName = metricName
        self.message = message
    }

    static func invalidName(_ name: String) -> Self {
        Self(.invalidName, name, "invalid metric name \"\(name)\"")
    }

    static func invalidLabelName(_ name: String, _ label: String) -> Self {
        Self(.invalidLabelName, name, "invalid label name \"\(label)\" for metric \"\(name)\"")
    }

    static func conflictingType(_ name: String, _ existing: MetricType, _ requested: MetricType) -> Self {
        Self(.conflictingType, name, "metric \"\(name)\" is already registered as \(existing.rawValue), not \(requested.rawValue)")
    }

    static func conflictingHelp(_ name: String) -> Self {
        Self(.conflictingHelp, name, "metric \"\(name)\" is already registered with a different help text")
    }

    static func conflictingBuckets(_ name: String) -> Self {
        Self(.conflictingBuckets, name, "histogram \"\(name)\" is already registered with different buckets")
    }

    /// Whether the error is about a name registered with another type.
    public var isConflictingType: Bool { code == .conflictingType }

    /// The message.
    public var description: String { message }
}
