/// What `WAL.replay(_:)` read, and what it had to drop.
public struct ReplayReport: Sendable, Equatable {
    /// Records handed to the handler.
    public var records = 0
    /// Series entries in those records.
    public var series = 0
    /// Samples in those records.
    public var samples = 0
    /// Tombstones in those records.
    public var tombstones = 0
    /// Frames (one per `log(_:)` batch) read intact.
    public var batches = 0
    /// Bytes of intact frames read, headers included.
    public var bytes: Int64 = 0
    /// Segment files read, checkpoint segments included.
    public var segmentsRead = 0
    /// The checkpoint replayed first, if any.
    public var checkpoint: Int?
    /// Wall time of the replay (from ``TSDB``: snapshot loading included).
    public var duration: Duration = .zero
    /// The head snapshot loaded before the WAL, if any (set by ``TSDB``); the checkpoint and the
    /// segments before ``HeadSnapshotInfo/segment`` were then skipped.
    public var snapshot: HeadSnapshotInfo?
    /// Why a head snapshot on disk could not be used (damaged, or its WAL segment is gone).
    public var snapshotProblem: String?
    /// Every place replay stopped early; empty when the WAL was intact.
    public var damage: [WALDamage] = []
    /// Human-readable warnings: one per damage, plus oddities such as gaps in segment numbers.
    public var warnings: [String] = []

    /// An empty report.
    public init() {}

    /// True when nothing was dropped.
    public var isClean: Bool { damage.isEmpty }
}
