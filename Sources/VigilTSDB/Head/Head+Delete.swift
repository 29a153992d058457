public import VigilModel
import Synchronization

extension Head {
    /// Deletes the samples in `[mint, maxt]` (inclusive, ms) of every series `matchers` select.
    ///
    /// The tombstones are logged to the WAL first; queries honour them at once; truncation and
    /// persistence drop the deleted samples. Throws what the WAL throws (nothing is deleted then).
    public func delete(matchers: [LabelMatcher], mint: Int64, maxt: Int64) throws(TSDBError) {
        guard mint <= maxt else { return }
        var stones: [Tombstone] = []
        for ref in postings(for: matchers) {
            guard let series = series(ref: ref) else { continue }
            let (low, high) = series.state.withLock { ($0.minTime, $0.newestTime) }
            let from = Swift.max(low, mint)
            let to = Swift.min(high, maxt)
            if from <= to { stones.append(Tombstone(ref: ref, mint: from, maxt: to)) }
        }
        guard !stones.isEmpty else { return }
        commitGate.enter()
        defer { commitGate.leave() }
        try wal?.log([.tombstones(stones)])
        for stone in stones { addTombstone(ref: stone.ref, stone.mint...stone.maxt) }
    }

    /// Adds a deleted interval, keeping the series' list sorted and merged.
    func addTombstone(ref: SeriesRef, _ interval: ClosedRange<Int64>) {
        tombstones.withLock { map in
            map[ref] = Head.merged(map[ref, default: []] + [interval])
        }
    }

    /// The deleted intervals of `ref`, sorted and disjoint.
    func deletedIntervals(_ ref: SeriesRef) -> [ClosedRange<Int64>] {
        tombstones.withLock { $0[ref] ?? [] }
    }

    static func merged(_ intervals: [ClosedRange<Int64>]) -> [ClosedRange<Int64>] {
        let sorted = intervals.sorted { $0.lowerBound < $1.lowerBound }
        var result: [ClosedRange<Int64>] = []
        for interval in sorted {
            if let last = result.last, interval.lowerBound <= last.upperBound || interval.lowerBound == last.upperBound &+ 1 {
                result[result.count - 1] = last.lowerBound...Swift.max(last.upperBound, interval.upperBound)
            } else {
                result.append(interval)
            }
        }
        return result
    }

    /// Labels with at least this many values get their sorted values cached for prefix matchers.
    static let sortedPrefixThreshold = 4096

    /// Sorted refs of the series `matchers` select (Prometheus's `PostingsForMatchers`).
    func postings(for matchers: [LabelMatcher]) -> [SeriesRef] {
        // Copy what resolution needs under the lock (O(1) copy-on-write), match outside it.
        var names: [String: [String: [SeriesRef]]] = [:]
        var sorted: [String: [String]] = [:]
        var all: [SeriesRef] = []
        postings.withLock { index in
            for matcher in matchers {
                names[matcher.name] = index.byName[matcher.name] ?? [:]
                if matcher.literalPrefix != nil, let values = index.sortedValues[matcher.name] { sorted[matcher.name] = values }
            }
            all = index.all
        }
        // A prefix regex over a label with many values searches the sorted values rather than
        // testing each; sorting once pays for itself from the second such query.
        for matcher in matchers where matcher.literalPrefix != nil && sorted[matcher.name] == nil {
            if let values = names[matcher.name], values.count >= Self.sortedPrefixThreshold {
                sorted[matcher.name] = sortedLabelValues(matcher.name)
            }
        }
        return MemPostings.resolve(matchers, snapshot: { names[$0] ?? [:] }, sorted: { sorted[$0] }, all: { all })
    }
}
