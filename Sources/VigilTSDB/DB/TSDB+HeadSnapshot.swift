import Synchronization

/// Where the WAL stood at the last head snapshot.
struct HeadSnapshotMark: Sendable {
    /// ``WAL/writtenBytes`` when it began.
    var written: UInt64
    /// WAL bytes logged after it by an earlier process (replayed at this start); 0 once this
    /// process has written one.
    var carried: UInt64
    /// Its size in bytes.
    var size: Int64
}

extension TSDB {
    /// The head snapshot's file name inside the store's directory.
    static let headSnapshotName = "head.snapshot"

    /// Where the head snapshot lives.
    var headSnapshotPath: String { directory + "/" + Self.headSnapshotName }

    /// Writes a head snapshot now (it also happens on its own during ``maintain()`` and in
    /// ``close()``): starts a new WAL segment once every running commit has reached the head, then
    /// writes every series' chunks to `head.snapshot`. A restart loads the file and replays only
    /// the segments from that one on. The WAL itself is left whole, so a damaged snapshot costs
    /// a full replay, never data.
    @discardableResult
    public func snapshotHead() throws(TSDBError) -> HeadSnapshotInfo {
        try maintenanceLock.withLock { _ throws(TSDBError) -> HeadSnapshotInfo in try writeHeadSnapshot() }
    }

    /// ``snapshotHead()`` for callers holding the maintenance lock.
    func writeHeadSnapshot() throws(TSDBError) -> HeadSnapshotInfo {
        let writtenBefore = wal.writtenBytes
        let segment = try head.commitGate.closed { () throws(TSDBError) -> Int in try wal.startSegment() }
        do {
            let info = try head.writeSnapshot(to: headSnapshotPath, segment: segment)
            lastHeadSnapshot.withLock { $0 = HeadSnapshotMark(written: writtenBefore, carried: 0, size: info.bytes) }
            counters.headSnapshots.wrappingAdd(1, ordering: .relaxed)
            return info
        } catch {
            counters.headSnapshotFailures.wrappingAdd(1, ordering: .relaxed)
            throw error
        }
    }

    /// Whether maintenance should write a snapshot: the WAL has grown by at least half the last
    /// snapshot's size and by ``TSDBOptions/headSnapshotMinWALBytes``, or a checkpoint just made
    /// the last one stale. So snapshots write at most twice the WAL's bytes, and a restart never
    /// decodes more WAL than half a snapshot (plus one maintenance interval of appends).
    func headSnapshotDue(checkpointed: Bool) -> Bool {
        guard options.headSnapshots, head.stats.numSeries > 0 else { return false }
        let grown = walSinceHeadSnapshot
        if checkpointed && grown > 0 { return true }
        let lastSize = lastHeadSnapshot.withLock { $0.size }
        return grown >= UInt64(max(Int64(options.headSnapshotMinWALBytes), lastSize / 2))
    }

    /// WAL bytes a restart would replay after the last snapshot (before the first one of this
    /// process: also what this process's own start replayed).
    var walSinceHeadSnapshot: UInt64 {
        let mark = lastHeadSnapshot.withLock { $0 }
        return wal.writtenBytes &- mark.written &+ mark.carried
    }

    /// Size of the head snapshot file, 0 when there is none.
    var headSnapshotSize: Int64 {
        max(0, BlockFileSystem.fileSize(headSnapshotPath))
    }

    /// Loads `directory`'s head snapshot into `head` when it can be continued by the WAL: the
    /// segment it was taken at is still there and no checkpoint has replaced it. Returns the
    /// segment to replay from, or nil (then the whole WAL is replayed). A snapshot that cannot be
    /// used is described in `problem`; a damaged one throws `.corruption` and leaves `head` partly
    /// filled: the caller starts over with an empty head.
    static func loadHeadSnapshot(
        into head: Head, directory: String, wal: WAL, problem: inout String?
    ) throws(TSDBError) -> (segment: Int, info: HeadSnapshotInfo)? {
        let path = directory + "/" + headSnapshotName
        guard BlockFileSystem.exists(path) else { return nil }
        let layout = try wal.layout()
        do throws(TSDBError) {
            let segment = try Head.snapshotSegment(at: path)
            if let checkpoint = layout.checkpoint, checkpoint >= segment {
                // A later head cut checkpointed the segments it continues from: stale, not damaged.
                try WALFileSystem.removeFile(path)
                return nil
            }
            guard layout.segments.contains(segment) else {
                problem = "head snapshot \(path): the WAL segment it continues from (\(segment)) is missing"
                try WALFileSystem.removeFile(path)
                return nil
            }
            return (segment, try head.loadSnapshot(from: path))
        } catch where error.kind == .corruption {
            problem = error.message
            try WALFileSystem.removeFile(path)
            throw error
        }
    }
}
