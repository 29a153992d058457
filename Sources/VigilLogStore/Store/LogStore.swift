#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
public import Logging
public import VigilLogQL
public import VigilModel
import Synchronization

/// The Loki-compatible log store: streams keyed by tenant and label set, entries in compressed
/// chunks with a label index (postings), per-chunk time ranges and n-gram bloom filters, behind a
/// WAL so an acknowledged push survives SIGKILL.
///
/// ```
/// <directory>/wal/NNNNNNNN     pushes, CRC32C-framed (docs/formats/log-wal.md)
/// <directory>/checkpoint       the segment the last checkpoint started
/// <directory>/chunks/<id>.chunk sealed chunks (docs/formats/log-chunks.md)
/// ```
/// Thread-safe: pushes serialize on an ingest lock (validate, WAL, apply); reads take the state
/// lock only to copy what they need, and decode chunks outside it. Conforms to `LogSource` for
/// the ``LogStoreOptions/defaultTenant``; ``source(tenant:)`` gives other tenants' views.
public final class LogStore: Sendable {
    /// The store's directory.
    public let directory: String
    /// Limits, retention and chunking in force.
    public let options: LogStoreOptions
    /// What opening found: chunks loaded, WAL records replayed, damage cut away.
    public let openReport: OpenReport
    let logger: Logger
    let clock: @Sendable () -> Int64
    let wal: LogWAL
    let state: Mutex<State>
    /// Serializes pushes (validate → WAL → apply) and checkpoints.
    let ingest = Mutex<Void>(())
    let bloomSkipCount = Atomic<Int>(0)

    /// What ``open(directory:options:logger:clock:)`` found.
    public struct OpenReport: Sendable, Equatable {
        /// Chunk files loaded.
        public var chunks = 0
        /// WAL records replayed, and the entries they held.
        public var records = 0
        public var entries = 0
        /// Torn or corrupt WAL tails cut away, one line each.
        public var damage: [String] = []
        /// Chunk files that could not be read and were moved aside (`.corrupt`).
        public var corruptChunks: [String] = []
    }

    struct StreamKey: Hashable {
        var tenant: String
        var labels: Labels
    }

    struct Head {
        var entries: [LogEntry] = []
        var bytes = 0
        var mint = Int64.max
        var maxt = Int64.min
        /// Wall clock (ns) of the first append and of the latest.
        var created: Int64 = 0
        var lastAppend: Int64 = 0

        /// Whether an entry with exactly this time and line is in the head (newest first, where
        /// a re-sent batch finds its match soonest).
        func contains(timestamp: Int64, line: [UInt8]) -> Bool {
            guard timestamp >= mint && timestamp <= maxt else { return false }
            for entry in entries.reversed() where entry.timestamp == timestamp && entry.line == line { return true }
            return false
        }
    }

    struct MemStream {
        var tenant: String
        var labels: Labels
        var head = Head()
        var chunks: [LogChunk] = []
        /// Newest timestamp ever accepted, for the out-of-order window.
        var maxTime = Int64.min
        var limiter: TokenBucket
        var removed = false
        var lastLine: (timestamp: Int64, line: [UInt8])?
    }

    struct State {
        var streams: [MemStream] = []
        var byKey: [StreamKey: Int] = [:]
        /// tenant → label name → value → stream ids, ascending.
        var postings: [String: [String: [String: [Int]]]] = [:]
        var tenantStreams: [String: Int] = [:]
        var tenantLimiters: [String: TokenBucket] = [:]
        var nextChunkID: UInt64 = 1
        var subscribers: [UInt64: Subscriber] = [:]
        var nextSubscriber: UInt64 = 1
        var closed = false
    }

    struct Subscriber {
        var tenant: String
        var continuation: AsyncStream<LogStreamBatch>.Continuation
        var drops: LogTailDrops
    }

    var chunkDirectory: String { directory + "/chunks" }
    var checkpointPath: String { directory + "/checkpoint" }

    private init(
        directory: String, options: LogStoreOptions, logger: Logger, clock: @escaping @Sendable () -> Int64,
        wal: LogWAL, state: State, report: OpenReport
    ) {
        self.directory = directory
        self.options = options
        self.logger = logger
        self.clock = clock
        self.wal = wal
        self.state = Mutex(state)
        self.openReport = report
    }

    /// The wall clock in nanoseconds since the epoch.
    public static func wallClock() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    /// Opens (creating if needed) the store in `directory`: loads chunk metas, then replays the
    /// WAL from the last checkpoint, cutting a torn tail.
    ///
    /// - Parameter clock: nanoseconds since the epoch; tests pass their own.
    public static func open(
        directory: String, options: LogStoreOptions = LogStoreOptions(), logger: Logger = Logger(label: "vigil.logstore"),
        clock: @escaping @Sendable () -> Int64 = LogStore.wallClock
    ) throws(LogStoreError) -> LogStore {
        try FileIO.makeDirectories(directory + "/chunks")
        var report = OpenReport()
        let checkpoint = try readCheckpoint(directory + "/checkpoint")
        var state = State()
        let now = clock()
        // Chunks first: a chunk written by a checkpoint that never completed is still covered by
        // the WAL, so it is deleted rather than loaded twice.
        for name in try FileIO.list(directory + "/chunks") {
            let path = directory + "/chunks/" + name
            if name.hasSuffix(".tmp") { unlink(path); continue }
            guard ChunkFile.id(fromName: name) != nil else { continue }
            let header: ChunkFile.Header
            do {
                header = try ChunkFile.readHeader(path)
            } catch {
                logger.error("Corrupt log chunk moved aside", metadata: ["path": "\(path)", "err": "\(error)"])
                rename(path, path + ".corrupt")
                report.corruptChunks.append(path)
                continue
            }
            if header.checkpoint > checkpoint {
                unlink(path)
                continue
            }
            let id = state.stream(tenant: header.tenant, labels: header.labels, now: now, options: options)
            state.streams[id].chunks.append(header.chunk)
            state.streams[id].maxTime = max(state.streams[id].maxTime, header.chunk.maxt)
            state.nextChunkID = max(state.nextChunkID, header.chunk.id + 1)
            report.chunks += 1
        }
        for index in state.streams.indices { state.streams[index].chunks.sort { $0.mint < $1.mint } }
        let walDirectory = directory + "/wal"
        try FileIO.makeDirectories(walDirectory)
        let damage = try LogWAL.replay(directory: walDirectory, from: Int(checkpoint)) { payload, segment throws(LogStoreError) in
            let record = try LogWALRecord.decode(payload, context: LogWAL.path(walDirectory, segment))
            // A head snapshot of a checkpoint that did not complete repeats entries still in the
            // segments before it.
            if record.kind == .headSnapshot && record.checkpoint != checkpoint { return }
            report.records += 1
            for stream in record.streams {
                let id = state.stream(tenant: stream.tenant, labels: stream.labels, now: now, options: options)
                state.appendToHead(id, stream.entries, now: now)
                report.entries += stream.entries.count
            }
        }
        report.damage = damage.map(\.description)
        for item in damage { logger.warning("Log WAL damage cut away on replay", metadata: ["damage": "\(item)"]) }
        let wal = try LogWAL(directory: walDirectory, segmentSize: options.walSegmentSize, sync: options.walSync)
        try wal.deleteSegments(before: Int(checkpoint))
        let store = LogStore(directory: directory, options: options, logger: logger, clock: clock, wal: wal, state: state, report: report)
        return store
    }

    static func readCheckpoint(_ path: String) throws(LogStoreError) -> UInt64 {
        guard FileIO.fileSize(path) != nil else { return 0 }
        let bytes = try FileIO.readAll(path, limit: 64)
        guard bytes.count == 12 else { throw .io("\(path): expected 12 bytes, found \(bytes.count)") }
        return try withBytes(bytes) { raw throws(LogStoreError) -> UInt64 in
            var source = ByteSource(raw, context: path)
            let value = try source.uint64("checkpoint")
            guard try source.uint32("checksum") == CRC32C.update(0, UnsafeRawBufferPointer(rebasing: raw[0..<8])) else {
                throw .io("\(path): checkpoint fails its checksum")
            }
            return value
        }
    }

    /// Seals every head, writes all chunks, and closes the WAL; the store refuses writes after.
    public func close() throws(LogStoreError) {
        try checkpoint(sealHeads: true)
        let subscribers = ingest.withLock { _ in
            defer { wal.shutDown() }
            return state.withLock { state in
                state.closed = true
                defer { state.subscribers = [:] }
                return Array(state.subscribers.values)
            }
        }
        // Outside the lock: finishing runs each stream's termination handler, which takes it.
        for subscriber in subscribers { subscriber.continuation.finish() }
    }

    /// A read view of `tenant`'s streams.
    public func source(tenant: String) -> TenantLogSource {
        TenantLogSource(store: self, tenant: tenant)
    }
}

extension LogStore.State {
    /// The stream's id, creating it (and its postings) when new.
    mutating func stream(tenant: String, labels: Labels, now: Int64, options: LogStoreOptions) -> Int {
        let key = LogStore.StreamKey(tenant: tenant, labels: labels)
        if let id = byKey[key] { return id }
        let id = streams.count
        streams.append(LogStore.MemStream(tenant: tenant, labels: labels, limiter: TokenBucket(burst: options.perStreamBurst, now: now)))
        byKey[key] = id
        tenantStreams[tenant, default: 0] += 1
        for label in labels {
            postings[tenant, default: [:]][label.name, default: [:]][label.value, default: []].append(id)
        }
        return id
    }

    /// Appends accepted entries to the stream's head, in place (a copy of the stream would copy
    /// the head's array on every push).
    mutating func appendToHead(_ id: Int, _ entries: [LogEntry], now: Int64) {
        guard !entries.isEmpty else { return }
        streams.withUnsafeMutableBufferPointer { all in
            let stream = all.baseAddress! + id
            if stream.pointee.head.entries.isEmpty { stream.pointee.head.created = now }
            stream.pointee.head.lastAppend = now
            var bytes = 0
            var mint = stream.pointee.head.mint
            var maxt = stream.pointee.head.maxt
            for entry in entries {
                bytes += entry.line.count
                mint = min(mint, entry.timestamp)
                maxt = max(maxt, entry.timestamp)
            }
            stream.pointee.head.bytes += bytes
            stream.pointee.head.mint = mint
            stream.pointee.head.maxt = maxt
            stream.pointee.maxTime = max(stream.pointee.maxTime, maxt)
            stream.pointee.head.entries.append(contentsOf: entries)
            if let last = entries.last { stream.pointee.lastLine = (last.timestamp, last.line) }
        }
    }

    /// Seals the stream's head into an in-memory chunk.
    mutating func seal(_ id: Int) {
        guard !streams[id].head.entries.isEmpty else { return }
        let chunk = LogChunk(id: nextChunkID, entries: streams[id].head.entries)
        nextChunkID += 1
        streams[id].head = LogStore.Head()
        let index = streams[id].chunks.firstIndex { $0.mint > chunk.mint } ?? streams[id].chunks.count
        streams[id].chunks.insert(chunk, at: index)
    }

    /// Forgets a stream with no head and no chunks left.
    mutating func removeIfEmpty(_ id: Int) {
        let stream = streams[id]
        guard !stream.removed, stream.head.entries.isEmpty, stream.chunks.isEmpty else { return }
        streams[id].removed = true
        byKey[LogStore.StreamKey(tenant: stream.tenant, labels: stream.labels)] = nil
        tenantStreams[stream.tenant, default: 1] -= 1
        for label in stream.labels {
            postings[stream.tenant]?[label.name]?[label.value]?.removeAll { $0 == id }
            if postings[stream.tenant]?[label.name]?[label.value]?.isEmpty == true {
                postings[stream.tenant]?[label.name]?[label.value] = nil
            }
            if postings[stream.tenant]?[label.name]?.isEmpty == true { postings[stream.tenant]?[label.name] = nil }
        }
    }
}
