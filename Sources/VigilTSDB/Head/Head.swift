import VigilModel
import Synchronization

/// The in-memory part of the TSDB: recent samples of every series, an inverted index over their
/// labels, and the tombstones of deletions not yet persisted.
///
/// Thread-safe: appenders, queriers, deletion and truncation may run concurrently. Series live in
/// lock-striped maps (by ref and by label hash); each series has its own lock; the index has one
/// lock held only to copy copy-on-write lists.
public final class Head: Sendable {
    /// The configuration the head was created with.
    public let options: HeadOptions
    let wal: (any WriteAheadLog)?
    let stripes: [SeriesStripe]
    let stripeMask: UInt64
    let postings = Mutex(MemPostings())
    /// Series by ref for batched, in-order lookups (``series(refs:)``).
    let table = Mutex(SeriesTable())
    let tombstones = Mutex([SeriesRef: [ClosedRange<Int64>]]())
    /// Refs a replayed WAL used for a label set that already had another ref.
    let replayAliases = Mutex([SeriesRef: SeriesRef]())
    let nextRef = Atomic<UInt64>(1)
    let seriesCount = Atomic<Int>(0)
    let minTimeValue = Atomic<Int64>(.max)
    let maxTimeValue = Atomic<Int64>(.min)
    let minValidTimeValue = Atomic<Int64>(.min)
    let counters = HeadCounters()
    /// Who receives committed samples (remote-write queues).
    let commitObservers = CommitObservers()
    /// Keeps each commit's WAL write and head update together as a snapshot sees them.
    let commitGate = CommitGate()

    /// A head writing ahead to `wal` (nil: no WAL, for tests and replay-only use).
    public init(options: HeadOptions = HeadOptions(), wal: (any WriteAheadLog)? = nil) {
        self.options = options
        self.wal = wal
        var count = 1
        while count < Swift.max(1, options.stripeCount) { count <<= 1 }
        stripes = (0..<count).map { _ in SeriesStripe() }
        stripeMask = UInt64(count - 1)
    }

    /// A batch appender; nothing it appends is visible or durable before ``HeadAppender/commit()``.
    public func appender() -> HeadAppender { HeadAppender(head: self) }

    /// A snapshot of the head's statistics.
    public var stats: HeadStats {
        let (pairs, _) = postings.withLock { ($0.pairCount, 0) }
        return HeadStats(
            numSeries: seriesCount.load(ordering: .relaxed),
            numLabelPairs: pairs,
            chunkCount: counters.chunks.load(ordering: .relaxed),
            minTime: minTimeValue.load(ordering: .relaxed),
            maxTime: maxTimeValue.load(ordering: .relaxed),
            samplesAppended: counters.samples.load(ordering: .relaxed),
            outOfOrderSamplesAppended: counters.outOfOrderSamples.load(ordering: .relaxed),
            rejectedOutOfBounds: counters.outOfBounds.load(ordering: .relaxed),
            rejectedOutOfOrder: counters.outOfOrder.load(ordering: .relaxed),
            rejectedDuplicates: counters.duplicates.load(ordering: .relaxed),
            replayUnknownRefs: counters.unknownRefs.load(ordering: .relaxed)
        )
    }

    /// Oldest sample time in the head (ms), `Int64.max` when empty.
    public var minTime: Int64 { minTimeValue.load(ordering: .relaxed) }
    /// Newest sample time in the head (ms), `Int64.min` when empty.
    public var maxTime: Int64 { maxTimeValue.load(ordering: .relaxed) }
    /// Samples older than this are rejected as out of bounds (raised by truncation).
    public var minValidTime: Int64 { minValidTimeValue.load(ordering: .relaxed) }

    // MARK: - Series maps

    @inline(__always)
    func stripe(ref: SeriesRef) -> SeriesStripe { stripes[Int(ref & stripeMask)] }

    @inline(__always)
    func stripe(hash: Int) -> SeriesStripe { stripes[Int(UInt64(bitPattern: Int64(hash)) & stripeMask)] }

    /// The series with `ref`.
    func series(ref: SeriesRef) -> MemSeries? {
        stripe(ref: ref).byRef.withLock { $0[ref] }
    }

    /// The series with `refs` (ascending, as postings are), in that order; refs without a series
    /// are skipped. One lock for the whole batch.
    func series(refs: [SeriesRef]) -> [MemSeries] {
        var result: [MemSeries] = []
        result.reserveCapacity(refs.count)
        var uncovered: [SeriesRef] = []
        table.withLock { table in
            for ref in refs {
                if let series = table.get(ref) {
                    result.append(series)
                } else if !SeriesTable.covers(ref) {
                    uncovered.append(ref)
                }
            }
        }
        if !uncovered.isEmpty {
            // Refs past the table's reach sort after every covered one.
            for ref in uncovered { if let series = series(ref: ref) { result.append(series) } }
        }
        return result
    }

    /// The distinct values of label `name` among the series `refs`, unsorted.
    func labelValues(_ name: String, refs: [SeriesRef]) -> [String] {
        var (values, uncovered) = table.withLock { $0.labelValues(name, refs: refs) }
        for ref in uncovered {
            if let value = series(ref: ref)?.labels[name] { values.append(value) }
        }
        return values
    }

    /// The distinct label names among the series `refs`, unsorted.
    func labelNames(refs: [SeriesRef]) -> [String] {
        var (names, uncovered) = table.withLock { $0.labelNames(refs: refs) }
        for ref in uncovered {
            if let series = series(ref: ref) { names.append(contentsOf: series.labels.map(\.name)) }
        }
        return names
    }

    /// The series with exactly `labels`, if present.
    func series(labels: Labels, hash: Int) -> MemSeries? {
        stripe(hash: hash).byHash.withLock { $0[hash]?.series(labels: labels) }
    }

    /// Finds or creates the series for `labels`; `created` tells whether this call made it.
    ///
    /// `index: false` leaves the new series out of the postings: a bulk load creating series on
    /// several threads adds them afterwards in ref order (``MemPostings`` lists are sorted, and
    /// out-of-order inserts would move their tails each time).
    func getOrCreate(
        labels: Labels, ref fixedRef: SeriesRef? = nil, enforceLimit: Bool, index: Bool = true
    ) throws(TSDBError) -> (MemSeries, created: Bool) {
        let hash = labels.hashValue
        let hashStripe = stripe(hash: hash)
        var labels = labels
        if index {
            // A new series keeps the strings the index already holds instead of its own copies
            // (looked up only once the series is known to be new).
            if let existing = hashStripe.byHash.withLock({ $0[hash]?.series(labels: labels) }) { return (existing, false) }
            labels = postings.withLock { $0.sharingStrings(labels) }
        }
        let result: Result<(MemSeries, Bool), TSDBError> = hashStripe.byHash.withLock { maps in
            if let existing = maps[hash]?.series(labels: labels) { return .success((existing, false)) }
            if enforceLimit {
                let count = seriesCount.wrappingAdd(1, ordering: .relaxed).newValue
                if count > options.maxSeries {
                    seriesCount.wrappingSubtract(1, ordering: .relaxed)
                    return .failure(TSDBError(.limitExceeded, "series limit of \(options.maxSeries) reached; cannot add \(labels.seriesDescription)"))
                }
            } else {
                seriesCount.wrappingAdd(1, ordering: .relaxed)
            }
            let ref: SeriesRef
            if let fixedRef {
                ref = fixedRef
                var current = nextRef.load(ordering: .relaxed)
                while current <= fixedRef {
                    let (exchanged, original) = nextRef.compareExchange(expected: current, desired: fixedRef + 1, ordering: .relaxed)
                    if exchanged { break }
                    current = original
                }
            } else {
                ref = nextRef.wrappingAdd(1, ordering: .relaxed).oldValue
            }
            let series = MemSeries(ref: ref, labels: labels, hash: hash)
            maps[hash] = maps[hash].map { $0.adding(series) } ?? .one(series)
            // Published by ref before the hash stripe unlocks, so a ref handed out is always found.
            stripe(ref: ref).byRef.withLock { $0[ref] = series }
            table.withLock { $0.insert(ref, series) }
            return .success((series, true))
        }
        let (series, created) = try result.get()
        if created && index {
            postings.withLock { $0.add(series.ref, labels) }
        }
        return (series, created)
    }

    /// Every series, in no particular order.
    func allSeries() -> [MemSeries] {
        var result: [MemSeries] = []
        for stripe in stripes {
            stripe.byRef.withLock { result.append(contentsOf: $0.values) }
        }
        return result
    }

    /// Widens the head's [minTime, maxTime] to include `[low, high]`.
    func extendTimeRange(low: Int64, high: Int64) {
        var current = minTimeValue.load(ordering: .relaxed)
        while low < current {
            let (exchanged, original) = minTimeValue.compareExchange(expected: current, desired: low, ordering: .relaxed)
            if exchanged { break }
            current = original
        }
        current = maxTimeValue.load(ordering: .relaxed)
        while high > current {
            let (exchanged, original) = maxTimeValue.compareExchange(expected: current, desired: high, ordering: .relaxed)
            if exchanged { break }
            current = original
        }
    }

    /// Counts a rejection by kind.
    func countRejection(_ kind: TSDBError.Kind) {
        switch kind {
        case .outOfBounds: counters.outOfBounds.wrappingAdd(1, ordering: .relaxed)
        case .outOfOrder: counters.outOfOrder.wrappingAdd(1, ordering: .relaxed)
        case .duplicateSampleForTimestamp: counters.duplicates.wrappingAdd(1, ordering: .relaxed)
        default: break
        }
    }

    /// Stores one checked sample in `state`; returns false if it was a silent duplicate or rejected.
    @inline(__always)
    func store(_ timestamp: Int64, _ value: Double, in state: inout SeriesState, minValidTime: Int64? = nil) -> Bool {
        let minValidTime = minValidTime ?? minValidTimeValue.load(ordering: .relaxed)
        // Replay skips millions of samples already in blocks: reject those without building the
        // error message `check` would.
        if timestamp < minValidTime {
            countRejection(.outOfBounds)
            return false
        }
        let disposition: AppendDisposition
        do {
            disposition = try state.check(timestamp, value.bitPattern, window: options.outOfOrderWindow, minValidTime: minValidTime)
        } catch {
            countRejection(error.kind)
            return false
        }
        let created: Int
        switch disposition {
        case .duplicate: return false
        case .inOrder:
            created = state.appendInOrder(timestamp, value, chunkRange: options.chunkRange, samplesPerChunk: options.samplesPerChunk)
        case .outOfOrder:
            created = state.appendOutOfOrder(timestamp, value, capacity: options.outOfOrderCapacity)
            counters.outOfOrderSamples.wrappingAdd(1, ordering: .relaxed)
        }
        if created != 0 { counters.chunks.wrappingAdd(created, ordering: .relaxed) }
        return true
    }
}

/// One lock stripe of the series maps.
final class SeriesStripe: Sendable {
    /// Series whose ref falls in this stripe.
    let byRef = Mutex([SeriesRef: MemSeries]())
    /// Series whose label hash falls in this stripe.
    let byHash = Mutex([Int: HashBucket]())
}

/// The series of one label hash: one, or a list after a hash collision. A list for every hash
/// would cost an allocation per series (~64 bytes at a million series).
enum HashBucket: Sendable {
    case one(MemSeries)
    case many([MemSeries])

    /// The series with exactly `labels`.
    func series(labels: Labels) -> MemSeries? {
        switch self {
        case .one(let series): series.labels == labels ? series : nil
        case .many(let list): list.first { $0.labels == labels }
        }
    }

    /// The bucket with `series` added.
    func adding(_ series: MemSeries) -> HashBucket {
        switch self {
        case .one(let existing): .many([existing, series])
        case .many(let list): .many(list + [series])
        }
    }

    /// The bucket without `series`; nil when it held only that one.
    func removing(_ series: MemSeries) -> HashBucket? {
        switch self {
        case .one(let existing):
            return existing === series ? nil : self
        case .many(let list):
            let rest = list.filter { $0 !== series }
            return rest.count > 1 ? .many(rest) : rest.first.map { .one($0) }
        }
    }
}

/// The head's atomic counters.
final class HeadCounters: Sendable {
    let samples = Atomic<Int>(0)
    let outOfOrderSamples = Atomic<Int>(0)
    let chunks = Atomic<Int>(0)
    let outOfBounds = Atomic<Int>(0)
    let outOfOrder = Atomic<Int>(0)
    let duplicates = Atomic<Int>(0)
    let unknownRefs = Atomic<Int>(0)
}
