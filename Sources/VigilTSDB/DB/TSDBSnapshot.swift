public import VigilModel

/// A read-only view of a metrics directory for inspection tools (`vigil tsdb analyze`, `dump`):
/// loads the blocks and replays the WAL into a private head without writing, repairing or
/// deleting anything, so it is safe beside a running server.
public struct TSDBSnapshot: Sendable {
    /// The persisted blocks' metadata, oldest first.
    public let blocks: [BlockMeta]
    /// Blocks that failed to open, with the reason (left in place).
    public let unreadableBlocks: [(path: String, reason: String)]
    /// What reading the WAL found (damage is reported, not cut away).
    public let walReport: ReplayReport
    /// Series, samples and time range of the WAL's data, replayed into a private head.
    public let headStats: HeadStats
    private let opened: [Block]
    private let head: Head

    /// Reads `directory` (a `metrics` directory, holding `wal/` and block directories).
    public init(directory: String) throws(TSDBError) {
        var opened: [Block] = []
        var unreadable: [(path: String, reason: String)] = []
        for path in try BlockDirectory.blockPaths(in: directory, cleanUp: false) {
            do {
                opened.append(try Block.open(path: path))
            } catch {
                unreadable.append((path, error.message))
            }
        }
        opened.sort { $0.meta.minTime < $1.meta.minTime }
        let head = Head()
        walReport = try WAL.read(directory: directory + "/wal") { record in head.apply(record) }
        headStats = head.stats
        blocks = opened.map(\.meta)
        unreadableBlocks = unreadable
        self.opened = opened
        self.head = head
    }

    /// A querier over the blocks and the replayed head.
    public func querier() -> any Querier {
        MergeQuerier(opened.map { $0.querier() as any Querier } + [HeadQuerier(head: head)])
    }
}
