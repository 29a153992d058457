/// Why a query failed after parsing: a bad query, a limit, a timeout, or a pipeline error the
/// query did not filter. The message is Loki's text; ``kind`` tells the HTTP layer the status.
public struct LogQLEngineError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of failure, which decides the HTTP status.
    public enum Kind: Sendable, Hashable {
        /// The query cannot run as written (400).
        case badQuery
        /// A per-query limit was hit (400 in Loki).
        case limit
        /// The query ran past its timeout (504 in Loki).
        case timeout
        /// The source failed (500).
        case source
    }

    /// The class of failure.
    public var kind: Kind
    /// Loki's message.
    public var message: String

    /// An error of `kind`.
    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    static func badQuery(_ message: String) -> LogQLEngineError { .init(kind: .badQuery, message: message) }

    /// Loki's text for `max_entries_limit_per_query`.
    static func entriesLimit(requested: Int, limit: Int) -> LogQLEngineError {
        .init(kind: .limit, message: "max entries limit per query exceeded, limit > max_entries_limit_per_query (\(requested) > \(limit))")
    }

    /// Loki's text for `max_query_series`.
    static func seriesLimit(_ limit: Int) -> LogQLEngineError {
        .init(kind: .limit, message: "maximum of series (\(limit)) reached for a single query")
    }

    /// Loki's text when a query runs out of time.
    static let timedOut = LogQLEngineError(
        kind: .timeout,
        message: "Request timed out, decrease the duration of the request or add more label matchers "
            + "(prefer exact match over regex match) to reduce the amount of data processed.")

    /// `message`.
    public var description: String { message }
}

/// Per-query limits, with Loki's defaults.
public struct LogQLLimits: Sendable, Hashable {
    /// `max_entries_limit_per_query`: the largest `limit` a log query may ask for.
    public var maxEntriesPerQuery: Int
    /// `max_query_series`: the most series a metric query may return.
    public var maxSeries: Int
    /// `query_timeout`.
    public var timeout: Duration
    /// The most steps one range query may evaluate (Loki: 11,000 points per series).
    public var maxPoints: Int

    /// Limits; the defaults are Loki's.
    public init(maxEntriesPerQuery: Int = 5000, maxSeries: Int = 500, timeout: Duration = .seconds(180), maxPoints: Int = 11_000) {
        self.maxEntriesPerQuery = maxEntriesPerQuery
        self.maxSeries = maxSeries
        self.timeout = timeout
        self.maxPoints = maxPoints
    }
}
