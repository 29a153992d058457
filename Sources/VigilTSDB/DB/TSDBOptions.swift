/// How a ``TSDB`` stores and syncs: the head's limits and windows, and the WAL's durability.
public struct TSDBOptions: Sendable {
    /// Chunk range, samples per chunk, out-of-order window (Vigil default 10m), series limit.
    public var head = HeadOptions()
    /// When an append is durable: `.always` (fdatasync before acknowledging, the default) survives
    /// power loss; `.interval` survives a process crash; `.never` leaves it to the kernel.
    public var walSync: SyncPolicy = .always
    /// Size at which the WAL starts a new segment file.
    public var walSegmentSize = WAL.defaultSegmentSize

    /// The defaults: 2h chunk range, 10m out-of-order window, WAL fsync on every commit.
    public init() {}
}
