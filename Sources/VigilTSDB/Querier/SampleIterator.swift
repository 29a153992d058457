/// Iterates a ``StoredSeries``' samples in timestamp order, decoding chunks lazily.
///
/// Merges overlapping chunks (in-order with out-of-order, head with blocks); on equal timestamps
/// the first source wins and the others are skipped. Deleted ranges and samples outside
/// `[mint, maxt]` are skipped. No allocation per sample.
public struct SampleIterator: Sendable {
    let sources: [ChunkSource]
    /// Source indexes ordered by chunk min time.
    let order: [Int]
    var nextSource = 0
    var active: ContiguousArray<ChunkCursor> = []
    let mint: Int64
    let maxt: Int64
    var currentTimestamp: Int64 = .min
    var currentValue: Double = 0
    var started = false

    init(sources: [ChunkSource], mint: Int64, maxt: Int64) {
        self.sources = sources
        self.mint = mint
        self.maxt = maxt
        var order: [Int] = []
        order.reserveCapacity(sources.count)
        for (index, source) in sources.enumerated() where source.chunk.overlaps(mint: mint, maxt: maxt) {
            order.append(index)
        }
        // Stable: on equal min times the earlier source stays first.
        order.sort { (sources[$0].chunk.minTime, $0) < (sources[$1].chunk.minTime, $1) }
        self.order = order
        active.reserveCapacity(Swift.min(order.count, 8))
    }

    /// The current sample's timestamp (ms).
    public var timestamp: Int64 { currentTimestamp }
    /// The current sample's value, bit pattern intact.
    public var value: Double { currentValue }
    /// The current sample.
    public var at: (t: Int64, v: Double) { (currentTimestamp, currentValue) }

    /// Advances to the next sample; false when there is none.
    public mutating func next() -> Bool {
        let floor = started ? currentTimestamp &+ 1 : mint
        if started && currentTimestamp == .max { return false }
        // Find the smallest pending timestamp, opening every chunk that could hold one as small.
        var best = -1
        var bestTimestamp = Int64.max
        for index in active.indices where active[index].timestamp < bestTimestamp {
            best = index
            bestTimestamp = active[index].timestamp
        }
        while nextSource < order.count {
            let source = sources[order[nextSource]]
            if !active.isEmpty && source.chunk.minTime > bestTimestamp { break }
            nextSource += 1
            var cursor = ChunkCursor(source: source, maxt: maxt)
            guard cursor.start(atOrAfter: floor) else { continue }
            active.append(cursor)
            if cursor.timestamp < bestTimestamp {
                best = active.count - 1
                bestTimestamp = cursor.timestamp
            }
        }
        guard best >= 0 else { return false }
        currentTimestamp = bestTimestamp
        currentValue = active[best].value
        started = true
        // Advance every cursor sitting on this timestamp (dedup), dropping exhausted ones.
        var index = active.count - 1
        while index >= 0 {
            if active[index].timestamp == bestTimestamp && !active[index].advance() {
                active.remove(at: index)
            }
            index -= 1
        }
        return true
    }

    /// Moves to the first sample at or after `target`; no effect if the current one qualifies.
    public mutating func seek(to target: Int64) -> Bool {
        if started && currentTimestamp >= target { return true }
        while next() {
            if currentTimestamp >= target { return true }
        }
        return false
    }
}

/// One chunk being read (either encoding): skips deleted ranges and stops after `maxt`.
struct ChunkCursor: Sendable {
    var iterator: StoredChunkIterator
    let deleted: [ClosedRange<Int64>]
    var deletedIndex = 0
    let maxt: Int64

    init(source: ChunkSource, maxt: Int64) {
        iterator = source.chunk.makeIterator()
        deleted = source.deleted
        self.maxt = maxt
    }

    var timestamp: Int64 { iterator.timestamp }
    var value: Double { iterator.value }

    mutating func start(atOrAfter floor: Int64) -> Bool {
        guard iterator.seek(to: floor) else { return false }
        return settle()
    }

    mutating func advance() -> Bool {
        guard iterator.next() else { return false }
        return settle()
    }

    /// From the iterator's current sample, finds one that is in range and not deleted.
    private mutating func settle() -> Bool {
        while true {
            let t = iterator.timestamp
            if t > maxt { return false }
            while deletedIndex < deleted.count && deleted[deletedIndex].upperBound < t { deletedIndex += 1 }
            if deletedIndex < deleted.count && deleted[deletedIndex].lowerBound <= t {
                guard iterator.next() else { return false }
                continue
            }
            return true
        }
    }
}
