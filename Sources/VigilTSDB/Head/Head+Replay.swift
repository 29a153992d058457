import VigilModel
import Synchronization

extension Head {
    /// Applies one WAL record during replay: recreates series under their logged refs, stores
    /// samples without logging them again, and records tombstones.
    ///
    /// Samples of unknown refs are skipped and counted (`replayUnknownRefs`); samples that do not
    /// fit (too old, conflicting) are dropped and counted like live rejections. The series limit
    /// is not enforced: the data was acknowledged before the restart.
    public func apply(_ record: WALRecord) {
        switch record {
        case .series(let records):
            for record in records {
                guard let (series, created) = try? getOrCreate(labels: record.labels, ref: record.ref, enforceLimit: false) else { continue }
                if !created && series.ref != record.ref {
                    // The same labels were logged twice under two refs: map the later one.
                    replayAliases.withLock { $0[record.ref] = series.ref }
                    nextRefAtLeast(record.ref + 1)
                }
            }
        case .samples(let samples):
            var stored = 0
            var low = Int64.max
            var high = Int64.min
            let minValidTime = minValidTimeValue.load(ordering: .relaxed)
            // One table lock for the record's refs rather than a striped-map lookup per sample.
            let found = table.withLock { table in samples.map { table.get($0.ref) } }
            for (index, sample) in samples.enumerated() {
                guard let series = found[index] ?? replaySeries(sample.ref) else {
                    counters.unknownRefs.wrappingAdd(1, ordering: .relaxed)
                    continue
                }
                if sample.timestamp < minValidTime {
                    countRejection(.outOfBounds)
                    continue
                }
                let ok = series.state.withLock { store(sample.timestamp, sample.value, in: &$0, minValidTime: minValidTime) }
                if ok {
                    stored += 1
                    low = Swift.min(low, sample.timestamp)
                    high = Swift.max(high, sample.timestamp)
                }
            }
            if stored > 0 {
                counters.samples.wrappingAdd(stored, ordering: .relaxed)
                extendTimeRange(low: low, high: high)
            }
        case .tombstones(let stones):
            for stone in stones {
                guard let series = replaySeries(stone.ref) else {
                    counters.unknownRefs.wrappingAdd(1, ordering: .relaxed)
                    continue
                }
                addTombstone(ref: series.ref, stone.mint...stone.maxt)
            }
        }
    }

    func replaySeries(_ ref: SeriesRef) -> MemSeries? {
        if let series = series(ref: ref) { return series }
        guard let alias = replayAliases.withLock({ $0[ref] }) else { return nil }
        return series(ref: alias)
    }

    func nextRefAtLeast(_ value: SeriesRef) {
        var current = nextRef.load(ordering: .relaxed)
        while current < value {
            let (exchanged, original) = nextRef.compareExchange(expected: current, desired: value, ordering: .relaxed)
            if exchanged { break }
            current = original
        }
    }
}
