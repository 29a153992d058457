public import VigilModel

/// A pushed metric family: name, optional help, type and metrics, as the Pushgateway keeps it.
public struct PushedFamily: Sendable, Equatable {
    /// The family name (for a summary or histogram, without `_sum`, `_count`, `_bucket`).
    public var name: String
    /// The help text; `nil` when the push had no (non-empty) `# HELP` line, so none is exposed.
    public var help: String?
    /// The type; ``MetricType/unknown`` is the text format's `untyped`.
    public var type: MetricType
    /// The metrics, in the order first written.
    public var metrics: [PushedMetric]

    /// A family.
    public init(name: String, help: String? = nil, type: MetricType, metrics: [PushedMetric] = []) {
        self.name = name
        self.help = help
        self.type = type
        self.metrics = metrics
    }

    /// The spelling Go's client_model gives the type (`COUNTER`, `UNTYPED`, ...), as the
    /// Pushgateway's JSON API writes it.
    public var typeName: String {
        switch type {
        case .counter: "COUNTER"
        case .gauge: "GAUGE"
        case .summary: "SUMMARY"
        case .histogram: "HISTOGRAM"
        case .gaugehistogram: "GAUGE_HISTOGRAM"
        case .unknown, .info, .stateset: "UNTYPED"
        }
    }
}
