public import VigilModel

/// A remote write 1.0 request (`prometheus.WriteRequest`): series with their samples, and metadata.
///
/// The general-purpose form, for the sender and for tests. The receiver's hot path decodes with
/// ``RemoteWriteDecoder`` instead, which validates labels and avoids one object per series.
public struct WriteRequest: Sendable, Hashable {
    /// The series, in the order they are sent (field 1).
    public var timeseries: [TimeSeries]
    /// Metric metadata, sent by Prometheus in separate requests (field 3).
    public var metadata: [MetricMetadata]

    /// Creates a request.
    public init(timeseries: [TimeSeries] = [], metadata: [MetricMetadata] = []) {
        self.timeseries = timeseries
        self.metadata = metadata
    }
}

/// One series of a remote write request or a remote read result (`prometheus.TimeSeries`).
public struct TimeSeries: Sendable, Hashable {
    /// The labels exactly as on the wire (field 1): senders must sort them, but nothing here enforces it.
    public var labels: [Label]
    /// Float samples, oldest first (field 2).
    public var samples: [Sample]
    /// Exemplars (field 3).
    public var exemplars: [Exemplar]
    /// Native histogram samples (field 4), kept as their undecoded message bytes: Vigil does not
    /// ingest native histograms yet, but re-encoding keeps them.
    public var encodedHistograms: [[UInt8]]

    /// Creates a series.
    public init(labels: [Label], samples: [Sample] = [], exemplars: [Exemplar] = [], encodedHistograms: [[UInt8]] = []) {
        self.labels = labels
        self.samples = samples
        self.exemplars = exemplars
        self.encodedHistograms = encodedHistograms
    }
}

extension TimeSeries {
    /// One float sample (`prometheus.Sample`).
    public struct Sample: Sendable, Hashable {
        /// The value (field 1); may be ``StaleNaN``.
        public var value: Double
        /// Milliseconds since the Unix epoch (field 2).
        public var timestamp: Timestamp

        /// Creates a sample.
        @inlinable
        public init(value: Double, timestamp: Timestamp) {
            self.value = value
            self.timestamp = timestamp
        }

        /// Compares bit patterns, so NaN samples (and stale markers) equal themselves.
        public static func == (lhs: Sample, rhs: Sample) -> Bool {
            lhs.value.bitPattern == rhs.value.bitPattern && lhs.timestamp == rhs.timestamp
        }

        /// Hashes the value's bit pattern, consistent with ``==(_:_:)``.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(value.bitPattern)
            hasher.combine(timestamp)
        }
    }

    /// An exemplar attached to a series (`prometheus.Exemplar`).
    public struct Exemplar: Sendable, Hashable {
        /// The exemplar's own labels, such as `trace_id` (field 1).
        public var labels: [Label]
        /// The observed value (field 2).
        public var value: Double
        /// Milliseconds since the Unix epoch (field 3).
        public var timestamp: Timestamp

        /// Creates an exemplar.
        public init(labels: [Label], value: Double, timestamp: Timestamp) {
            self.labels = labels
            self.value = value
            self.timestamp = timestamp
        }

        /// Compares the value's bit pattern, so NaN values equal themselves.
        public static func == (lhs: Exemplar, rhs: Exemplar) -> Bool {
            lhs.labels == rhs.labels && lhs.value.bitPattern == rhs.value.bitPattern && lhs.timestamp == rhs.timestamp
        }

        /// Hashes the value's bit pattern, consistent with ``==(_:_:)``.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(labels)
            hasher.combine(value.bitPattern)
            hasher.combine(timestamp)
        }
    }
}
