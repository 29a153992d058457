import VigilModel
import Synchronization

extension Head {
    /// Drops every chunk wholly older than `mint`, then the series left empty (from the maps and
    /// the index), and raises the minimum valid time to `mint`. Called after the data before
    /// `mint` was persisted in a block.
    public func truncate(before mint: Int64) {
        var current = minValidTimeValue.load(ordering: .relaxed)
        while current < mint {
            let (exchanged, original) = minValidTimeValue.compareExchange(expected: current, desired: mint, ordering: .relaxed)
            if exchanged { break }
            current = original
        }
        var removed: [MemSeries] = []
        var droppedChunks = 0
        var newMin = Int64.max
        for series in allSeries() {
            let empty: Bool = series.state.withLock { state in
                let before = state.chunkCount
                state.closed.removeAll { $0.maxTime < mint }
                state.oooChunks.removeAll { $0.maxTime < mint }
                state.oooBuffer.removeAll { $0.timestamp < mint }
                if let head = state.head, head.maxTime < mint { state.head = nil }
                droppedChunks += before - state.chunkCount
                if state.isEmpty && state.pending == 0 {
                    state.removed = true
                    return true
                }
                newMin = Swift.min(newMin, state.minTime)
                return false
            }
            if empty { removed.append(series) }
        }
        for series in removed {
            stripe(hash: series.hash).byHash.withLock { map in
                map[series.hash] = map[series.hash]?.removing(series)
            }
            stripe(ref: series.ref).byRef.withLock { _ = $0.removeValue(forKey: series.ref) }
        }
        if !removed.isEmpty {
            table.withLock { table in
                for series in removed { table.remove(series.ref) }
                table.dropUnusedSymbols()
            }
        }
        let refs = Set(removed.map(\.ref))
        if !removed.isEmpty {
            var labelsOf: [SeriesRef: Labels] = [:]
            for series in removed { labelsOf[series.ref] = series.labels }
            postings.withLock { $0.remove(refs, labelsOf: labelsOf) }
            seriesCount.wrappingSubtract(removed.count, ordering: .relaxed)
            replayAliases.withLock { aliases in aliases = aliases.filter { !refs.contains($0.value) } }
        }
        tombstones.withLock { map in
            for (ref, intervals) in map {
                let kept = intervals.filter { $0.upperBound >= mint }
                map[ref] = kept.isEmpty || refs.contains(ref) ? nil : kept
            }
        }
        if droppedChunks > 0 { counters.chunks.wrappingSubtract(droppedChunks, ordering: .relaxed) }
        // The head now starts at its oldest remaining sample (or is empty).
        minTimeValue.store(newMin, ordering: .relaxed)
        if newMin == .max { maxTimeValue.store(.min, ordering: .relaxed) }
    }
}
