public import VigilModel

/// One record of the write-ahead log: what the head logs before it acknowledges an append, and
/// what replay hands back in the same order.
public enum WALRecord: Sendable, Equatable {
    /// New series with their refs, logged before any sample of theirs.
    case series([SeriesRecord])
    /// Samples of series already logged.
    case samples([RefSample])
    /// Deletions.
    case tombstones([Tombstone])

    /// A series' ref and labels.
    public struct SeriesRecord: Sendable, Equatable {
        /// The ref samples will use.
        public var ref: SeriesRef
        /// The full label set, `__name__` included.
        public var labels: Labels

        /// A series record.
        public init(ref: SeriesRef, labels: Labels) {
            self.ref = ref
            self.labels = labels
        }
    }
}

/// Where the head writes ahead: `log` returns only once the records are as durable as the
/// configured sync policy promises, so an acknowledged append survives a crash.
public protocol WriteAheadLog: Sendable {
    /// Appends `records` in order as one unit; throws if they could not be written.
    func log(_ records: [WALRecord]) throws(TSDBError)
    /// Appends `records` like ``log(_:)`` but returns after write(2) whatever the sync policy:
    /// safe against a killed process, not against power loss, until the next sync.
    func logBuffered(_ records: [WALRecord]) throws(TSDBError)
}

extension WriteAheadLog {
    /// Logs that cannot buffer treat every batch as durable.
    public func logBuffered(_ records: [WALRecord]) throws(TSDBError) {
        try log(records)
    }
}
