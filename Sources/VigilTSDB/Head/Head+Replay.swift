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
            applyReplayed(samples)
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

    /// Stores replayed samples. A batch holding several samples per series on average is first
    /// ordered by ref (stably: each series keeps its WAL order), so each series is looked up and
    /// locked once per run and its open chunk stays in cache while the run is appended; WAL
    /// records interleave all series, and per-sample lookups spend their time on cache misses.
    func applyReplayed(_ samples: [RefSample]) {
        let ordered = Self.runsByRef(samples) ?? samples
        var stored = 0
        var low = Int64.max
        var high = Int64.min
        let minValidTime = minValidTimeValue.load(ordering: .relaxed)
        var index = 0
        let count = ordered.count
        while index < count {
            let ref = ordered[index].ref
            var end = index &+ 1
            while end < count && ordered[end].ref == ref { end &+= 1 }
            guard let series = table.withLock({ $0.get(ref) }) ?? replaySeries(ref) else {
                counters.unknownRefs.wrappingAdd(end &- index, ordering: .relaxed)
                index = end
                continue
            }
            series.state.withLock { state in
                for position in index..<end {
                    let sample = ordered[position]
                    if sample.timestamp < minValidTime {
                        countRejection(.outOfBounds)
                        continue
                    }
                    if storeReplayed(sample.timestamp, sample.value, in: &state, minValidTime: minValidTime) {
                        stored &+= 1
                        if sample.timestamp < low { low = sample.timestamp }
                        if sample.timestamp > high { high = sample.timestamp }
                    }
                }
            }
            index = end
        }
        if stored > 0 {
            counters.samples.wrappingAdd(stored, ordering: .relaxed)
            extendTimeRange(low: low, high: high)
        }
    }

    /// `samples` ordered by ref, ties in their original order (a counting sort over the refs'
    /// span); nil when the refs are too spread for runs to form (fewer than two samples per ref in
    /// the span on average), where ordering would cost more than it saves.
    static func runsByRef(_ samples: [RefSample]) -> [RefSample]? {
        guard samples.count >= 64, var lowest = samples.first?.ref else { return nil }
        var highest = lowest
        for sample in samples {
            if sample.ref < lowest { lowest = sample.ref }
            if sample.ref > highest { highest = sample.ref }
        }
        let span = highest &- lowest
        guard span < UInt64(samples.count / 2) else { return nil }
        var starts = [Int](repeating: 0, count: Int(span) &+ 2)
        for sample in samples { starts[Int(sample.ref &- lowest) &+ 1] &+= 1 }
        for slot in 1..<starts.count { starts[slot] &+= starts[slot &- 1] }
        return [RefSample](unsafeUninitializedCapacity: samples.count) { buffer, initialized in
            for sample in samples {
                let slot = Int(sample.ref &- lowest)
                buffer.initializeElement(at: starts[slot], to: sample)
                starts[slot] &+= 1
            }
            initialized = samples.count
        }
    }

    /// ``store(_:_:in:minValidTime:)`` for replayed samples: one the series already holds with the
    /// same value bits is skipped without counting a rejection. After a head snapshot, the
    /// commits that landed while it was written are in both the snapshot and the WAL.
    func storeReplayed(_ timestamp: Int64, _ value: Double, in state: inout SeriesState, minValidTime: Int64) -> Bool {
        if timestamp <= state.maxTime, timestamp >= minValidTime, state.valueBits(at: timestamp) == value.bitPattern {
            return false
        }
        return store(timestamp, value, in: &state, minValidTime: minValidTime)
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
