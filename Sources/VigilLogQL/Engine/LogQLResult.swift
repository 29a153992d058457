public import VigilModel

/// One stream of a log query's answer: its labels after the pipeline and its entries in the
/// query's direction.
public struct LogStreamResult: Sendable, Hashable {
    /// Stream labels plus structured metadata and labels the pipeline extracted.
    public var labels: Labels
    /// Entries (timestamp in ns, the line after the pipeline).
    public var entries: [LogEntry]

    /// A stream.
    public init(labels: Labels, entries: [LogEntry]) {
        self.labels = labels
        self.entries = entries
    }
}

/// A sample of a metric query: time in nanoseconds and value.
public struct MetricPoint: Sendable, Hashable {
    /// Nanoseconds since the epoch.
    public var timestamp: Int64
    /// The value.
    public var value: Double

    /// A point.
    public init(timestamp: Int64, value: Double) {
        self.timestamp = timestamp
        self.value = value
    }
}

/// A series of a matrix or vector result.
public struct MetricSeries: Sendable, Hashable {
    /// Its labels.
    public var labels: Labels
    /// Its points in time order (one for a vector).
    public var points: [MetricPoint]

    /// A series.
    public init(labels: Labels, points: [MetricPoint]) {
        self.labels = labels
        self.points = points
    }
}

/// What a query returned: Loki's four result types.
public enum LogQLResult: Sendable, Hashable {
    /// Log lines (`resultType: streams`).
    case streams([LogStreamResult])
    /// A range query's series (`resultType: matrix`).
    case matrix([MetricSeries])
    /// An instant query's samples, one point per series (`resultType: vector`).
    case vector([MetricSeries])
    /// An instant query of a number (`resultType: scalar`).
    case scalar(MetricPoint)

    /// Loki's `resultType`.
    public var resultType: String {
        switch self {
        case .streams: "streams"
        case .matrix: "matrix"
        case .vector: "vector"
        case .scalar: "scalar"
        }
    }
}

/// What the engine counted while answering, reported in the response's `stats` (a subset of
/// Loki's: the summary and the store's line/byte counters).
public struct LogQLStatistics: Sendable, Hashable {
    /// Bytes of lines read from the source.
    public var totalBytesProcessed: Int = 0
    /// Lines read from the source.
    public var totalLinesProcessed: Int = 0
    /// Lines that passed the pipeline.
    public var totalPostFilterLines: Int = 0
    /// Entries (log queries) or samples (metric queries) in the answer.
    public var totalEntriesReturned: Int = 0
    /// Bytes of structured metadata read.
    public var totalStructuredMetadataBytesProcessed: Int = 0
    /// Wall time of execution, in seconds.
    public var execTime: Double = 0

    /// Empty statistics.
    public init() {}
}

/// A result with its statistics: what the response encoder takes.
public struct LogQLResponse: Sendable, Hashable {
    /// The data.
    public var result: LogQLResult
    /// The counters.
    public var statistics: LogQLStatistics

    /// A response.
    public init(result: LogQLResult, statistics: LogQLStatistics) {
        self.result = result
        self.statistics = statistics
    }
}
