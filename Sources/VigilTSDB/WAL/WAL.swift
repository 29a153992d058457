#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The TSDB's write-ahead log: a directory of numbered segment files (`00000000`, `00000001`, …)
/// and at most one live checkpoint directory (`checkpoint.NNNNNNNN/`). Format: docs/formats/wal.md.
///
/// Each `log(_:)` call becomes one checksummed frame written with one pwrite, so a batch replays
/// whole or not at all. Thread-safe: batches from concurrent callers serialize on one lock, and
/// with `.always` concurrent callers share fdatasyncs. Opening always starts a new segment, so
/// nothing is ever appended after a possibly torn tail. Call `close()` when done (it stops the
/// background flusher of `.interval` and syncs).
public final class WAL: WriteAheadLog, Sendable {
    /// The default segment size: 128 MiB, as in Prometheus.
    public static let defaultSegmentSize = 128 << 20

    /// The WAL directory.
    public let directory: String
    /// A segment is cut when the next batch would take it past this many bytes (a single batch
    /// larger than this gets a segment of its own).
    public let segmentSize: Int
    /// When appends are forced to stable storage.
    public let syncPolicy: SyncPolicy

    struct State {
        var file: SegmentFile?
        var segmentBytes: Int64
        /// Bytes written through this instance, across segments; a monotonic position.
        var written: UInt64 = 0
        /// Frames accepted under `.always` but not yet written: the next sync leader writes them
        /// all with one pwrite, so appenders never queue behind an fdatasync in the kernel.
        var queued: [[UInt8]] = []
        /// `written` plus the bytes of `queued`.
        var accepted: UInt64 = 0
        /// Reused buffer that joins queued frames into one write.
        var scratch: [UInt8] = []
        /// Set after a failed fsync or an unrepairable write: the WAL no longer promises anything.
        var failure: TSDBError?
        var segment: Int
    }

    let state: Mutex<State>
    /// The `written` position known to be on stable storage. Locked before `state`, never after.
    let synced = Mutex<UInt64>(0)
    /// Serializes replay and checkpoint, which read and delete whole files.
    let maintenance = Mutex<Void>(())
    let flusher = Mutex<IntervalFlusher?>(nil)
    let dataSyncs = Atomic<Int>(0)

    /// Opens (creating if needed) the WAL in `directory` and starts a new segment after the last.
    ///
    /// - Parameters:
    ///   - segmentSize: bytes per segment before a new one is cut; at least 64 KiB.
    ///   - syncPolicy: durability of `log(_:)`; `.always` by default.
    public init(directory: String, segmentSize: Int = WAL.defaultSegmentSize, syncPolicy: SyncPolicy = .always) throws(TSDBError) {
        self.directory = directory
        self.segmentSize = max(segmentSize, 64 << 10)
        self.syncPolicy = syncPolicy
        try WALFileSystem.makeDirectories(directory)
        var next = 0
        for name in try WALFileSystem.list(directory) {
            if let index = WALFileSystem.segmentIndex(name) {
                next = max(next, index + 1)
            } else if let index = WALFileSystem.checkpointIndex(name) {
                next = max(next, index + 1)
            } else if name.hasPrefix(WALFileSystem.checkpointPrefix) && name.hasSuffix(".tmp") {
                // A checkpoint interrupted before its rename: never complete, never read.
                try WALFileSystem.removeTree(directory + "/" + name)
            }
        }
        let file = try WAL.createSegment(in: directory, index: next, syncDirectory: syncPolicy != .never)
        state = Mutex(State(file: file, segmentBytes: SegmentScanner.headerSize, segment: next))
        if case .interval(let interval) = syncPolicy {
            flusher.withLock {
                $0 = IntervalFlusher(interval: interval) { [weak self] in
                    guard let self else { return false }
                    try? self.sync()
                    return true
                }
            }
        }
    }

    deinit {
        flusher.withLock { $0?.stop(join: false) }
    }

    // MARK: Appending

    /// Appends `records` as one frame, then syncs per ``syncPolicy``.
    ///
    /// The batch replays whole or not at all. Throws `.closed` after `close()`, `.io` when the
    /// write or sync failed; after a failed sync every later call throws that error, because the
    /// kernel may have dropped the dirty pages and a retry could report false success.
    public func log(_ records: [WALRecord]) throws(TSDBError) {
        guard !records.isEmpty else { return }
        var frame: [UInt8] = []
        frame.reserveCapacity(WAL.estimatedSize(records))
        WALRecordCodec.appendFrame(records, to: &frame)
        if syncPolicy == .always {
            let end = try state.withLock { state throws(TSDBError) -> UInt64 in
                guard state.file != nil else { throw TSDBError(.closed, "WAL \(directory) is closed") }
                if let failure = state.failure { throw failure }
                state.accepted += UInt64(frame.count)
                state.queued.append(frame)
                return state.accepted
            }
            try sync(upTo: end)
        } else {
            _ = try append(frame)
        }
    }

    /// Appends `records` as one frame with write(2) and returns without waiting for a sync, even
    /// under `.always`: the next synced batch, the interval flusher or `close()` makes it durable.
    /// For writes nobody is waiting to hear are durable (scrapes, rule evaluations).
    public func logBuffered(_ records: [WALRecord]) throws(TSDBError) {
        guard !records.isEmpty else { return }
        var frame: [UInt8] = []
        frame.reserveCapacity(WAL.estimatedSize(records))
        WALRecordCodec.appendFrame(records, to: &frame)
        _ = try append(frame)
    }

    /// Writes every queued frame, cutting segments where needed, in as few pwrites as possible.
    /// A failure poisons the WAL: the frames were other callers', and they must not be told
    /// their batches are durable.
    func writeQueued(_ state: inout State) throws(TSDBError) {
        guard !state.queued.isEmpty else { return }
        let frames = state.queued
        state.queued.removeAll(keepingCapacity: true)
        state.scratch.removeAll(keepingCapacity: true)
        do throws(TSDBError) {
            for frame in frames {
                let pending = state.segmentBytes + Int64(state.scratch.count)
                if pending > SegmentScanner.headerSize && pending + Int64(frame.count) > Int64(segmentSize) {
                    try flushScratch(&state)
                    try cutSegment(&state)
                }
                state.scratch.append(contentsOf: frame)
            }
            try flushScratch(&state)
        } catch {
            state.failure = error
            throw error
        }
        if state.scratch.capacity > 16 << 20 { state.scratch = [] }
    }

    private func flushScratch(_ state: inout State) throws(TSDBError) {
        guard !state.scratch.isEmpty, let file = state.file else { return }
        do throws(TSDBError) {
            try WALFileSystem.writeAll(file.fd, state.scratch, at: state.segmentBytes, path: file.path)
        } catch {
            _ = ftruncate(file.fd, off_t(state.segmentBytes))
            throw error
        }
        state.segmentBytes += Int64(state.scratch.count)
        state.written += UInt64(state.scratch.count)
        state.scratch.removeAll(keepingCapacity: true)
    }

    /// Writes one encoded frame, cutting a segment first when needed; returns the end position.
    func append(_ frame: [UInt8]) throws(TSDBError) -> UInt64 {
        try state.withLock { state throws(TSDBError) -> UInt64 in
            guard let file = state.file else { throw TSDBError(.closed, "WAL \(directory) is closed") }
            if let failure = state.failure { throw failure }
            if state.segmentBytes > SegmentScanner.headerSize && state.segmentBytes + Int64(frame.count) > Int64(segmentSize) {
                try cutSegment(&state)
            }
            let target = state.file ?? file
            do throws(TSDBError) {
                try WALFileSystem.writeAll(target.fd, frame, at: state.segmentBytes, path: target.path)
            } catch {
                // A partial frame would hide every later frame of this segment from replay.
                if ftruncate(target.fd, off_t(state.segmentBytes)) != 0 {
                    state.failure = TSDBError(.io, "WAL: \(error.message); removing the partial frame failed too: \(WALFileSystem.errorMessage(errno))")
                }
                throw error
            }
            state.segmentBytes += Int64(frame.count)
            state.written += UInt64(frame.count)
            state.accepted += UInt64(frame.count)
            return state.written
        }
    }

    /// Starts a new segment unless the current one holds no record yet, and returns the index of
    /// the segment now being written: every record logged before this call lies in an earlier
    /// segment. The closed segment is synced (unless `.never`).
    func startSegment() throws(TSDBError) -> Int {
        try state.withLock { state throws(TSDBError) -> Int in
            guard state.file != nil else { throw TSDBError(.closed, "WAL \(directory) is closed") }
            if let failure = state.failure { throw failure }
            try writeQueued(&state)
            if state.segmentBytes > SegmentScanner.headerSize { try cutSegment(&state) }
            return state.segment
        }
    }

    /// Closes the current segment (synced unless `.never`) and starts the next.
    func cutSegment(_ state: inout State) throws(TSDBError) {
        if let old = state.file, syncPolicy != .never, WALFileSystem.dataSync(old.fd) != 0 {
            let error = WALFileSystem.ioError("cannot fdatasync", old.path)
            state.failure = error
            throw error
        }
        let next = state.segment + 1
        state.file = try WAL.createSegment(in: directory, index: next, syncDirectory: syncPolicy != .never)
        state.segment = next
        state.segmentBytes = SegmentScanner.headerSize
    }

    static func createSegment(in directory: String, index: Int, syncDirectory: Bool) throws(TSDBError) -> SegmentFile {
        let path = directory + "/" + WALFileSystem.segmentName(index)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WALFileSystem.ioError("cannot create segment", path) }
        let file = SegmentFile(fd: fd, path: path, index: index)
        try WALFileSystem.writeAll(fd, SegmentScanner.header, at: 0, path: path)
        if syncDirectory { try WALFileSystem.syncDirectory(directory) }
        return file
    }

    static func estimatedSize(_ records: [WALRecord]) -> Int {
        var size = WALRecordCodec.frameHeaderSize
        for record in records {
            switch record {
            case .series(let series):
                size += 8 + series.count * 64
            case .samples(let samples):
                size += 8 + samples.count * 14
            case .tombstones(let tombstones):
                size += 8 + tombstones.count * 24
            }
        }
        return size
    }

    // MARK: Syncing

    /// Forces everything written so far to stable storage.
    public func sync() throws(TSDBError) {
        let end = state.withLock { $0.accepted }
        try sync(upTo: end)
    }

    /// Group commit: whoever holds `synced` is the leader: it writes every queued frame and
    /// syncs everything written so far, so callers that queued meanwhile find their bytes durable
    /// and return without a syscall, or lead the next round together.
    func sync(upTo end: UInt64) throws(TSDBError) {
        try synced.withLock { synced throws(TSDBError) in
            if synced >= end { return }
            let (file, position) = try state.withLock { state throws(TSDBError) -> (SegmentFile?, UInt64) in
                if let failure = state.failure { throw failure }
                try writeQueued(&state)
                return (state.file, state.written)
            }
            // Earlier segments were synced when they were cut; a closed WAL synced on close.
            dataSyncs.add(1, ordering: .relaxed)
            if let file, WALFileSystem.dataSync(file.fd) != 0 {
                let error = WALFileSystem.ioError("cannot fdatasync", file.path)
                state.withLock { $0.failure = error }
                throw error
            }
            synced = position
        }
    }

    /// Syncs and closes the current segment and stops the background flusher. Idempotent.
    public func close() throws(TSDBError) {
        flusher.withLock {
            $0?.stop(join: true)
            $0 = nil
        }
        try synced.withLock { synced throws(TSDBError) in
            try state.withLock { state throws(TSDBError) in
                guard let file = state.file else { return }
                if state.failure == nil { try writeQueued(&state) }
                state.file = nil
                if state.failure == nil, WALFileSystem.dataSync(file.fd) != 0 {
                    throw WALFileSystem.ioError("cannot fdatasync", file.path)
                }
                synced = state.written
            }
        }
    }

    // MARK: Self-metrics

    /// fdatasync calls made for appended data (cut segments and close excluded); with `.always`
    /// and concurrent callers this is below the number of batches because callers share syncs.
    public var syncCount: Int { dataSyncs.load(ordering: .relaxed) }

    /// Bytes logged through this instance so far, across segments (a position that only grows).
    public var writtenBytes: UInt64 { state.withLock { $0.written } }

    /// The segment `log(_:)` currently writes to.
    public var currentSegment: Int { state.withLock { $0.segment } }

    /// The first and last segment on disk (checkpoints excluded), or nil if there are none.
    public var segmentRange: ClosedRange<Int>? {
        let indexes = ((try? WALFileSystem.list(directory)) ?? []).compactMap(WALFileSystem.segmentIndex)
        guard let first = indexes.min(), let last = indexes.max() else { return nil }
        return first...last
    }

    /// Number of segment files (checkpoints excluded).
    public var segmentCount: Int {
        ((try? WALFileSystem.list(directory)) ?? []).lazy.compactMap(WALFileSystem.segmentIndex).count
    }

    /// Bytes on disk: segments plus checkpoint directories.
    public var walSize: Int64 {
        var total: Int64 = 0
        for name in (try? WALFileSystem.list(directory)) ?? [] {
            let path = directory + "/" + name
            if WALFileSystem.segmentIndex(name) != nil {
                total += WALFileSystem.size(path) ?? 0
            } else if WALFileSystem.checkpointIndex(name) != nil {
                for inner in (try? WALFileSystem.list(path)) ?? [] { total += WALFileSystem.size(path + "/" + inner) ?? 0 }
            }
        }
        return total
    }
}
