/// Which blocks retention deletes: those wholly older than the retention time, and the oldest
/// ones while blocks plus the WAL exceed the size limit. Only whole blocks are deleted.
public struct Retention: Sendable, Equatable {
    /// Data older than this many milliseconds is deleted; 0 disables (default 15 days).
    public var duration: Int64
    /// Blocks plus WAL may take at most this many bytes; 0 disables (the default).
    public var maxBytes: Int64

    /// 15 days, in milliseconds.
    public static let defaultDuration: Int64 = 15 * 86_400_000

    /// A policy; 0 disables either limit.
    public init(duration: Int64 = Retention.defaultDuration, maxBytes: Int64 = 0) {
        self.duration = duration
        self.maxBytes = maxBytes
    }

    /// The ULIDs of the blocks to delete.
    ///
    /// - Parameters:
    ///   - blocks: every loaded block's meta and size on disk.
    ///   - walSize: bytes of the WAL (and any head chunk files), counted against ``maxBytes``
    ///     before any block, as Prometheus does.
    ///   - newest: the newest sample time (ms), e.g. the head's max time; defaults to the newest
    ///     block's max time. A block is too old when `newest - block.maxTime >= duration`.
    public func blocksToDelete(_ blocks: [(meta: BlockMeta, size: Int64)], walSize: Int64 = 0, newest: Int64? = nil) -> [ULID] {
        let sorted = blocks.sorted { ($0.meta.maxTime, $0.meta.ulid) > ($1.meta.maxTime, $1.meta.ulid) }
        var deletable = Set<ULID>()
        if duration > 0, let reference = newest ?? sorted.first?.meta.maxTime {
            for block in sorted where reference - block.meta.maxTime >= duration { deletable.insert(block.meta.ulid) }
        }
        if maxBytes > 0 {
            var total = walSize
            for (index, block) in sorted.enumerated() {
                total += block.size
                if total > maxBytes {
                    for older in sorted[index...] { deletable.insert(older.meta.ulid) }
                    break
                }
            }
        }
        return sorted.map(\.meta.ulid).filter { deletable.contains($0) }.reversed()
    }
}
