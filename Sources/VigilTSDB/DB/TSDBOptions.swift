/// How a ``TSDB`` stores, syncs, compacts and retains.
public struct TSDBOptions: Sendable {
    /// Chunk range (also the head's block range), samples per chunk, out-of-order window (Vigil
    /// default 10m), series limit.
    public var head = HeadOptions()
    /// When an append is durable: `.always` (fdatasync before acknowledging, the default) survives
    /// power loss; `.interval` survives a process crash; `.never` leaves it to the kernel.
    public var walSync: SyncPolicy = .always
    /// Size at which the WAL starts a new segment file.
    public var walSegmentSize = WAL.defaultSegmentSize
    /// How long blocks are kept (`--storage.tsdb.retention.time`, default 15d) and the size cap on
    /// blocks plus WAL (`--storage.tsdb.retention.size`, 0 = none).
    public var retention = Retention()
    /// Whether head data is persisted as blocks before it is dropped from memory. Agent mode
    /// turns it off: its data leaves through remote write, so the head only bounds memory.
    public var persistBlocks = true

    /// The defaults: 2h chunk range, 10m out-of-order window, WAL fsync on every commit, 15d retention.
    public init() {}
}
