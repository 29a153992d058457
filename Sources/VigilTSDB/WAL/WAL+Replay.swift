import Synchronization

extension WAL {
    /// Hands every intact record to `handler` in log order: the newest checkpoint first, then the
    /// segments after it.
    ///
    /// Where a segment is torn or corrupt, replay keeps the records before the damage, reports
    /// the rest as ``WALDamage`` (with a warning), truncates the segment at its last good frame so
    /// the directory is clean for the next replay, and continues with the next segment — later
    /// segments are dropped only as far as they are damaged themselves. Segments the writer is
    /// still appending to are read up to what was written when replay began and never truncated.
    /// `handler` may call `log(_:)`; an error it throws stops the replay and is rethrown.
    ///
    /// With `firstSegment` (a head snapshot's segment), the checkpoint and every segment before
    /// `firstSegment` are skipped: the snapshot holds what they logged.
    @discardableResult
    public func replay(
        from firstSegment: Int? = nil, _ handler: (WALRecord) throws(TSDBError) -> Void
    ) throws(TSDBError) -> ReplayReport {
        try maintenance.withLock { _ throws(TSDBError) -> ReplayReport in
            let (liveSegment, liveBytes) = state.withLock { ($0.segment, $0.segmentBytes) }
            return try Self.replay(
                directory: directory, live: (liveSegment, liveBytes), repair: true, firstSegment: firstSegment, handler
            )
        }
    }

    /// The newest checkpoint's index and the segment indexes present, for deciding whether a
    /// head snapshot taken at a segment can still be continued from the WAL.
    public func layout() throws(TSDBError) -> (checkpoint: Int?, segments: [Int]) {
        let names = try WALFileSystem.list(directory)
        return (names.compactMap(WALFileSystem.checkpointIndex).max(), names.compactMap(WALFileSystem.segmentIndex).sorted())
    }

    /// Reads the WAL in `directory` without opening it for writing and without repairing it:
    /// for inspection tools (`vigil tsdb analyze`, `dump`) that may run beside a live server.
    /// Damage is reported, never truncated; every segment is read to its end.
    @discardableResult
    public static func read(directory: String, _ handler: (WALRecord) throws(TSDBError) -> Void) throws(TSDBError) -> ReplayReport {
        try replay(directory: directory, live: nil, repair: false, firstSegment: nil, handler)
    }

    /// - Parameters:
    ///   - live: the segment the writer is appending to and how far, read only up to there and
    ///     never truncated; `nil` reads every segment to its end.
    ///   - repair: truncate damaged closed segments at their last good frame.
    ///   - firstSegment: skip the checkpoint and the segments before this one.
    private static func replay(
        directory: String, live: (segment: Int, bytes: Int64)?, repair: Bool, firstSegment: Int?,
        _ handler: (WALRecord) throws(TSDBError) -> Void
    ) throws(TSDBError) -> ReplayReport {
        let clock = ContinuousClock()
        let started = clock.now
        var report = ReplayReport()

        let names = try WALFileSystem.list(directory)
        let checkpoint = names.compactMap(WALFileSystem.checkpointIndex).max()
        if let checkpoint, firstSegment == nil {
            report.checkpoint = checkpoint
            let checkpointName = WALFileSystem.checkpointPrefix + WALFileSystem.segmentName(checkpoint)
            let checkpointDirectory = directory + "/" + checkpointName
            let inner = try WALFileSystem.list(checkpointDirectory).compactMap(WALFileSystem.segmentIndex).sorted()
            for index in inner {
                // Checkpoints are immutable and never appended to: report damage, leave the file.
                try replaySegment(
                    path: checkpointDirectory + "/" + WALFileSystem.segmentName(index),
                    label: checkpointName + "/" + WALFileSystem.segmentName(index),
                    index: index, limit: nil, truncate: false, report: &report, handler)
            }
        }

        var previous: Int?
        for index in names.compactMap(WALFileSystem.segmentIndex).sorted() {
            if let checkpoint, index <= checkpoint {
                // Left over from a crash between a checkpoint's rename and its segment deletion.
                continue
            }
            if let live, index > live.segment { continue }
            if let firstSegment, index < firstSegment { continue }
            if let previous, index != previous + 1 {
                report.warnings.append("WAL \(directory): segments \(previous + 1)…\(index - 1) are missing")
            }
            previous = index
            let isLive = index == live?.segment
            try replaySegment(
                path: directory + "/" + WALFileSystem.segmentName(index),
                label: WALFileSystem.segmentName(index),
                index: index, limit: isLive ? live?.bytes : nil, truncate: repair && !isLive, report: &report, handler)
        }
        report.duration = clock.now - started
        return report
    }

    private static func replaySegment(
        path: String, label: String, index: Int, limit: Int64?, truncate: Bool,
        report: inout ReplayReport, _ handler: (WALRecord) throws(TSDBError) -> Void
    ) throws(TSDBError) {
        report.segmentsRead += 1
        var counts = report
        let outcome = try SegmentScanner.scan(path: path, limit: limit) { payload, _ throws(WALRecordCodec.DecodeOrHandlerError) in
            // Decode the whole frame before handing anything over, so a batch is all or nothing.
            var records: [WALRecord] = []
            try WALRecordCodec.decodePayload(payload) { records.append($0) }
            for record in records {
                do throws(TSDBError) { try handler(record) } catch { throw .handler(error) }
                counts.records += 1
                switch record {
                case .series(let series): counts.series += series.count
                case .samples(let samples): counts.samples += samples.count
                case .tombstones(let tombstones): counts.tombstones += tombstones.count
                }
            }
            counts.batches += 1
            counts.bytes += Int64(payload.count + WALRecordCodec.frameHeaderSize)
        }
        report = counts
        guard case .damaged(let damage) = outcome else { return }
        var truncated = false
        if truncate {
            let keep = damage.offset < SegmentScanner.headerSize ? 0 : damage.offset
            try WALFileSystem.truncate(path, to: keep)
            truncated = true
        }
        let entry = WALDamage(
            file: label, segment: index, offset: damage.offset, droppedBytes: damage.droppedBytes,
            reason: damage.reason, torn: damage.torn, truncated: truncated)
        report.damage.append(entry)
        report.warnings.append(entry.description)
    }
}
