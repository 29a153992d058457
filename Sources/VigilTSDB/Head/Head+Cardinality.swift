import Synchronization

extension Head {
    /// The head's top-`limit` cardinality lists, as `/api/v1/status/tsdb` reports them and as
    /// Prometheus computes them from its postings: series per metric name, distinct values per label
    /// name, bytes of label values per label name (value length × series), series per label pair.
    public func cardinality(limit: Int = 10) -> CardinalityStats {
        postings.withLock { postings in
            var metricNames: [CardinalityStats.Entry] = []
            var valueCounts: [CardinalityStats.Entry] = []
            var memory: [CardinalityStats.Entry] = []
            var pairs: [CardinalityStats.Entry] = []
            for (name, values) in postings.byName where !name.isEmpty {
                valueCounts.append(.init(name: name, value: values.count))
                var bytes = 0
                for (value, refs) in values {
                    if name == "__name__" { metricNames.append(.init(name: value, value: refs.count)) }
                    pairs.append(.init(name: name + "=" + value, value: refs.count))
                    bytes += value.utf8.count * refs.count
                }
                memory.append(.init(name: name, value: bytes))
            }
            return CardinalityStats(
                seriesCountByMetricName: CardinalityStats.top(metricNames, limit),
                labelValueCountByLabelName: CardinalityStats.top(valueCounts, limit),
                memoryInBytesByLabelName: CardinalityStats.top(memory, limit),
                seriesCountByLabelValuePair: CardinalityStats.top(pairs, limit)
            )
        }
    }
}

/// Cardinality top lists of the head (`/api/v1/status/tsdb`, `vigil tsdb analyze`).
public struct CardinalityStats: Sendable, Equatable {
    /// One row of a top list: a name (metric, label name, or `name=value`) and its count.
    public struct Entry: Sendable, Equatable {
        /// The metric name, label name or `name=value` pair.
        public var name: String
        /// The series count, value count or byte count.
        public var value: Int

        /// A row.
        public init(name: String, value: Int) {
            self.name = name
            self.value = value
        }
    }

    /// Series per metric name.
    public var seriesCountByMetricName: [Entry]
    /// Distinct values per label name.
    public var labelValueCountByLabelName: [Entry]
    /// Bytes of label values per label name: each value's length times its series count.
    public var memoryInBytesByLabelName: [Entry]
    /// Series per `name=value` label pair.
    public var seriesCountByLabelValuePair: [Entry]

    /// The `limit` largest entries, largest first; ties by name so the answer is stable.
    static func top(_ entries: [Entry], _ limit: Int) -> [Entry] {
        Array(entries.sorted { $0.value != $1.value ? $0.value > $1.value : $0.name < $1.name }.prefix(limit))
    }
}
