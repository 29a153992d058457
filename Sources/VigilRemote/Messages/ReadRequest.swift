public import VigilModel

/// A remote read 1.0 request (`prometheus.ReadRequest`): one or more queries.
public struct ReadRequest: Sendable, Hashable {
    /// The response types a client accepts (`prometheus.ReadRequest.ResponseType`).
    public enum ResponseType: Sendable, Hashable {
        /// A snappy-compressed `ReadResponse` of samples (0): the 1.0 default.
        case samples
        /// A stream of chunked series frames (1).
        case streamedXORChunks
        /// An enum number this implementation does not know.
        case other(UInt64)

        var wire: UInt64 {
            switch self {
            case .samples: 0
            case .streamedXORChunks: 1
            case .other(let value): value
            }
        }

        init(wire: UInt64) {
            switch wire {
            case 0: self = .samples
            case 1: self = .streamedXORChunks
            default: self = .other(wire)
            }
        }
    }

    /// The queries (field 1).
    public var queries: [Query]
    /// Accepted response types (field 2); empty means ``ResponseType/samples``.
    public var acceptedResponseTypes: [ResponseType]

    /// Creates a request.
    public init(queries: [Query], acceptedResponseTypes: [ResponseType] = []) {
        self.queries = queries
        self.acceptedResponseTypes = acceptedResponseTypes
    }
}

/// A remote read 1.0 `samples` response (`prometheus.ReadResponse`): one result per query, in order.
public struct ReadResponse: Sendable, Hashable {
    /// The results (field 1).
    public var results: [QueryResult]

    /// Creates a response.
    public init(results: [QueryResult]) {
        self.results = results
    }
}

extension ReadRequest {
    /// One remote read query (`prometheus.Query`): series matching all matchers in a time range.
    public struct Query: Sendable, Hashable {
        /// A label matcher as on the wire (`prometheus.LabelMatcher`); not compiled or validated here.
        public struct Matcher: Sendable, Hashable {
            /// The match operator.
            public enum MatchType: UInt64, Sendable, Hashable {
                /// `=` (0).
                case equal = 0
                /// `!=` (1).
                case notEqual = 1
                /// `=~` (2).
                case regexMatch = 2
                /// `!~` (3).
                case regexNoMatch = 3
            }

            /// The operator (field 1).
            public var type: MatchType
            /// The label name (field 2).
            public var name: String
            /// The value or regular expression (field 3).
            public var value: String

            /// Creates a matcher.
            public init(type: MatchType, name: String, value: String) {
                self.type = type
                self.name = name
                self.value = value
            }
        }

        /// Hints a query carries about the PromQL evaluation it serves (`prometheus.ReadHints`).
        public struct Hints: Sendable, Hashable {
            /// Query step in milliseconds (field 1).
            public var stepMilliseconds: Int64
            /// The function around the selector, such as `rate` (field 2).
            public var function: String
            /// Start in milliseconds (field 3).
            public var startMilliseconds: Int64
            /// End in milliseconds (field 4).
            public var endMilliseconds: Int64
            /// `by`/`without` labels (field 5).
            public var grouping: [String]
            /// Whether ``grouping`` is a `by` list (field 6).
            public var by: Bool
            /// Range of the selector in milliseconds (field 7).
            public var rangeMilliseconds: Int64

            /// Creates hints.
            public init(
                stepMilliseconds: Int64 = 0, function: String = "", startMilliseconds: Int64 = 0,
                endMilliseconds: Int64 = 0, grouping: [String] = [], by: Bool = false, rangeMilliseconds: Int64 = 0
            ) {
                self.stepMilliseconds = stepMilliseconds
                self.function = function
                self.startMilliseconds = startMilliseconds
                self.endMilliseconds = endMilliseconds
                self.grouping = grouping
                self.by = by
                self.rangeMilliseconds = rangeMilliseconds
            }
        }

        /// Inclusive start in milliseconds (field 1).
        public var startTimestampMs: Timestamp
        /// Inclusive end in milliseconds (field 2).
        public var endTimestampMs: Timestamp
        /// Matchers, all of which a series must satisfy (field 3).
        public var matchers: [Matcher]
        /// Optional hints (field 4).
        public var hints: Hints?

        /// Creates a query.
        public init(startTimestampMs: Timestamp, endTimestampMs: Timestamp, matchers: [Matcher], hints: Hints? = nil) {
            self.startTimestampMs = startTimestampMs
            self.endTimestampMs = endTimestampMs
            self.matchers = matchers
            self.hints = hints
        }
    }
}

extension ReadResponse {
    /// The series one query matched (`prometheus.QueryResult`).
    public struct QueryResult: Sendable, Hashable {
        /// The series with their samples in the range (field 1).
        public var timeseries: [TimeSeries]

        /// Creates a result.
        public init(timeseries: [TimeSeries]) {
            self.timeseries = timeseries
        }
    }
}
