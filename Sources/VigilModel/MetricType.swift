/// The type of a metric family, as declared by a `# TYPE` line.
///
/// Raw values are the OpenMetrics spellings; text format 0.0.4 spells ``unknown`` as `untyped`
/// and has no `gaugehistogram`, `info` or `stateset` (see ``textName``).
public enum MetricType: String, Sendable, Hashable, CaseIterable {
    /// A monotonically increasing total.
    case counter
    /// A value that can go up and down.
    case gauge
    /// Cumulative buckets, a sum and a count.
    case histogram
    /// A histogram whose buckets may go down (OpenMetrics only).
    case gaugehistogram
    /// Quantiles, a sum and a count.
    case summary
    /// Constant labels exposed with value 1 (OpenMetrics only).
    case info
    /// A set of boolean states (OpenMetrics only).
    case stateset
    /// No type information (`untyped` in text format 0.0.4).
    case unknown

    /// The OpenMetrics spelling (`unknown`, `gaugehistogram`, ...).
    @inlinable
    public var openMetricsName: String { rawValue }

    /// The spelling text format 0.0.4 writes: `untyped` for ``unknown``; types the text format
    /// lacks map as the Python client does (`info`/`stateset` to `gauge`,
    /// `gaugehistogram` to `histogram`).
    public var textName: String {
        switch self {
        case .counter: "counter"
        case .gauge, .info, .stateset: "gauge"
        case .histogram, .gaugehistogram: "histogram"
        case .summary: "summary"
        case .unknown: "untyped"
        }
    }

    /// Parses an OpenMetrics type word (exact, lowercase); `nil` if it is not one.
    @inlinable
    public init?(openMetricsName: String) {
        self.init(rawValue: openMetricsName)
    }

    /// Parses a text 0.0.4 type word: `counter`, `gauge`, `histogram`, `summary` or `untyped`.
    public init?(textName: String) {
        switch textName {
        case "counter": self = .counter
        case "gauge": self = .gauge
        case "histogram": self = .histogram
        case "summary": self = .summary
        case "untyped": self = .unknown
        default: return nil
        }
    }
}
