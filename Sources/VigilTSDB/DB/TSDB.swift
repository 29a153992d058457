public import VigilModel

/// The metrics store as the rest of Vigil sees it: a directory holding the WAL (`wal/`) and, as
/// blocks land, the persisted blocks; the in-memory head; and the two seams, ``appender()`` and
/// ``querier()``.
///
/// Opening replays the WAL into the head, so every append acknowledged before a crash is back
/// before the first query or append. Thread-safe: appenders and queriers may be used from any task.
public final class TSDB: Sendable {
    /// The directory this store owns (`<data-dir>/metrics`).
    public let directory: String
    /// The in-memory head: recent samples, postings, out-of-order buffers.
    public let head: Head
    /// The write-ahead log every commit goes through first.
    public let wal: WAL
    /// What replay found on open: records, samples, time taken, and any damage it cut away.
    public let replayReport: ReplayReport

    private init(directory: String, head: Head, wal: WAL, replayReport: ReplayReport) {
        self.directory = directory
        self.head = head
        self.wal = wal
        self.replayReport = replayReport
    }

    /// Opens (creating if needed) the store in `directory` and replays its WAL.
    ///
    /// A torn or corrupt WAL tail is cut at the last good record and reported in
    /// ``replayReport``; it does not fail the open.
    public static func open(directory: String, options: TSDBOptions = TSDBOptions()) throws(TSDBError) -> TSDB {
        let wal = try WAL(
            directory: directory + "/wal", segmentSize: options.walSegmentSize, syncPolicy: options.walSync
        )
        let head = Head(options: options.head, wal: wal)
        let report = try wal.replay { record in head.apply(record) }
        return TSDB(directory: directory, head: head, wal: wal, replayReport: report)
    }

    /// A batch appender: `append` buffers and validates, `commit` logs to the WAL then applies.
    public func appender() -> HeadAppender {
        head.appender()
    }

    /// A querier over everything stored (the head today; blocks merge in as they land).
    public func querier() -> any Querier {
        HeadQuerier(head: head)
    }

    /// Flushes and closes the WAL; appends after this fail with `.closed` or `.io`.
    public func close() throws(TSDBError) {
        try wal.close()
    }
}
