public import VigilModel
import Synchronization

/// The metrics store as the rest of Vigil sees it: a directory holding the WAL (`wal/`) and the
/// persisted blocks (`<ULID>/`), the in-memory head, and the two seams, ``appender()`` and
/// ``querier()``.
///
/// Opening loads the blocks (moving a corrupt one aside as `<ULID>.corrupted`) and replays the WAL
/// into the head, so every append acknowledged before a crash is back before the first query or
/// append. ``maintain()`` cuts the head into blocks, compacts and applies retention.
/// Thread-safe: appenders and queriers may be used from any task.
public final class TSDB: Sendable {
    /// The directory this store owns (`<data-dir>/metrics`).
    public let directory: String
    /// The in-memory head: recent samples, postings, out-of-order buffers.
    public let head: Head
    /// The write-ahead log every commit goes through first.
    public let wal: WAL
    /// What replay found on open: records, samples, time taken, and any damage it cut away.
    public let replayReport: ReplayReport
    /// Blocks found corrupt on open and moved aside, with the reason.
    public let quarantined: [(path: String, reason: String)]
    let options: TSDBOptions
    let compactor: Compactor
    let blocks: Mutex<[Block]>
    /// Serialises maintenance (head cuts, compaction, retention); queries and appends go on.
    let maintenanceLock = Mutex(())
    let counters = MaintenanceCounters()
    /// Where the WAL stood when the last head snapshot began, and how big it was.
    let lastHeadSnapshot: Mutex<HeadSnapshotMark>

    private init(
        directory: String, options: TSDBOptions, head: Head, wal: WAL, blocks: [Block],
        replayReport: ReplayReport, quarantined: [(path: String, reason: String)]
    ) {
        self.directory = directory
        self.options = options
        self.head = head
        self.wal = wal
        self.blocks = Mutex(blocks)
        self.replayReport = replayReport
        // What this start replayed from the WAL is what the next start would replay too, until
        // a snapshot is written.
        lastHeadSnapshot = Mutex(HeadSnapshotMark(
            written: 0, carried: UInt64(max(0, replayReport.bytes)), size: replayReport.snapshot?.bytes ?? 0))
        self.quarantined = quarantined
        let maxBlockDuration = min(31 * 86_400_000, max(options.retention.duration / 10, options.head.chunkRange))
        compactor = Compactor(
            ranges: Compactor.exponentialBlockRanges(minSize: options.head.chunkRange, steps: 10, stepSize: 3),
            maxBlockDuration: maxBlockDuration
        )
    }

    /// Opens (creating if needed) the store in `directory`: loads its blocks and replays its WAL.
    ///
    /// A torn or corrupt WAL tail is cut at the last good record and reported in
    /// ``replayReport``; a corrupt block is moved aside and reported in ``quarantined``. Neither
    /// fails the open.
    public static func open(directory: String, options: TSDBOptions = TSDBOptions()) throws(TSDBError) -> TSDB {
        let wal = try WAL(
            directory: directory + "/wal", segmentSize: options.walSegmentSize, syncPolicy: options.walSync
        )
        var blocks: [Block] = []
        var quarantined: [(path: String, reason: String)] = []
        for path in try BlockDirectory.blockPaths(in: directory) {
            do {
                blocks.append(try Block.open(path: path))
            } catch where error.kind == .corruption {
                let moved = try BlockDirectory.quarantine(path: path)
                quarantined.append((moved, error.message))
            }
        }
        let superseded = BlockDirectory.superseded(blocks.map(\.meta))
        for block in blocks where superseded.contains(block.meta.ulid) {
            try BlockDirectory.remove(path: block.path)
        }
        blocks.removeAll { superseded.contains($0.meta.ulid) }
        blocks.sort { $0.meta.minTime < $1.meta.minTime }

        // Samples older than the newest block's end are persisted already (the head refused such
        // samples once that block was cut), so neither the snapshot nor replay may bring them
        // back into the head.
        let persistedUpTo = blocks.map(\.meta.maxTime).max()
        func emptyHead() -> Head {
            let head = Head(options: options.head, wal: wal)
            if let persistedUpTo { head.truncate(before: persistedUpTo) }
            return head
        }
        let clock = ContinuousClock()
        let started = clock.now
        var head = emptyHead()
        var snapshotProblem: String?
        var snapshot: (segment: Int, info: HeadSnapshotInfo)?
        if options.headSnapshots {
            do {
                snapshot = try loadHeadSnapshot(into: head, directory: directory, wal: wal, problem: &snapshotProblem)
                if let persistedUpTo, snapshot != nil { head.truncate(before: persistedUpTo) }
            } catch {
                // Damaged or unreadable: the WAL still holds everything, so replay all of it.
                snapshotProblem = snapshotProblem ?? error.message
                head = emptyHead()
            }
        } else if BlockFileSystem.exists(directory + "/" + headSnapshotName) {
            try WALFileSystem.removeFile(directory + "/" + headSnapshotName)
        }
        let replay = ParallelReplay(head: head)
        var report: ReplayReport
        do {
            report = try wal.replay(from: snapshot?.segment) { record in replay.apply(record) }
            replay.finish()
            // Decoding the WAL allocated and freed its size many times over.
            ProcessMemory.returnFreedMemory()
        } catch {
            replay.finish()
            throw error
        }
        report.snapshot = snapshot?.info
        report.snapshotProblem = snapshotProblem
        report.duration = clock.now - started
        return TSDB(
            directory: directory, options: options, head: head, wal: wal, blocks: blocks,
            replayReport: report, quarantined: quarantined
        )
    }

    /// A batch appender: `append` buffers and validates, `commit` logs to the WAL then applies.
    public func appender() -> HeadAppender {
        head.appender()
    }

    /// A querier over the head and every block overlapping `[mint, maxt]`; series present in
    /// several are merged sample by sample.
    public func querier(mint: Int64 = .min, maxt: Int64 = .max) -> any Querier {
        let overlapping = blocks.withLock { blocks in
            blocks.filter { $0.meta.overlaps(mint: mint, maxt: maxt) }
        }
        if overlapping.isEmpty { return HeadQuerier(head: head) }
        return MergeQuerier(overlapping.map { $0.querier() as any Querier } + [HeadQuerier(head: head)])
    }

    /// The persisted blocks, oldest first.
    public var blockMetas: [BlockMeta] {
        blocks.withLock { $0.map(\.meta) }
    }

    /// Writes a head snapshot (when enabled and the WAL grew since the last one), then flushes
    /// and closes the WAL; appends after this fail with `.closed` or `.io`. A failed snapshot
    /// only costs the next start a longer replay.
    public func close() throws(TSDBError) {
        maintenanceLock.withLock { _ in
            if options.headSnapshots, head.stats.numSeries > 0, walSinceHeadSnapshot > 0 {
                _ = try? writeHeadSnapshot()
            }
        }
        try wal.close()
    }
}

/// Counts of what maintenance did, for self-metrics.
final class MaintenanceCounters: Sendable {
    let headCuts = Atomic<Int>(0)
    let compactions = Atomic<Int>(0)
    let compactionFailures = Atomic<Int>(0)
    let retentionDeletions = Atomic<Int>(0)
    let checkpoints = Atomic<Int>(0)
    let headSnapshots = Atomic<Int>(0)
    let headSnapshotFailures = Atomic<Int>(0)
}
