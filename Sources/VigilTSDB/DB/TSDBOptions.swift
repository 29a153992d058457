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
    /// Whether the head is snapshotted to `head.snapshot` (during maintenance, when the WAL has
    /// grown by half the last snapshot's size, and on close), so a restart replays only the WAL
    /// written since. Off: every restart replays the whole WAL, as Prometheus does by default.
    public var headSnapshots = true
    /// The least WAL growth between two maintenance snapshots.
    public var headSnapshotMinWALBytes = 8 << 20

    /// The defaults: 2h chunk range, 10m out-of-order window, WAL fsync on every commit, 15d retention.
    public init() {}
}
