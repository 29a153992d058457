import Synchronization
public import VigilLogQL
public import VigilModel

/// What a push stored and what it refused.
public struct PushResult: Sendable, Equatable {
    /// Entries stored.
    public var accepted = 0
    /// Entries refused, each error naming its stream; the rest of the push was stored.
    public var errors: [LogStoreError] = []

    /// An empty result.
    public init() {}

    /// 204 when everything was stored; 429 when a refusal was a rate or stream limit; else 400.
    public var httpStatus: Int {
        if errors.isEmpty { return 204 }
        return errors.contains { $0.isRateLimit } ? 429 : 400
    }

    /// Loki's plain-text error body: one message per line.
    public var message: String {
        errors.map(\.message).joined(separator: "\n")
    }
}

extension LogStore {
    /// Stores `request` for `tenant` (the default tenant when nil): the push API's and the log
    /// pipeline's in-process appender.
    ///
    /// Entries are validated (line size, age, future, out-of-order window, label limits) and
    /// rate-limited per stream; refused ones are reported in the result and the rest stored. The
    /// accepted entries are in the WAL (fdatasync'd when `walSync`) before this returns.
    /// - Throws: a 429 ``LogStoreError`` when the tenant's ingestion rate is exceeded (nothing is
    ///   stored), or an I/O error when the WAL write failed (nothing is acknowledged).
    @discardableResult
    public func push(_ request: PushRequest, tenant: String? = nil) throws(LogStoreError) -> PushResult {
        let tenant = tenant ?? options.defaultTenant
        var result = PushResult()
        try ingest.withLock { _ throws(LogStoreError) in
            let now = clock()
            var accepted: [LogWALRecord.Stream] = []
            try state.withLock { state throws(LogStoreError) in
                guard !state.closed else { throw LogStoreError(.closed, "the log store is closed") }
                let bytes = request.lineBytes
                var bucket = state.tenantLimiters[tenant] ?? TokenBucket(burst: options.ingestionBurst, now: now)
                guard bucket.take(bytes, rate: options.ingestionRate, burst: options.ingestionBurst, now: now) else {
                    state.tenantLimiters[tenant] = bucket
                    throw LogStoreError(.rateLimited,
                        "Ingestion rate limit exceeded for user \(tenant) (limit: \(options.ingestionRate) bytes/sec) while attempting to ingest '\(request.entryCount)' lines totaling '\(bytes)' bytes, reduce log volume or contact your Loki administrator to see if the limit can be increased")
                }
                state.tenantLimiters[tenant] = bucket
                var newStreams = Set<Labels>()
                var pendingMax: [Labels: Int64] = [:]
                for stream in request.streams {
                    if let error = validateLabels(stream.labels) {
                        result.errors.append(error)
                        continue
                    }
                    let key = StreamKey(tenant: tenant, labels: stream.labels)
                    let existing = state.byKey[key]
                    if existing == nil && !newStreams.contains(stream.labels) {
                        let count = (state.tenantStreams[tenant] ?? 0) + newStreams.count
                        if options.maxStreamsPerTenant > 0 && count >= options.maxStreamsPerTenant {
                            result.errors.append(LogStoreError(.rateLimited,
                                "Maximum active stream limit exceeded when trying to create stream \(stream.labels), reduce the number of active streams (reduce labels or reduce label values), or contact your Loki administrator to see if the limit can be increased, user: '\(tenant)'"))
                            continue
                        }
                        newStreams.insert(stream.labels)
                    }
                    var newest = pendingMax[stream.labels] ?? existing.map { state.streams[$0].maxTime } ?? .min
                    var kept: [LogEntry] = []
                    kept.reserveCapacity(stream.entries.count)
                    var keptBytes = 0
                    var lastLine = existing.flatMap { state.streams[$0].lastLine }
                    for entry in stream.entries {
                        if let error = validate(entry, stream: stream.labels, newest: newest, now: now) {
                            result.errors.append(error)
                            continue
                        }
                        // Loki drops an exact repeat of the stream's previous line silently.
                        if let last = lastLine, last.timestamp == entry.timestamp, last.line == entry.line { continue }
                        // …and, as its unordered head block does, of any (timestamp, line) the head
                        // still holds: a batch a shipper re-sends after a crash is stored once.
                        if let existing, entry.timestamp <= state.streams[existing].head.maxt,
                            state.streams[existing].head.contains(timestamp: entry.timestamp, line: entry.line)
                        {
                            continue
                        }
                        lastLine = (entry.timestamp, entry.line)
                        newest = max(newest, entry.timestamp)
                        kept.append(entry)
                        keptBytes += entry.line.count
                    }
                    guard !kept.isEmpty else { continue }
                    if let existing {
                        var limiter = state.streams[existing].limiter
                        let allowed = limiter.take(keptBytes, rate: options.perStreamRate, burst: options.perStreamBurst, now: now)
                        state.streams[existing].limiter = limiter
                        guard allowed else {
                            result.errors.append(LogStoreError(.rateLimited,
                                "Per stream rate limit exceeded (limit: \(ByteCount.format(options.perStreamRate))/sec) while attempting to ingest for stream '\(stream.labels)' totaling \(ByteCount.format(keptBytes)), consider splitting a stream via additional labels or contact your Loki administrator to see if the limit can be increased"))
                            continue
                        }
                    } else if options.perStreamRate > 0 && keptBytes > max(options.perStreamBurst, options.perStreamRate) {
                        result.errors.append(LogStoreError(.rateLimited,
                            "Per stream rate limit exceeded (limit: \(ByteCount.format(options.perStreamRate))/sec) while attempting to ingest for stream '\(stream.labels)' totaling \(ByteCount.format(keptBytes)), consider splitting a stream via additional labels or contact your Loki administrator to see if the limit can be increased"))
                        continue
                    }
                    pendingMax[stream.labels] = newest
                    accepted.append(LogWALRecord.Stream(tenant: tenant, labels: stream.labels, entries: kept))
                }
            }
            guard !accepted.isEmpty else { return }
            try wal.log(LogWALRecord(kind: .push, checkpoint: 0, streams: accepted).encoded())
            var batches: [LogStreamBatch] = []
            state.withLock { state in
                for stream in accepted {
                    let isNew = state.byKey[StreamKey(tenant: tenant, labels: stream.labels)] == nil
                    let id = state.stream(tenant: tenant, labels: stream.labels, now: now, options: options)
                    if isNew {
                        // A new stream's first push counts against its own bucket too.
                        _ = state.streams[id].limiter.take(
                            stream.entries.reduce(0) { $0 + $1.line.count }, rate: options.perStreamRate,
                            burst: options.perStreamBurst, now: now)
                    }
                    state.appendToHead(id, stream.entries, now: now)
                    result.accepted += stream.entries.count
                    if state.streams[id].head.bytes >= options.chunkTargetSize { state.seal(id) }
                }
                if state.subscribers.values.contains(where: { $0.tenant == tenant }) {
                    batches = accepted.map { LogStreamBatch(labels: $0.labels, entries: $0.entries) }
                    for subscriber in state.subscribers.values where subscriber.tenant == tenant {
                        for batch in batches {
                            if case .dropped(let lost) = subscriber.continuation.yield(batch) { subscriber.drops.record(lost) }
                        }
                    }
                }
            }
        }
        if wal.totalBytes() > options.checkpointWALSize {
            try checkpoint(sealHeads: false)
        }
        return result
    }

    func validateLabels(_ labels: Labels) -> LogStoreError? {
        if options.maxLabelNamesPerStream > 0 && labels.count > options.maxLabelNamesPerStream {
            return .badRequest("entry for stream '\(labels)' has \(labels.count) label names; limit \(options.maxLabelNamesPerStream)")
        }
        for label in labels {
            if label.name.utf8.count > options.maxLabelNameLength {
                return .badRequest("stream '\(labels)' has label name too long: '\(label.name)'")
            }
            if label.value.utf8.count > options.maxLabelValueLength {
                return .badRequest("stream '\(labels)' has label value too long: '\(label.value)'")
            }
        }
        return nil
    }

    func validate(_ entry: LogEntry, stream: Labels, newest: Int64, now: Int64) -> LogStoreError? {
        if options.maxLineSize > 0 && entry.line.count > options.maxLineSize {
            return .badRequest("Max entry size '\(options.maxLineSize)' bytes exceeded for stream '\(stream)' while adding an entry with length '\(entry.line.count)' bytes")
        }
        if options.rejectOlderThan > 0 && entry.timestamp < now &- options.rejectOlderThan {
            return .badRequest("entry for stream '\(stream)' has timestamp too old: \(Nanoseconds.format(entry.timestamp)), oldest acceptable timestamp is: \(Nanoseconds.format(now &- options.rejectOlderThan))")
        }
        if options.creationGracePeriod > 0 && entry.timestamp > now &+ options.creationGracePeriod {
            return .badRequest("entry for stream '\(stream)' has timestamp too new: \(Nanoseconds.format(entry.timestamp))")
        }
        if newest != .min && entry.timestamp < newest &- options.outOfOrderWindow {
            let oldest = newest &- options.outOfOrderWindow
            return .badRequest("entry with timestamp \(Nanoseconds.format(entry.timestamp)) ignored, reason: 'entry too far behind, entry timestamp is: \(Nanoseconds.format(entry.timestamp)), oldest acceptable timestamp is: \(Nanoseconds.format(oldest))', for stream: \(stream)")
        }
        return nil
    }
}

/// Formats sizes as Loki's `flagext.ByteSize` does (`3MB`, `15MB`, `512KB`, `100B`).
enum ByteCount {
    static func format(_ bytes: Int) -> String {
        let units: [(Int, String)] = [(1 << 40, "TB"), (1 << 30, "GB"), (1 << 20, "MB"), (1 << 10, "KB")]
        for (size, unit) in units where bytes >= size && bytes % size == 0 { return "\(bytes / size)\(unit)" }
        for (size, unit) in units where bytes >= size {
            let value = Double(bytes) / Double(size)
            return "\((value * 10).rounded() / 10)\(unit)"
        }
        return "\(bytes)B"
    }
}

/// RFC 3339 with nanoseconds, as Go's `time.Time` prints in Loki's messages.
enum Nanoseconds {
    static func format(_ nanoseconds: Int64) -> String {
        let second = nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds + 1) / 1_000_000_000 - 1
        let fraction = nanoseconds - second * 1_000_000_000
        // RFC3339.format always ends in ".mmmZ"; Go prints only the fraction's significant digits.
        let base = String(RFC3339.format(milliseconds: second &* 1000).dropLast(5))
        guard fraction != 0 else { return base + "Z" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 9 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return base + "." + digits + "Z"
    }
}
