/// How the head cuts chunks, accepts late samples and limits series.
public struct HeadOptions: Sendable {
    /// Chunks never span a multiple of this many milliseconds (Prometheus's block range, 2h).
    public var chunkRange: Int64 = 7_200_000
    /// An open chunk is cut after this many samples.
    public var samplesPerChunk = 120
    /// How far (ms) behind a series' newest sample a sample may arrive and still be stored;
    /// 0 rejects every out-of-order sample.
    public var outOfOrderWindow: Int64 = 600_000
    /// Out-of-order samples are buffered unsorted up to this count, then encoded as one chunk.
    public var outOfOrderCapacity = 32
    /// Appending a new series beyond this many fails with `.limitExceeded`.
    public var maxSeries = Int.max
    /// Most samples one appender may buffer before `commit` (a scrape, a remote-write request);
    /// the next `append` throws `.limitExceeded`, so one oversized batch cannot exhaust memory.
    public var maxSamplesPerCommit = Int.max
    /// Lock stripes for the series maps (rounded up to a power of two).
    public var stripeCount = 256

    /// The defaults: 2h chunk range, 120 samples per chunk, a 10-minute out-of-order window.
    public init() {}
}

/// Counters and gauges describing the head; a snapshot.
public struct HeadStats: Sendable, Equatable {
    /// Series in memory.
    public var numSeries: Int
    /// Distinct label name/value pairs in the index.
    public var numLabelPairs: Int
    /// In-order and out-of-order chunks, the open in-order chunk included (not the unsorted out-of-order buffer).
    public var chunkCount: Int
    /// Oldest sample time (ms), `Int64.max` when empty.
    public var minTime: Int64
    /// Newest sample time (ms), `Int64.min` when empty.
    public var maxTime: Int64
    /// Samples stored (in order or out of order), replay included.
    public var samplesAppended: Int
    /// Of those, out-of-order samples.
    public var outOfOrderSamplesAppended: Int
    /// Samples rejected as out of bounds (too old).
    public var rejectedOutOfBounds: Int
    /// Samples rejected as out of order (window disabled).
    public var rejectedOutOfOrder: Int
    /// Samples rejected for a conflicting value at an existing timestamp.
    public var rejectedDuplicates: Int
    /// WAL samples or tombstones whose series ref was unknown during replay.
    public var replayUnknownRefs: Int
}
