public import VigilModel

/// One metric of a pushed family: a label list and a value, in the shape of Go's client_model
/// `Metric`, which the Pushgateway stores and exposes.
///
/// Unlike ``Labels``, the label list keeps empty values (`instance=""` is how the Pushgateway
/// exposes a missing instance) and its order is the order written, until the store sorts it by
/// name when the grouping labels are added. Summaries and histograms are one metric each, as in
/// the Go client: `quantile` and `le` are not labels but parts of the value.
public struct PushedMetric: Sendable, Equatable {
    /// The labels; in a stored group sorted by name, with the grouping labels and `instance`.
    public var labels: [Label]
    /// The value, of the family's type.
    public var value: Value

    /// A metric with `labels` and `value`.
    public init(labels: [Label], value: Value) {
        self.labels = labels
        self.value = value
    }

    /// A metric's value; the case is the family's type.
    public enum Value: Sendable, Equatable {
        /// A counter's value.
        case counter(Double)
        /// A gauge's value.
        case gauge(Double)
        /// An untyped sample's value.
        case untyped(Double)
        /// A summary's quantiles, sum and count.
        case summary(Summary)
        /// A histogram's cumulative buckets, sum and count.
        case histogram(Histogram)

        /// The type this value belongs to (``MetricType/unknown`` for untyped).
        public var type: MetricType {
            switch self {
            case .counter: .counter
            case .gauge: .gauge
            case .untyped: .unknown
            case .summary: .summary
            case .histogram: .histogram
            }
        }
    }

    /// A summary as the Go text parser builds it: quantiles in the order written.
    public struct Summary: Sendable, Equatable {
        /// The `_count` sample, converted to an unsigned integer as Go converts it.
        public var count: UInt64
        /// The `_sum` sample.
        public var sum: Double
        /// `(quantile, value)` pairs in the order written.
        public var quantiles: [Quantile]

        /// A summary; an absent `_count` or `_sum` is zero, as in the Go client.
        public init(count: UInt64 = 0, sum: Double = 0, quantiles: [Quantile] = []) {
            self.count = count
            self.sum = sum
            self.quantiles = quantiles
        }

        /// One `quantile` line.
        public struct Quantile: Sendable, Equatable {
            /// The `quantile` label's value.
            public var quantile: Double
            /// The sample's value.
            public var value: Double

            /// A quantile line.
            public init(quantile: Double, value: Double) {
                self.quantile = quantile
                self.value = value
            }
        }
    }

    /// A histogram as the Go text parser builds it: buckets in the order written, counts as
    /// unsigned integers. The exposition adds a `+Inf` bucket when none was pushed.
    public struct Histogram: Sendable, Equatable {
        /// The `_count` sample, converted to an unsigned integer as Go converts it.
        public var count: UInt64
        /// The `_sum` sample.
        public var sum: Double
        /// The `_bucket` lines in the order written.
        public var buckets: [Bucket]

        /// A histogram; an absent `_count` or `_sum` is zero, as in the Go client.
        public init(count: UInt64 = 0, sum: Double = 0, buckets: [Bucket] = []) {
            self.count = count
            self.sum = sum
            self.buckets = buckets
        }

        /// One `_bucket` line.
        public struct Bucket: Sendable, Equatable {
            /// The `le` label's value.
            public var upperBound: Double
            /// The cumulative count, converted to an unsigned integer as Go converts it.
            public var cumulativeCount: UInt64

            /// A bucket line.
            public init(upperBound: Double, cumulativeCount: UInt64) {
                self.upperBound = upperBound
                self.cumulativeCount = cumulativeCount
            }
        }
    }
}
