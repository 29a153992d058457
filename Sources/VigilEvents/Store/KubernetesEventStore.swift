public import Foundation
import VigilModel

/// What to look for in the event store; every set field must match.
public struct KubernetesEventQuery: Sendable, Hashable {
    /// The event's namespace.
    public var namespace: String?
    /// The kind of the involved object.
    public var kind: String?
    /// The name of the involved object.
    public var object: String?
    /// The reason.
    public var reason: String?
    /// `Normal` or `Warning`.
    public var type: String?
    /// Earliest last-seen time, ms since the epoch (inclusive).
    public var start: Int64?
    /// Latest last-seen time, ms since the epoch (inclusive).
    public var end: Int64?
    /// Most results: the newest `limit`, returned oldest first.
    public var limit: Int

    /// A query; nil fields match anything.
    public init(
        namespace: String? = nil, kind: String? = nil, object: String? = nil, reason: String? = nil, type: String? = nil,
        start: Int64? = nil, end: Int64? = nil, limit: Int = 1000
    ) {
        self.namespace = namespace
        self.kind = kind
        self.object = object
        self.reason = reason
        self.type = type
        self.start = start
        self.end = end
        self.limit = max(limit, 0)
    }

    func matches(_ record: KubernetesEventRecord) -> Bool {
        if let namespace, record.namespace != namespace { return false }
        if let kind, record.kind != kind { return false }
        if let object, record.objectName != object { return false }
        if let reason, record.reason != reason { return false }
        if let type, record.type != type { return false }
        let time = record.lastSeenMilliseconds ?? 0
        if let start, time < start { return false }
        if let end, time > end { return false }
        return true
    }
}

/// Events kept on disk far beyond the API server's hour: one JSON-lines file per UTC day
/// (`events-YYYY-MM-DD.jsonl`, by the event's last-seen time), whole days deleted once they are
/// older than the retention. A torn last line (a crash mid-write) is skipped when read.
public actor KubernetesEventStore {
    /// The directory holding the day files.
    public let directory: URL
    /// How long events are kept, in milliseconds.
    public let retentionMilliseconds: Int64
    /// Lines that could not be read back (torn or corrupt), since start.
    public private(set) var unreadableLines = 0

    static let maxLineBytes = 1 << 20
    static let dayMilliseconds: Int64 = 86_400_000

    /// A store in `directory` (created if missing) keeping events for `retention`.
    public init(directory: URL, retention: Duration = .seconds(30 * 86_400)) throws {
        self.directory = directory
        let (seconds, attoseconds) = retention.components
        retentionMilliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    static func day(_ milliseconds: Int64) -> String { String(RFC3339.format(milliseconds: milliseconds).prefix(10)) }

    func file(day: String) -> URL { directory.appendingPathComponent("events-\(day).jsonl") }

    /// Appends `records`, each to its day's file; events without a time go under `now`.
    public func append(_ records: [KubernetesEventRecord], now: Int64) throws {
        var byDay: [String: Data] = [:]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for record in records {
            var line = try encoder.encode(record)
            line.append(UInt8(ascii: "\n"))
            byDay[Self.day(record.lastSeenMilliseconds ?? now), default: Data()].append(line)
        }
        for (day, data) in byDay {
            let url = file(day: day)
            if !FileManager.default.fileExists(atPath: url.path) {
                _ = FileManager.default.createFile(atPath: url.path, contents: nil)
            }
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: data)
        }
    }

    /// Deletes the day files wholly older than the retention at `now`; returns how many.
    @discardableResult
    public func enforceRetention(now: Int64) throws -> Int {
        let oldest = Self.day(now - retentionMilliseconds)
        var removed = 0
        for (day, url) in try days() where day < oldest {
            try FileManager.default.removeItem(at: url)
            removed += 1
        }
        return removed
    }

    /// The day files, by day, oldest first.
    func days() throws -> [(String, URL)] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).compactMap { name -> (String, URL)? in
            guard name.hasPrefix("events-"), name.hasSuffix(".jsonl") else { return nil }
            let day = String(name.dropFirst("events-".count).dropLast(".jsonl".count))
            return (day, directory.appendingPathComponent(name))
        }.sorted { $0.0 < $1.0 }
    }

    /// The newest `query.limit` matching events, oldest first; only the days the time range
    /// touches are read.
    public func search(_ query: KubernetesEventQuery) throws -> [KubernetesEventRecord] {
        let first = query.start.map(Self.day)
        let last = query.end.map(Self.day)
        var found: [KubernetesEventRecord] = []
        let decoder = JSONDecoder()
        for (day, url) in try days().reversed() {
            if let last, day > last { continue }
            if let first, day < first { break }
            var matching: [KubernetesEventRecord] = []
            let data = try Data(contentsOf: url)
            for line in data.split(separator: UInt8(ascii: "\n")) {
                guard line.count <= Self.maxLineBytes, let record = try? decoder.decode(KubernetesEventRecord.self, from: line) else {
                    unreadableLines += 1
                    continue
                }
                if query.matches(record) { matching.append(record) }
            }
            found = matching + found
            if found.count >= query.limit { break }
        }
        found.sort { ($0.lastSeenMilliseconds ?? 0) < ($1.lastSeenMilliseconds ?? 0) }
        return Array(found.suffix(query.limit))
    }
}

/// The store as a sink: every notification is kept.
public struct KubernetesEventStoreSink: KubernetesEventSink {
    /// `store`.
    public let name = "store"
    let store: KubernetesEventStore
    let now: @Sendable () -> Int64

    /// A sink appending to `store`.
    public init(store: KubernetesEventStore, now: @escaping @Sendable () -> Int64 = { currentMilliseconds() }) {
        self.store = store
        self.now = now
    }

    /// Appends the batch.
    public func send(_ notifications: [KubernetesEventNotification]) async throws {
        try await store.append(notifications.map(\.record), now: now())
    }
}
