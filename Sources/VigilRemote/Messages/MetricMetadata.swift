public import VigilModel

/// Type, help and unit of one metric family (`prometheus.MetricMetadata`).
public struct MetricMetadata: Sendable, Hashable {
    /// The family's type (field 1, enum `MetricType`); unknown enum numbers read as ``MetricType/unknown``.
    public var type: MetricType
    /// The family name, such as `http_requests` (field 2).
    public var metricFamilyName: String
    /// The HELP text (field 4).
    public var help: String
    /// The UNIT, possibly empty (field 5).
    public var unit: String

    /// Creates metadata.
    public init(type: MetricType, metricFamilyName: String, help: String = "", unit: String = "") {
        self.type = type
        self.metricFamilyName = metricFamilyName
        self.help = help
        self.unit = unit
    }

    /// The `prometheus.MetricMetadata.MetricType` enum number.
    var wireType: UInt64 {
        switch type {
        case .unknown: 0
        case .counter: 1
        case .gauge: 2
        case .histogram: 3
        case .gaugehistogram: 4
        case .summary: 5
        case .info: 6
        case .stateset: 7
        }
    }

    static func type(wire: UInt64) -> MetricType {
        switch wire {
        case 1: .counter
        case 2: .gauge
        case 3: .histogram
        case 4: .gaugehistogram
        case 5: .summary
        case 6: .info
        case 7: .stateset
        default: .unknown
        }
    }
}
