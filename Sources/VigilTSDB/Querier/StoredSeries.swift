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
