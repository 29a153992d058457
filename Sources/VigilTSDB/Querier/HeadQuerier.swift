public import VigilModel
import Synchronization

/// A ``Querier`` over a ``Head``: each call sees the head as it is at that moment.
public struct HeadQuerier: Querier {
    /// The head read from.
    public let head: Head

    /// A querier over `head`.
    public init(head: Head) {
        self.head = head
    }

    /// See ``Querier/select(_:mint:maxt:)``.
    public func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) throws(TSDBError) -> [StoredSeries] {
        guard mint <= maxt else { return [] }
        var result: [StoredSeries] = []
        for series in head.series(refs: head.postings(for: matchers)) {
            guard let stored = head.storedSeries(series, mint: mint, maxt: maxt) else { continue }
            result.append(stored)
        }
        result.sort { $0.labels < $1.labels }
        return result
    }

    /// See ``Querier/seriesLabels(_:mint:maxt:)``. A series whose in-order samples lie wholly
    /// inside or outside the range is decided from its time bounds; only the rest are probed.
    public func seriesLabels(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) throws(TSDBError) -> [Labels] {
        guard mint <= maxt else { return [] }
        let anyTombstones = head.tombstones.withLock { !$0.isEmpty }
        var result: [Labels] = []
        for series in head.series(refs: head.postings(for: matchers)) {
            let decided: Bool? = anyTombstones ? nil : series.state.withLock { $0.hasSamples(mint: mint, maxt: maxt) }
            if let decided {
                if decided { result.append(series.labels) }
            } else if head.storedSeries(series, mint: mint, maxt: maxt) != nil {
                result.append(series.labels)
            }
        }
        result.sort(by: <)
        return result
    }

    /// See ``Querier/labelNames(matchers:mint:maxt:)``.
    public func labelNames(matchers: [LabelMatcher], mint: Int64, maxt: Int64) throws(TSDBError) -> [String] {
        guard overlapsHead(mint: mint, maxt: maxt) else { return [] }
        var names = Set<String>()
        if matchers.isEmpty {
            head.postings.withLock { names = Set($0.byName.keys) }
        } else {
            names.formUnion(head.labelNames(refs: head.postings(for: matchers)))
        }
        return names.sorted(by: byteOrder)
    }

    /// See ``Querier/labelValues(_:matchers:mint:maxt:)``.
    public func labelValues(_ name: String, matchers: [LabelMatcher], mint: Int64, maxt: Int64) throws(TSDBError) -> [String] {
        guard overlapsHead(mint: mint, maxt: maxt) else { return [] }
        if matchers.isEmpty { return head.sortedLabelValues(name) }
        var values = head.labelValues(name, refs: head.postings(for: matchers))
        values.sort(by: byteOrder)
        return values.removingAdjacentDuplicates()
    }

    private func overlapsHead(mint: Int64, maxt: Int64) -> Bool {
        let stats = (head.minTime, head.maxTime)
        return stats.0 <= maxt && mint <= stats.1
    }
}

extension Head {
    /// A snapshot of `series` limited to `[mint, maxt]`, or nil when it has no sample there.
    func storedSeries(_ series: MemSeries, mint: Int64, maxt: Int64) -> StoredSeries? {
        let (inOrder, outOfOrder) = series.state.withLock { $0.chunks(mint: mint, maxt: maxt) }
        if inOrder.isEmpty && outOfOrder.isEmpty { return nil }
        let deleted = deletedIntervals(series.ref)
        var sources: [ChunkSource] = []
        sources.reserveCapacity(inOrder.count + outOfOrder.count)
        for chunk in inOrder { sources.append(ChunkSource(chunk: chunk, deleted: deleted)) }
        for chunk in outOfOrder { sources.append(ChunkSource(chunk: chunk, deleted: deleted)) }
        let stored = StoredSeries(labels: series.labels, sources: sources, mint: mint, maxt: maxt)
        var probe = stored.makeIterator()
        return probe.next() ? stored : nil
    }
}
