import VigilModel

/// Plans and runs block compaction the way Prometheus's leveled compactor does: overlapping blocks
/// are merged first (vertical compaction, e.g. after out-of-order data), then adjacent blocks that
/// together fill one of the exponential ranges, then big blocks with many tombstones.
public struct Compactor: Sendable {
    /// Block ranges in milliseconds, smallest (the head's block range) first.
    public let ranges: [Int64]
    /// Samples per chunk of a compacted block. Series whose chunks are smaller (the head cuts
    /// at 120) are re-chunked to this size; the default 480 makes compact chunks about 12% smaller
    /// than 120 would (`docs/formats/block.md`). At most 65,535.
    public var samplesPerChunk = 480
    /// Whether chunks are written in Vigil's compact encoding (2) where that is smaller.
    public var compactChunks = true

    /// 2 hours in milliseconds, the smallest block range.
    public static let defaultMinRange: Int64 = 7_200_000

    /// A compactor over `ranges` (default 2h, 6h, 18h, … ten steps of ×3) with ranges longer than
    /// `maxBlockDuration` dropped (Prometheus: min(31d, retention / 10)).
    public init(ranges: [Int64] = Compactor.exponentialBlockRanges(minSize: Compactor.defaultMinRange, steps: 10, stepSize: 3),
                maxBlockDuration: Int64 = 31 * 86_400_000) {
        var kept: [Int64] = []
        for range in ranges {
            if range > maxBlockDuration && !kept.isEmpty { break }
            kept.append(range)
        }
        self.ranges = kept
    }

    /// `steps` ranges starting at `minSize`, each `stepSize` times the previous
    /// (Prometheus's `ExponentialBlockRanges`).
    public static func exponentialBlockRanges(minSize: Int64, steps: Int, stepSize: Int64) -> [Int64] {
        var ranges: [Int64] = []
        var current = minSize
        for _ in 0..<max(0, steps) {
            ranges.append(current)
            current *= stepSize
        }
        return ranges
    }

    /// The blocks to compact together next, oldest first; empty when nothing needs compacting.
    ///
    /// Blocks already superseded (parents of another block, or deletable) should not be passed.
    public func plan(_ metas: [BlockMeta]) -> [BlockMeta] {
        let sorted = metas.sorted { ($0.minTime, $0.ulid) < ($1.minTime, $1.ulid) }
        let overlapping = Compactor.overlappingGroup(sorted)
        if !overlapping.isEmpty { return overlapping }
        // The newest block is left alone so a fresh head block is not compacted at once.
        let candidates = Array(sorted.dropLast())
        let selected = selectRange(candidates)
        if !selected.isEmpty { return selected }
        guard !ranges.isEmpty else { return [] }
        for meta in candidates.reversed() {
            if meta.maxTime - meta.minTime < ranges[ranges.count / 2] {
                // A block whose every series has a tombstone is worth rewriting whatever its size.
                if meta.stats.numTombstones > 0 && meta.stats.numTombstones >= meta.stats.numSeries { return [meta] }
                break
            }
            if Double(meta.stats.numTombstones) / Double(meta.stats.numSeries + 1) > 0.05 { return [meta] }
        }
        return []
    }

    /// The first run of blocks (sorted by min time) whose ranges overlap, or empty.
    static func overlappingGroup(_ sorted: [BlockMeta]) -> [BlockMeta] {
        guard sorted.count >= 2 else { return [] }
        var group: [BlockMeta] = []
        var globalMaxTime = sorted[0].maxTime
        for index in 1..<sorted.count {
            let meta = sorted[index]
            if meta.minTime < globalMaxTime {
                if group.isEmpty { group.append(sorted[index - 1]) }
                group.append(meta)
            } else if !group.isEmpty {
                break
            }
            globalMaxTime = max(globalMaxTime, meta.maxTime)
        }
        return group
    }

    /// Prometheus's `selectDirs`: for each larger range, the first aligned group of two or more
    /// blocks that spans the whole range or lies wholly before the newest block.
    func selectRange(_ sorted: [BlockMeta]) -> [BlockMeta] {
        guard ranges.count >= 2, let newest = sorted.last else { return [] }
        let highTime = newest.minTime
        for range in ranges.dropFirst() {
            for group in Compactor.split(sorted, range: range) where group.count > 1 {
                let mint = group[0].minTime
                let maxt = group[group.count - 1].maxTime
                if maxt - mint == range || maxt <= highTime { return group }
            }
        }
        return []
    }

    /// Groups blocks into aligned windows of `range` ms; blocks that straddle a window are skipped.
    static func split(_ sorted: [BlockMeta], range: Int64) -> [[BlockMeta]] {
        var groups: [[BlockMeta]] = []
        var index = 0
        while index < sorted.count {
            let meta = sorted[index]
            let start = meta.minTime >= 0 ? range * (meta.minTime / range) : range * ((meta.minTime - range + 1) / range)
            if meta.maxTime > start + range {
                index += 1
                continue
            }
            var group: [BlockMeta] = []
            while index < sorted.count && sorted[index].maxTime <= start + range {
                group.append(sorted[index])
                index += 1
            }
            if !group.isEmpty { groups.append(group) }
        }
        return groups
    }

    /// Merges `blocks` into one new block under `parent` and returns its meta.
    ///
    /// Series are merged by labels. Chunks that do not overlap and carry no tombstoned sample are
    /// copied unchanged; otherwise the series' samples are merged (on equal timestamps the block
    /// with the smaller min time, then ULID, wins), tombstoned samples dropped, and re-encoded in
    /// chunks of ``samplesPerChunk``. The new block has no tombstones. The parents are not
    /// touched: the new block names them in `compaction.parents`, so once it is durable the DB
    /// deletes them (``BlockDirectory/superseded(_:)``). When nothing is left, no block is written,
    /// the parents are marked deletable in their `meta.json`, and nil is returned.
    public func compact(_ blocks: [Block], into parent: String) throws(TSDBError) -> BlockMeta? {
        guard !blocks.isEmpty else { return nil }
        let ordered = blocks.sorted { ($0.meta.minTime, $0.meta.ulid) < ($1.meta.minTime, $1.meta.ulid) }
        let metas = ordered.map(\.meta)
        let mint = metas.map(\.minTime).min()!
        let maxt = metas.map(\.maxTime).max()!
        let builder = try BlockBuilder(parent: parent, mint: mint, maxt: maxt, compactChunks: compactChunks)
        var cursors = ordered.map { BlockSeriesCursor(block: $0) }
        do {
            var heads: [BlockSeriesCursor.Entry?] = []
            for index in cursors.indices { heads.append(try cursors[index].next()) }
            while true {
                var smallest: Labels?
                for head in heads {
                    if let head, smallest == nil || head.labels < smallest! { smallest = head.labels }
                }
                guard let labels = smallest else { break }
                var group: [BlockSeriesCursor.Entry] = []
                for index in heads.indices {
                    if let head = heads[index], head.labels == labels {
                        group.append(head)
                        heads[index] = try cursors[index].next()
                    }
                }
                try builder.add(labels: labels, chunks: mergedChunks(group))
            }
            var sources = Set<ULID>()
            for meta in metas { sources.formUnion(meta.compaction.sources) }
            let compaction = BlockMeta.Compaction(
                level: (metas.map(\.compaction.level).max() ?? 0) + 1,
                sources: sources.sorted(),
                parents: metas.map { BlockMeta.BlockDescriptor(ulid: $0.ulid, minTime: $0.minTime, maxTime: $0.maxTime) })
            if builder.isEmpty {
                builder.abort()
                for block in ordered { try block.markDeletable() }
                return nil
            }
            return try builder.finish(compaction: compaction)
        } catch {
            builder.abort()
            throw error
        }
    }

    /// One series' chunks from several blocks, merged, and re-chunked when that makes fewer
    /// chunks (head blocks hold 120-sample chunks; compacted ones ``samplesPerChunk``).
    func mergedChunks(_ group: [BlockSeriesCursor.Entry]) -> [StoredChunk] {
        var all: [StoredChunk] = []
        var touchesTombstone = false
        var samples = 0
        for entry in group {
            all.append(contentsOf: entry.chunks)
            for chunk in entry.chunks {
                samples += chunk.count
                if entry.deleted.contains(where: { $0.lowerBound <= chunk.maxTime && chunk.minTime <= $0.upperBound }) {
                    touchesTombstone = true
                }
            }
        }
        all.sort { $0.minTime < $1.minTime }
        let disjoint = all.indices.dropFirst().allSatisfy { all[$0 - 1].maxTime < all[$0].minTime }
        let perChunk = max(1, min(samplesPerChunk, 0xffff))
        let wellChunked = all.count <= (samples + perChunk - 1) / perChunk
        if disjoint && !touchesTombstone && wellChunked { return all }
        let merged = StoredSeries.merging(group.map {
            StoredSeries(labels: $0.labels, chunks: $0.chunks, deleted: $0.deleted, mint: .min, maxt: .max)
        })
        var chunks: [StoredChunk] = []
        var appender = XORAppender()
        var iterator = merged.makeIterator()
        while iterator.next() {
            if appender.count >= perChunk {
                chunks.append(.xor(appender.chunk))
                appender = XORAppender()
            }
            appender.append(iterator.timestamp, iterator.value)
        }
        if appender.count > 0 { chunks.append(.xor(appender.chunk)) }
        return chunks
    }
}

/// Reads a block's series one at a time in label order.
struct BlockSeriesCursor {
    struct Entry {
        var labels: Labels
        var chunks: [StoredChunk]
        var deleted: [ClosedRange<Int64>]
    }

    let block: Block
    let tombstones: [SeriesRef: [ClosedRange<Int64>]]
    var nextID: SeriesRef = 0

    init(block: Block) {
        self.block = block
        tombstones = block.tombstones
    }

    mutating func next() throws(TSDBError) -> Entry? {
        guard nextID < UInt64(block.index.seriesCount) else { return nil }
        defer { nextID += 1 }
        let (labels, metas) = try block.index.series(nextID)
        var chunks: [StoredChunk] = []
        chunks.reserveCapacity(metas.count)
        for meta in metas { chunks.append(try block.chunks.chunk(ref: meta.ref, minTime: meta.minTime, maxTime: meta.maxTime)) }
        return Entry(labels: labels, chunks: chunks, deleted: tombstones[nextID] ?? [])
    }
}
