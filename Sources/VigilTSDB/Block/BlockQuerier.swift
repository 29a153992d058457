public import VigilModel

/// A ``Querier`` over one ``Block``. Chunks are checksum-verified and copied out of the mapping
/// when selected and decoded only when iterated; tombstoned samples are skipped.
public struct BlockQuerier: Querier {
    /// The block read from.
    public let block: Block

    /// A querier over `block`.
    public init(block: Block) {
        self.block = block
    }

    /// See ``Querier/select(_:mint:maxt:)``. Throws `.corruption` if a series entry, postings
    /// list or chunk it reads is damaged.
    public func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) throws(TSDBError) -> [StoredSeries] {
        guard mint <= maxt, block.meta.overlaps(mint: mint, maxt: maxt) else { return [] }
        let tombstones = block.tombstones
        var result: [StoredSeries] = []
        for id in try block.index.postings(for: matchers) {
            let (labels, metas) = try block.index.series(id)
            let deleted = tombstones[id] ?? []
            var chunks: [StoredChunk] = []
            for meta in metas where meta.minTime <= maxt && mint <= meta.maxTime {
                if deleted.contains(where: { $0.lowerBound <= meta.minTime && meta.maxTime <= $0.upperBound }) { continue }
                chunks.append(try block.chunks.chunk(ref: meta.ref, minTime: meta.minTime, maxTime: meta.maxTime))
            }
            if chunks.isEmpty { continue }
            let stored = StoredSeries(labels: labels, chunks: chunks, deleted: deleted, mint: mint, maxt: maxt)
            var probe = stored.makeIterator()
            if probe.next() { result.append(stored) }
        }
        return result
    }

    /// See ``Querier/labelNames(matchers:mint:maxt:)``.
    public func labelNames(matchers: [LabelMatcher], mint: Int64, maxt: Int64) throws(TSDBError) -> [String] {
        guard mint <= maxt, block.meta.overlaps(mint: mint, maxt: maxt) else { return [] }
        if matchers.isEmpty { return block.index.labelNames }
        var names = Set<String>()
        for id in try block.index.postings(for: matchers) {
            for label in try block.index.series(id).labels { names.insert(label.name) }
        }
        return names.sorted(by: byteOrder)
    }

    /// See ``Querier/labelValues(_:matchers:mint:maxt:)``.
    public func labelValues(_ name: String, matchers: [LabelMatcher], mint: Int64, maxt: Int64) throws(TSDBError) -> [String] {
        guard mint <= maxt, block.meta.overlaps(mint: mint, maxt: maxt) else { return [] }
        if matchers.isEmpty { return block.index.labelTable[name]?.values ?? [] }
        var values = Set<String>()
        for id in try block.index.postings(for: matchers) {
            if let value = try block.index.series(id).labels[name] { values.insert(value) }
        }
        return values.sorted(by: byteOrder)
    }
}
