/// What `WAL.checkpoint(upTo:keepSeries:minTime:)` wrote and removed.
public struct CheckpointStats: Sendable, Equatable {
    /// The checkpoint's index: the last segment it covers.
    public var index: Int
    /// Series kept / dropped by `keepSeries`.
    public var seriesKept = 0, seriesDropped = 0
    /// Samples kept / dropped (before `minTime` or of a dropped series).
    public var samplesKept = 0, samplesDropped = 0
    /// Tombstones kept / dropped.
    public var tombstonesKept = 0, tombstonesDropped = 0
    /// Bytes of the new checkpoint directory.
    public var bytes: Int64 = 0
    /// Segment files deleted after the checkpoint was in place.
    public var segmentsDeleted = 0

    /// Stats of an empty checkpoint `index`.
    public init(index: Int) { self.index = index }
}
