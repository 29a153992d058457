public import VigilModel

/// One series a querier selected: its labels and its chunks, decoded only when iterated.
///
/// Holds immutable snapshots (chunks are copy-on-write values), so it stays valid while the head
/// keeps appending or truncating. Samples are limited to the query's `[mint, maxt]`.
public struct StoredSeries: Sendable {
    /// The series' labels.
    public let labels: Labels
    /// First millisecond of the query range (inclusive).
    public let mint: Int64
    /// Last millisecond of the query range (inclusive).
    public let maxt: Int64
    let sources: [ChunkSource]

    /// A series over `chunks` (in any order; they may overlap) with `deleted` ranges removed.
    ///
    /// Block queriers build their series with this; `deleted` must be sorted and disjoint.
    public init(labels: Labels, chunks: [XORChunk], deleted: [ClosedRange<Int64>] = [], mint: Int64, maxt: Int64) {
        self.labels = labels
        self.mint = mint
        self.maxt = maxt
        self.sources = chunks.map { ChunkSource(chunk: .xor($0), deleted: deleted) }
    }

    /// A series over block chunks in either encoding (in any order; they may overlap) with
    /// `deleted` ranges removed; `deleted` must be sorted and disjoint.
    public init(labels: Labels, chunks: [StoredChunk], deleted: [ClosedRange<Int64>] = [], mint: Int64, maxt: Int64) {
        self.labels = labels
        self.mint = mint
        self.maxt = maxt
        self.sources = chunks.map { ChunkSource(chunk: $0, deleted: deleted) }
    }

    init(labels: Labels, sources: [ChunkSource], mint: Int64, maxt: Int64) {
        self.labels = labels
        self.mint = mint
        self.maxt = maxt
        self.sources = sources
    }

    /// An iterator over the samples in `[mint, maxt]` in timestamp order, one per timestamp.
    public func makeIterator() -> SampleIterator {
        SampleIterator(sources: sources, mint: mint, maxt: maxt)
    }

    /// Appends the samples in `[mint, maxt]` to `timestamps` and `values`, in order, as the
    /// iterator would yield them.
    ///
    /// The common case (chunks that do not overlap, nothing deleted) decodes each chunk in one
    /// batch; anything else goes through ``SampleIterator``.
    public func decode(into timestamps: inout [Int64], _ values: inout [Double]) {
        let base = timestamps.count
        if decodeBatched(into: &timestamps, &values) { return }
        timestamps.removeSubrange(base...)
        values.removeSubrange(base...)
        var iterator = makeIterator()
        while iterator.next() {
            timestamps.append(iterator.timestamp)
            values.append(iterator.value)
        }
    }

    private func decodeBatched(into timestamps: inout [Int64], _ values: inout [Double]) -> Bool {
        // Usually the chunks in range are already in order and disjoint: they are decoded where
        // they are, without a sorted copy of the list.
        var inOrder = true
        var previousMax = Int64.min
        var any = false
        for index in sources.indices where sources[index].chunk.overlaps(mint: mint, maxt: maxt) {
            guard sources[index].deleted.isEmpty else { return false }
            if any && sources[index].chunk.minTime <= previousMax { inOrder = false }
            any = true
            previousMax = sources[index].chunk.maxTime
        }
        let start = timestamps.count
        var batch = ChunkBatch()
        if inOrder {
            for index in sources.indices where sources[index].chunk.overlaps(mint: mint, maxt: maxt) {
                guard batch.add(sources[index].chunk, to: &timestamps, &values) else { return false }
            }
        } else {
            let chunks = sources.lazy.map(\.chunk).filter { $0.overlaps(mint: mint, maxt: maxt) }
                .sorted { $0.minTime < $1.minTime }
            for index in 1..<chunks.count where chunks[index].minTime <= chunks[index - 1].maxTime { return false }
            for chunk in chunks {
                guard batch.add(chunk, to: &timestamps, &values) else { return false }
            }
        }
        guard batch.finish(to: &timestamps, &values) else { return false }
        // The chunks are in order and disjoint: only the first ones can start before the range
        // and only the last ones end after it.
        var cut = start
        while cut < timestamps.count && timestamps[cut] < mint { cut += 1 }
        if cut > start {
            timestamps.removeSubrange(start..<cut)
            values.removeSubrange(start..<cut)
        }
        var end = timestamps.count
        while end > start && timestamps[end - 1] > maxt { end -= 1 }
        if end < timestamps.count {
            timestamps.removeSubrange(end...)
            values.removeSubrange(end...)
        }
        return true
    }

    /// All samples, decoded (convenient for tests and small results).
    public func samples() -> [(timestamp: Int64, value: Double)] {
        var result: [(timestamp: Int64, value: Double)] = []
        var iterator = makeIterator()
        while iterator.next() { result.append((iterator.timestamp, iterator.value)) }
        return result
    }

    /// The series merged with others of the same labels; on equal timestamps the earlier
    /// series in the list wins.
    public static func merging(_ series: [StoredSeries]) -> StoredSeries {
        precondition(!series.isEmpty)
        if series.count == 1 { return series[0] }
        return StoredSeries(
            labels: series[0].labels, sources: series.flatMap(\.sources),
            mint: series.map(\.mint).min()!, maxt: series.map(\.maxt).max()!
        )
    }
}

/// A chunk and the deleted ranges that apply to it.
struct ChunkSource: Sendable {
    let chunk: StoredChunk
    let deleted: [ClosedRange<Int64>]

    init(chunk: StoredChunk, deleted: [ClosedRange<Int64>]) {
        self.chunk = chunk
        self.deleted = deleted
    }

    init(chunk: XORChunk, deleted: [ClosedRange<Int64>]) {
        self.init(chunk: .xor(chunk), deleted: deleted)
    }
}

/// Decodes chunks given in time order, holding back one XOR chunk so that two in a row decode
/// together (`XORChunk.decodeBoth(_:_:into:_:)`).
private struct ChunkBatch {
    var pending: XORChunk?

    /// Decodes `chunk` (or holds it back); false when a chunk turned out damaged.
    mutating func add(_ chunk: StoredChunk, to timestamps: inout [Int64], _ values: inout [Double]) -> Bool {
        switch chunk {
        case .xor(let xor):
            guard let first = pending else {
                pending = xor
                return true
            }
            pending = nil
            return XORChunk.decodeBoth(first, xor, into: &timestamps, &values)
        case .compact(let compact):
            guard finish(to: &timestamps, &values) else { return false }
            return compact.decodeAll(into: &timestamps, &values)
        }
    }

    /// Decodes the chunk held back, if any.
    mutating func finish(to timestamps: inout [Int64], _ values: inout [Double]) -> Bool {
        guard let chunk = pending else { return true }
        pending = nil
        return chunk.decodeAll(into: &timestamps, &values)
    }
}
