import Synchronization
public import VigilModel

extension TSDB {
    /// Deletes the samples of series matching `matchers` in `[mint, maxt]` from the head (logged to
    /// the WAL as tombstones) and every overlapping block (tombstone files); queries stop returning
    /// them at once, and compaction or ``cleanTombstones()`` removes them from disk.
    public func delete(matchers: [LabelMatcher], mint: Int64, maxt: Int64) throws(TSDBError) {
        try head.delete(matchers: matchers, mint: mint, maxt: maxt)
        let overlapping = blocks.withLock { $0.filter { $0.meta.overlaps(mint: mint, maxt: maxt) } }
        for block in overlapping {
            try block.delete(matchers, mint: mint, maxt: maxt)
        }
    }

    /// Rewrites every block that has tombstones without the deleted samples (the admin API's
    /// `clean_tombstones`). The head's tombstones go when the head is next cut into a block.
    public func cleanTombstones() throws(TSDBError) {
        try maintenanceLock.withLock { _ throws(TSDBError) in
            let withTombstones = blocks.withLock { $0.filter { $0.meta.stats.numTombstones > 0 } }
            for block in withTombstones {
                let meta = try compactor.compact([block], into: directory)
                let rewritten = try meta.map { meta throws(TSDBError) in try Block.open(path: directory + "/" + meta.ulid.description) }
                blocks.withLock { blocks in
                    blocks.removeAll { $0.meta.ulid == block.meta.ulid }
                    if let rewritten { blocks.append(rewritten) }
                    blocks.sort { $0.meta.minTime < $1.meta.minTime }
                }
                try BlockDirectory.remove(path: block.path)
            }
        }
    }
}
