/// A named group of samples sharing a type, help text and unit: what a `/metrics` page lists.
///
/// `name` follows the Go client and text format 0.0.4: a counter's family is named like its
/// samples (`http_requests_total`), an info's like `build_info`. The OpenMetrics writer strips
/// `_total` / `_info` to form the OpenMetrics family name and the parser adds it back, so a family
/// survives a round trip through either format.
public struct MetricFamily: Sendable, Equatable {
    /// The family name (see the type's documentation for counters and infos).
    public var name: String
    /// The help text, unescaped; empty when there is none.
    public var help: String
    /// The declared type; ``MetricType/unknown`` when there was no `# TYPE` line.
    public var type: MetricType
    /// The OpenMetrics unit (`seconds`, `bytes`); empty when there is none.
    public var unit: String
    /// The samples, in exposition order.
    public var samples: [Sample]

    /// Creates a family.
    public init(name: String, help: String = "", type: MetricType, unit: String = "", samples: [Sample] = []) {
        self.name = name
        self.help = help
        self.type = type
        self.unit = unit
        self.samples = samples
    }

    /// One line of an exposition: a full sample name, labels, a value and optional extras.
    public struct Sample: Sendable, Equatable {
        /// The full sample name including any suffix (`http_requests_total`, `rpc_seconds_bucket`).
        public var name: String
        /// The labels, without `__name__`.
        public var labels: Labels
        /// The value. Equality treats all NaNs with the same bit pattern as equal.
        public var value: Double
        /// The explicit timestamp in milliseconds, if the exposition carried one.
        public var timestamp: Timestamp?
        /// The OpenMetrics exemplar, if any.
        public var exemplar: Exemplar?

        /// Creates a sample.
        public init(name: String, labels: Labels = .empty, value: Double, timestamp: Timestamp? = nil, exemplar: Exemplar? = nil) {
            self.name = name
            self.labels = labels
            self.value = value
            self.timestamp = timestamp
            self.exemplar = exemplar
        }

        /// Equal when names, labels, timestamps and exemplars are equal and values are equal or
        /// are NaNs with the same bit pattern.
        public static func == (lhs: Sample, rhs: Sample) -> Bool {
            lhs.name == rhs.name && lhs.labels == rhs.labels && lhs.timestamp == rhs.timestamp
                && sameValue(lhs.value, rhs.value) && lhs.exemplar == rhs.exemplar
        }
    }
}

/// An OpenMetrics exemplar: a trace-like reference attached to a counter or bucket sample.
public struct Exemplar: Sendable, Equatable {
    /// The exemplar's labels (for example `trace_id`).
    public var labels: Labels
    /// The exemplar's value.
    public var value: Double
    /// The exemplar's timestamp in milliseconds, if given.
    public var timestamp: Timestamp?

    /// Creates an exemplar.
    public init(labels: Labels, value: Double, timestamp: Timestamp? = nil) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }

    /// Equal when labels and timestamps are equal and values are equal or identical NaNs.
    public static func == (lhs: Exemplar, rhs: Exemplar) -> Bool {
        lhs.labels == rhs.labels && lhs.timestamp == rhs.timestamp && sameValue(lhs.value, rhs.value)
    }
}

@inline(__always)
private func sameValue(_ lhs: Double, _ rhs: Double) -> Bool {
    lhs == rhs || lhs.bitPattern == rhs.bitPattern
}
