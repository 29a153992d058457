import Synchronization
import VigilModel

extension TSDB {
    /// What one ``maintain()`` pass did.
    public struct MaintenanceReport: Sendable, Equatable {
        /// Blocks cut from the head.
        public var headBlocks = 0
        /// Blocks written by compaction.
        public var compactedBlocks = 0
        /// Blocks deleted by retention.
        public var deletedBlocks = 0
        /// Blocks that appeared in the directory since the last pass (`vigil import`) and were loaded.
        public var importedBlocks = 0
        /// Whether the WAL was checkpointed.
        public var checkpointed = false
        /// The head snapshot written, if one was due.
        public var headSnapshot: HeadSnapshotInfo?

        /// Whether the pass found nothing to do.
        public var isEmpty: Bool { self == MaintenanceReport() }
    }

    /// One maintenance pass, as Prometheus's DB does it on its compaction tick. Time-based
    /// retention counts back from the newest sample (the head's max time, else the newest block),
    /// not the wall clock, so backfilled history is not deleted on arrival:
    ///
    /// 1. While the head spans more than 1.5 chunk ranges, persist its oldest full range as a
    ///    block, drop that range from the head, and checkpoint the WAL segments written before the
    ///    cut (their older samples are in the block now).
    /// 2. Compact blocks the ``Compactor`` plans (overlaps first, then adjacent blocks filling a
    ///    range), deleting parents only after the new block is durable and loaded.
    /// 3. Delete blocks past the retention time or beyond the retention size.
    /// 4. Write a head snapshot when one is due (``TSDBOptions/headSnapshots``).
    @discardableResult
    public func maintain() throws(TSDBError) -> MaintenanceReport {
        try maintenanceLock.withLock { _ throws(TSDBError) -> MaintenanceReport in
            var report = MaintenanceReport()
            try loadNewBlocks(&report)
            try cutHeadBlocks(&report)
            try compactBlocks(&report)
            try applyRetention(&report)
            if headSnapshotDue(checkpointed: report.checkpointed) {
                report.headSnapshot = try writeHeadSnapshot()
            }
            return report
        }
    }

    /// Loads block directories written by another process (`vigil import`) since the store opened.
    private func loadNewBlocks(_ report: inout MaintenanceReport) throws(TSDBError) {
        let known = Set(blocks.withLock { $0.map(\.path) })
        for path in try BlockDirectory.blockPaths(in: directory, cleanUp: false) where !known.contains(path) {
            guard let block = try? Block.open(path: path) else { continue }
            blocks.withLock { blocks in
                blocks.append(block)
                blocks.sort { $0.meta.minTime < $1.meta.minTime }
            }
            report.importedBlocks += 1
        }
    }

    private func cutHeadBlocks(_ report: inout MaintenanceReport) throws(TSDBError) {
        let range = options.head.chunkRange
        // Every record in the segments closed before the first snapshot was logged before all of
        // this pass's snapshots, so once the loop is done their samples older than the last cut
        // are in blocks and one checkpoint can drop them.
        let lastClosedSegment = wal.currentSegment - 1
        var persistedUpTo: Int64?
        while head.stats.numSeries > 0, head.maxTime - head.minTime > range * 3 / 2 {
            let mint = head.minTime - ((head.minTime % range) + range) % range
            let maxt = mint + range
            let series = options.persistBlocks ? head.seriesForPersistence(mint: mint, maxt: maxt - 1) : []
            if !series.isEmpty {
                let meta = try BlockWriter.write(directory: directory, mint: mint, maxt: maxt, series: series)
                let block = try Block.open(path: directory + "/" + meta.ulid.description)
                blocks.withLock { blocks in
                    blocks.append(block)
                    blocks.sort { $0.meta.minTime < $1.meta.minTime }
                }
                report.headBlocks += 1
                counters.headCuts.wrappingAdd(1, ordering: .relaxed)
            }
            head.truncate(before: maxt)
            persistedUpTo = maxt
        }
        // The chunks just persisted were freed; hand that memory back rather than keep the
        // resident size at its peak until the allocator reuses it.
        if persistedUpTo != nil { ProcessMemory.returnFreedMemory() }
        if let persistedUpTo, lastClosedSegment >= 0, let first = wal.segmentRange?.lowerBound, first <= lastClosedSegment {
            try wal.checkpoint(upTo: lastClosedSegment, keepSeries: { self.head.series(ref: $0) != nil }, minTime: persistedUpTo)
            report.checkpointed = true
            counters.checkpoints.wrappingAdd(1, ordering: .relaxed)
        }
    }

    private func compactBlocks(_ report: inout MaintenanceReport) throws(TSDBError) {
        while true {
            let current = blocks.withLock { $0 }
            let plan = compactor.plan(current.map(\.meta))
            guard plan.count > 1 || (plan.count == 1 && plan[0].stats.numTombstones > 0) else { return }
            let planned = Set(plan.map(\.ulid))
            let parents = current.filter { planned.contains($0.meta.ulid) }
            let meta: BlockMeta?
            do {
                meta = try compactor.compact(parents, into: directory)
            } catch {
                counters.compactionFailures.wrappingAdd(1, ordering: .relaxed)
                throw error
            }
            let merged = try meta.map { meta throws(TSDBError) in try Block.open(path: directory + "/" + meta.ulid.description) }
            blocks.withLock { blocks in
                blocks.removeAll { planned.contains($0.meta.ulid) }
                if let merged { blocks.append(merged) }
                blocks.sort { $0.meta.minTime < $1.meta.minTime }
            }
            for parent in parents {
                try BlockDirectory.remove(path: parent.path)
            }
            if merged != nil { report.compactedBlocks += 1 }
            counters.compactions.wrappingAdd(1, ordering: .relaxed)
        }
    }

    private func applyRetention(_ report: inout MaintenanceReport) throws(TSDBError) {
        let current = blocks.withLock { $0 }
        let doomed = Set(options.retention.blocksToDelete(
            current.map { ($0.meta, $0.size) }, walSize: wal.walSize + headSnapshotSize, newest: head.stats.numSeries > 0 ? head.maxTime : nil
        ))
        guard !doomed.isEmpty else { return }
        blocks.withLock { $0.removeAll { doomed.contains($0.meta.ulid) } }
        for block in current where doomed.contains(block.meta.ulid) {
            try BlockDirectory.remove(path: block.path)
            report.deletedBlocks += 1
            counters.retentionDeletions.wrappingAdd(1, ordering: .relaxed)
        }
    }
}
