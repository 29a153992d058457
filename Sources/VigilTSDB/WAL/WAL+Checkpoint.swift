#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

extension WAL {
    /// Compacts segments up to `segment` into `checkpoint.NNNNNNNN/` and deletes what it replaces.
    ///
    /// Reads the previous checkpoint (if any) and every segment up to `segment`, keeps the series
    /// records whose ref `keepSeries` accepts, the samples at or after `minTime` of kept series,
    /// and the tombstones of kept series that end at or after `minTime`. Writes them as a WAL-format
    /// directory `checkpoint.NNNNNNNN.tmp/`, fsyncs it, renames it into place, then deletes the
    /// segments ≤ `segment` and older checkpoints. If `segment` is the one being written, a new
    /// segment is cut first. Replay afterwards reads the checkpoint, then the segments after it.
    /// Appends continue while a checkpoint runs; `keepSeries` is called without WAL locks held.
    /// Throws `.corruption` if a source segment is damaged (run `replay` first: it repairs).
    @discardableResult
    public func checkpoint(
        upTo segment: Int, keepSeries: (SeriesRef) -> Bool, minTime: Int64
    ) throws(TSDBError) -> CheckpointStats {
        try maintenance.withLock { _ throws(TSDBError) -> CheckpointStats in
            try checkpointLocked(upTo: segment, keepSeries: keepSeries, minTime: minTime)
        }
    }

    private func checkpointLocked(
        upTo requested: Int, keepSeries: (SeriesRef) -> Bool, minTime: Int64
    ) throws(TSDBError) -> CheckpointStats {
        let last = try state.withLock { state throws(TSDBError) -> Int in
            guard state.file != nil else { throw TSDBError(.closed, "WAL \(directory) is closed") }
            if let failure = state.failure { throw failure }
            let current = state.segment
            if requested >= current { try cutSegment(&state) }
            return min(requested, current)
        }
        let names = try WALFileSystem.list(directory)
        let previous = names.compactMap(WALFileSystem.checkpointIndex).filter { $0 <= last }.max()
        var stats = CheckpointStats(index: last)
        if previous == last { return stats }

        var sources: [(path: String, label: String)] = []
        if let previous {
            let name = WALFileSystem.checkpointPrefix + WALFileSystem.segmentName(previous)
            for index in try WALFileSystem.list(directory + "/" + name).compactMap(WALFileSystem.segmentIndex).sorted() {
                let file = name + "/" + WALFileSystem.segmentName(index)
                sources.append((directory + "/" + file, file))
            }
        }
        for index in names.compactMap(WALFileSystem.segmentIndex).sorted() where index <= last && index > (previous ?? -1) {
            let file = WALFileSystem.segmentName(index)
            sources.append((directory + "/" + file, file))
        }

        let finalName = WALFileSystem.checkpointPrefix + WALFileSystem.segmentName(last)
        let temporary = directory + "/" + finalName + ".tmp"
        try WALFileSystem.removeTree(temporary)
        try WALFileSystem.makeDirectories(temporary)
        var writer = CheckpointWriter(directory: temporary, segmentSize: segmentSize)
        do throws(TSDBError) {
            var kept: [WALRecord] = []
            for source in sources {
                let outcome = try SegmentScanner.scan(path: source.path) { payload, _ throws(WALRecordCodec.DecodeOrHandlerError) in
                    kept.removeAll(keepingCapacity: true)
                    try WALRecordCodec.decodePayload(payload) { record in
                        switch record {
                        case .series(let series):
                            let alive = series.filter { keepSeries($0.ref) }
                            stats.seriesKept += alive.count
                            stats.seriesDropped += series.count - alive.count
                            if !alive.isEmpty { kept.append(.series(alive)) }
                        case .samples(let samples):
                            let recent = samples.filter { $0.timestamp >= minTime && keepSeries($0.ref) }
                            stats.samplesKept += recent.count
                            stats.samplesDropped += samples.count - recent.count
                            if !recent.isEmpty { kept.append(.samples(recent)) }
                        case .tombstones(let tombstones):
                            let live = tombstones.filter { $0.maxt >= minTime && keepSeries($0.ref) }
                            stats.tombstonesKept += live.count
                            stats.tombstonesDropped += tombstones.count - live.count
                            if !live.isEmpty { kept.append(.tombstones(live)) }
                        }
                    }
                    if !kept.isEmpty {
                        do throws(TSDBError) { try writer.append(kept) } catch { throw .handler(error) }
                    }
                }
                if case .damaged(let damage) = outcome {
                    throw TSDBError(.corruption, "WAL checkpoint: \(directory)/\(source.label) offset \(damage.offset): \(damage.reason)")
                }
            }
            stats.bytes = try writer.finish()
            try WALFileSystem.syncDirectory(temporary)
            try WALFileSystem.rename(temporary, directory + "/" + finalName)
            try WALFileSystem.syncDirectory(directory)
        } catch {
            try? WALFileSystem.removeTree(temporary)
            throw error
        }

        // The checkpoint is durable: what it replaces can go. A crash from here on leaves extra
        // files that replay skips and the next checkpoint deletes.
        for name in names {
            if let index = WALFileSystem.segmentIndex(name), index <= last {
                try WALFileSystem.removeFile(directory + "/" + name)
                stats.segmentsDeleted += 1
            } else if let index = WALFileSystem.checkpointIndex(name), index < last {
                try WALFileSystem.removeTree(directory + "/" + name)
            }
        }
        try WALFileSystem.syncDirectory(directory)
        return stats
    }
}

/// Writes frames into a fresh WAL-format directory, buffering them into large writes; syncs on finish.
private struct CheckpointWriter {
    let directory: String
    let segmentSize: Int
    var file: SegmentFile?
    var files: [SegmentFile] = []
    var segmentBytes: Int64 = 0
    var pending: [UInt8] = []
    var total: Int64 = 0

    init(directory: String, segmentSize: Int) {
        self.directory = directory
        self.segmentSize = segmentSize
    }

    mutating func append(_ records: [WALRecord]) throws(TSDBError) {
        let before = pending.count
        WALRecordCodec.appendFrame(records, to: &pending)
        let frameSize = pending.count - before
        if file == nil || (segmentBytes + Int64(before) > SegmentScanner.headerSize
            && segmentBytes + Int64(pending.count) > Int64(segmentSize)) {
            // Flush what fits the current segment, then move this frame into a new one.
            let frame = Array(pending[before...])
            pending.removeSubrange(before...)
            try flush()
            try startSegment()
            pending = frame
        }
        if pending.count >= 1 << 20 || frameSize >= 1 << 20 { try flush() }
    }

    mutating func startSegment() throws(TSDBError) {
        let index = file.map { $0.index + 1 } ?? 0
        let next = try WAL.createSegment(in: directory, index: index, syncDirectory: false)
        files.append(next)
        file = next
        segmentBytes = SegmentScanner.headerSize
        total += SegmentScanner.headerSize
    }

    mutating func flush() throws(TSDBError) {
        guard let file, !pending.isEmpty else { return }
        try WALFileSystem.writeAll(file.fd, pending, at: segmentBytes, path: file.path)
        segmentBytes += Int64(pending.count)
        total += Int64(pending.count)
        pending.removeAll(keepingCapacity: true)
    }

    /// Writes the rest and fsyncs every file; returns the bytes written.
    mutating func finish() throws(TSDBError) -> Int64 {
        if file == nil { try startSegment() }
        try flush()
        for file in files where fsync(file.fd) != 0 {
            throw WALFileSystem.ioError("cannot fsync", file.path)
        }
        return total
    }
}
