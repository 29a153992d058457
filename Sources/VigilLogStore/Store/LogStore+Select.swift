import Synchronization
public import VigilLogQL
public import VigilModel

/// Counts over the streams a selector matches in a window: Loki's `/loki/api/v1/index/stats`.
public struct LogIndexStats: Sendable, Equatable {
    /// Matching streams with data in the window.
    public var streams = 0
    /// Chunks (sealed, plus one per non-empty head) overlapping the window.
    public var chunks = 0
    /// Entries and line bytes in those chunks (whole chunks, as Loki counts).
    public var entries = 0
    public var bytes = 0

    /// Zero counts.
    public init() {}
}

/// One tenant's view of the store, as a `LogSource` for the LogQL engine.
public struct TenantLogSource: LogSource {
    let store: LogStore
    /// The tenant read.
    public let tenant: String

    /// See `LogSource.select`.
    public func select(_ selection: LogSelection, _ visit: (LogStreamBatch) throws -> Bool) async throws {
        try store.select(selection, tenant: tenant, visit)
    }

    /// See `LogSource.labelNames`.
    public func labelNames(start: Int64, end: Int64) async throws -> [String] {
        store.labelNames(tenant: tenant, matchers: [], start: start, end: end)
    }

    /// See `LogSource.labelValues`.
    public func labelValues(_ name: String, matchers: [LabelMatcher], start: Int64, end: Int64) async throws -> [String] {
        store.labelValues(name, tenant: tenant, matchers: matchers, start: start, end: end)
    }
}

extension LogStore: LogSource {
    /// `LogSource.select` over the default tenant.
    public func select(_ selection: LogSelection, _ visit: (LogStreamBatch) throws -> Bool) async throws {
        try select(selection, tenant: options.defaultTenant, visit)
    }

    /// `LogSource.labelNames` over the default tenant.
    public func labelNames(start: Int64, end: Int64) async throws -> [String] {
        labelNames(tenant: options.defaultTenant, matchers: [], start: start, end: end)
    }

    /// `LogSource.labelValues` over the default tenant.
    public func labelValues(_ name: String, matchers: [LabelMatcher], start: Int64, end: Int64) async throws -> [String] {
        labelValues(name, tenant: options.defaultTenant, matchers: matchers, start: start, end: end)
    }
}

extension LogStore {
    /// A piece of a stream to read: a sealed chunk or a copy of the head.
    enum Piece {
        case chunk(LogChunk)
        case head([LogEntry])

        var range: (mint: Int64, maxt: Int64) {
            switch self {
            case .chunk(let chunk): (chunk.mint, chunk.maxt)
            case .head(let entries): (entries.first?.timestamp ?? 0, entries.last?.timestamp ?? 0)
            }
        }
    }

    /// Chunks skipped because their bloom filters ruled out a required substring, since start.
    public var bloomSkips: Int { bloomSkipCount.load(ordering: .relaxed) }

    /// Entries of `tenant`'s streams matching `selection`, stream by stream, in its direction.
    ///
    /// Chunks whose time range misses the window, or whose bloom filter rules out one of
    /// `requiredSubstrings`, are not read. Overlapping pieces (out-of-order writes) are merged.
    public func select(_ selection: LogSelection, tenant: String, _ visit: (LogStreamBatch) throws -> Bool) throws {
        let plan: [(labels: Labels, pieces: [Piece])] = state.withLock { state in
            var plan: [(labels: Labels, pieces: [Piece])] = []
            for id in state.matching(tenant: tenant, selection.matchers) {
                let stream = state.streams[id]
                var pieces: [Piece] = []
                for chunk in stream.chunks where chunk.maxt >= selection.start && chunk.mint < selection.end {
                    if !selection.requiredSubstrings.isEmpty && !chunk.mayContain(all: selection.requiredSubstrings) {
                        bloomSkipCount.add(1, ordering: .relaxed)
                        continue
                    }
                    pieces.append(.chunk(chunk))
                }
                if !stream.head.entries.isEmpty && stream.head.maxt >= selection.start && stream.head.mint < selection.end {
                    let entries = stream.head.entries.filter { $0.timestamp >= selection.start && $0.timestamp < selection.end }
                    pieces.append(.head(entries.sorted { $0.timestamp < $1.timestamp }))
                }
                if !pieces.isEmpty { plan.append((stream.labels, pieces)) }
            }
            return plan
        }
        for (labels, pieces) in plan {
            // Groups of pieces whose time ranges overlap are read together and sorted.
            let ordered = pieces.sorted { $0.range.mint < $1.range.mint }
            var groups: [[Piece]] = []
            var groupEnd = Int64.min
            for piece in ordered {
                if groups.isEmpty || piece.range.mint > groupEnd {
                    groups.append([piece])
                } else {
                    groups[groups.count - 1].append(piece)
                }
                groupEnd = max(groupEnd, piece.range.maxt)
            }
            if selection.direction == .backward { groups.reverse() }
            for group in groups {
                if selection.templatedBlocks, selection.direction == .forward, group.count == 1, case .chunk(let chunk) = group[0],
                    let blocks = try templated(chunk, start: selection.start, end: selection.end)
                {
                    for block in blocks where try !visit(LogStreamBatch(labels: labels, templated: block)) { return }
                    continue
                }
                var entries: [LogEntry] = []
                for piece in group { try read(piece, start: selection.start, end: selection.end, into: &entries) }
                if group.count > 1 { entries.sort { $0.timestamp < $1.timestamp } }
                if selection.direction == .backward { entries.reverse() }
                guard !entries.isEmpty else { continue }
                if try !visit(LogStreamBatch(labels: labels, entries: entries)) { return }
            }
        }
    }

    /// `chunk`'s blocks in the window as ``TemplatedLines``; nil for a snappy chunk.
    func templated(_ chunk: LogChunk, start: Int64, end: Int64) throws(LogStoreError) -> [TemplatedLines]? {
        let context = chunk.path ?? "chunk \(chunk.id) (in memory)"
        let data: [UInt8]
        if let inMemory = chunk.data {
            data = inMemory
        } else if let path = chunk.path {
            data = try ChunkFile.readData(path)
        } else {
            return []
        }
        return chunk.templated(data: data, start: start, end: end, context: context)
    }

    func read(_ piece: Piece, start: Int64, end: Int64, into entries: inout [LogEntry]) throws(LogStoreError) {
        switch piece {
        case .head(let head):
            entries.append(contentsOf: head)
        case .chunk(let chunk):
            let context = chunk.path ?? "chunk \(chunk.id) (in memory)"
            if let data = chunk.data {
                try withBytes(data) { raw throws(LogStoreError) in
                    try chunk.decode(data: raw, start: start, end: end, context: context, into: &entries)
                }
            } else if let path = chunk.path {
                let data = try ChunkFile.readData(path)
                try withBytes(data) { raw throws(LogStoreError) in
                    try chunk.decode(data: raw, start: start, end: end, context: context, into: &entries)
                }
            }
        }
    }

    /// Label names of `tenant`'s streams matching `matchers` (all when empty) with data in
    /// [`start`, `end`), sorted.
    public func labelNames(tenant: String, matchers: [LabelMatcher], start: Int64, end: Int64) -> [String] {
        state.withLock { state in
            var names = Set<String>()
            for id in state.matching(tenant: tenant, matchers) where state.hasData(id, start: start, end: end) {
                for label in state.streams[id].labels { names.insert(label.name) }
            }
            return names.sorted { ByteOrder.less($0, $1) }
        }
    }

    /// Values of label `name` among `tenant`'s streams matching `matchers` in the window, sorted.
    public func labelValues(_ name: String, tenant: String, matchers: [LabelMatcher], start: Int64, end: Int64) -> [String] {
        state.withLock { state in
            var values = Set<String>()
            for id in state.matching(tenant: tenant, matchers) where state.hasData(id, start: start, end: end) {
                if let value = state.streams[id].labels[name] { values.insert(value) }
            }
            return values.sorted { ByteOrder.less($0, $1) }
        }
    }

    /// Label sets of `tenant`'s streams matching any of `selectors` in the window
    /// (`/loki/api/v1/series`), sorted.
    public func series(tenant: String, selectors: [[LabelMatcher]], start: Int64, end: Int64) -> [Labels] {
        state.withLock { state in
            var found = Set<Labels>()
            for matchers in selectors {
                for id in state.matching(tenant: tenant, matchers) where state.hasData(id, start: start, end: end) {
                    found.insert(state.streams[id].labels)
                }
            }
            return found.sorted()
        }
    }

    /// Streams, chunks, entries and bytes selected by `matchers` in the window.
    public func indexStats(tenant: String, matchers: [LabelMatcher], start: Int64, end: Int64) -> LogIndexStats {
        state.withLock { state in
            var stats = LogIndexStats()
            for id in state.matching(tenant: tenant, matchers) {
                let stream = state.streams[id]
                var counted = false
                for chunk in stream.chunks where chunk.maxt >= start && chunk.mint < end {
                    stats.chunks += 1
                    stats.entries += chunk.entries
                    stats.bytes += chunk.rawBytes
                    counted = true
                }
                if !stream.head.entries.isEmpty && stream.head.maxt >= start && stream.head.mint < end {
                    stats.chunks += 1
                    stats.entries += stream.head.entries.count
                    stats.bytes += stream.head.bytes
                    counted = true
                }
                if counted { stats.streams += 1 }
            }
            return stats
        }
    }

    /// Totals over every stream of every tenant: for self-metrics and the benchmarks.
    public func storageStats() -> (streams: Int, chunks: Int, entries: Int, rawBytes: Int, storedBytes: Int, headBytes: Int) {
        state.withLock { state in
            var totals = (streams: 0, chunks: 0, entries: 0, rawBytes: 0, storedBytes: 0, headBytes: 0)
            for stream in state.streams where !stream.removed {
                totals.streams += 1
                totals.headBytes += stream.head.bytes
                totals.entries += stream.head.entries.count
                for chunk in stream.chunks {
                    totals.chunks += 1
                    totals.entries += chunk.entries
                    totals.rawBytes += chunk.rawBytes
                    totals.storedBytes += chunk.storedBytes
                }
            }
            return totals
        }
    }
}

extension LogStore.State {
    /// Ids of `tenant`'s live streams whose labels satisfy every matcher, ascending. Equality
    /// matchers intersect postings; the rest filter the candidates.
    func matching(tenant: String, _ matchers: [LabelMatcher]) -> [Int] {
        let index = postings[tenant] ?? [:]
        var candidates: [Int]?
        for matcher in matchers where matcher.type == .equal && !matcher.value.isEmpty {
            let list = index[matcher.name]?[matcher.value] ?? []
            if let current = candidates {
                let set = Set(list)
                candidates = current.filter { set.contains($0) }
            } else {
                candidates = list
            }
        }
        let ids: [Int]
        if let candidates {
            ids = candidates
        } else {
            ids = streams.indices.filter { streams[$0].tenant == tenant }
        }
        return ids.filter { id in
            let stream = streams[id]
            return !stream.removed && stream.tenant == tenant && matchers.allSatisfy { $0.matches(stream.labels[$0.name] ?? "") }
        }
    }

    func hasData(_ id: Int, start: Int64, end: Int64) -> Bool {
        let stream = streams[id]
        if !stream.head.entries.isEmpty && stream.head.maxt >= start && stream.head.mint < end { return true }
        return stream.chunks.contains { $0.maxt >= start && $0.mint < end }
    }
}
