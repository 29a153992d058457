public import VigilModel

/// One sample of an instant vector.
public struct VectorSample: Sendable, Equatable {
    /// The series labels.
    public var labels: Labels
    /// The evaluation time (ms).
    public var timestamp: Int64
    /// The value.
    public var value: Double

    /// A sample.
    public init(labels: Labels, timestamp: Int64, value: Double) {
        self.labels = labels
        self.timestamp = timestamp
        self.value = value
    }
}

/// One series of a range vector or range-query result.
public struct MatrixSeries: Sendable {
    /// The series labels.
    public var labels: Labels
    /// The points, by ascending timestamp (ms).
    public var points: [(timestamp: Int64, value: Double)]

    /// A series.
    public init(labels: Labels, points: [(timestamp: Int64, value: Double)]) {
        self.labels = labels
        self.points = points
    }
}

/// A query's value, as Prometheus's API `resultType` distinguishes them.
public enum QueryValue: Sendable {
    /// `scalar`: a time (ms) and a value.
    case scalar(Int64, Double)
    /// `string`: a time (ms) and a string.
    case string(Int64, String)
    /// `vector`: in the order Prometheus returns them.
    case vector([VectorSample])
    /// `matrix`: sorted by labels.
    case matrix([MatrixSeries])
}

/// The outcome of a query: its value and any warnings.
public struct QueryResult: Sendable {
    /// The value.
    public var value: QueryValue
    /// Annotations Prometheus reports as warnings.
    public var warnings: [String]
}
