public import VigilModel
import Synchronization

/// Collects a batch of samples for the head; ``commit()`` logs them to the WAL, then stores them.
///
/// Each ``append(ref:labels:timestamp:value:)`` checks the sample against what is already
/// committed and throws for that sample alone (it is not buffered; the batch continues). At
/// commit, samples are checked again against the then-current state (another appender may have
/// committed in between); those that no longer fit are dropped and counted, as Prometheus does.
/// Use one appender from one task at a time; create as many appenders as needed.
public struct HeadAppender {
    let head: Head
    var newSeries: [WALRecord.SeriesRecord] = []
    var samples: [RefSample] = []
    var targets: [MemSeries] = []
    // Copied from the head's options so the per-sample path does not go through `head`.
    private let maxSamplesPerCommit: Int
    private let outOfOrderWindow: Int64

    init(head: Head) {
        self.head = head
        maxSamplesPerCommit = head.options.maxSamplesPerCommit
        outOfOrderWindow = head.options.outOfOrderWindow
    }

    /// Samples buffered and not yet committed.
    public var pendingCount: Int { samples.count }

    /// Buffers one sample and returns its series' ref, to pass back next time.
    ///
    /// `ref` is tried first (cheapest); when it is nil or unknown, `labels` find or create the
    /// series. Throws `.invalidLabels` (empty set or an empty name), `.limitExceeded` (new series
    /// beyond `maxSeries`, or a batch beyond `maxSamplesPerCommit`), `.outOfBounds`, `.outOfOrder` or `.duplicateSampleForTimestamp`. A sample
    /// equal (timestamp and value bits) to a stored one is accepted and ignored.
    public mutating func append(ref: SeriesRef?, labels: Labels, timestamp: Int64, value: Double) throws(TSDBError) -> SeriesRef {
        var series = ref.flatMap { head.series(ref: $0) }
        try append(&series, labels: labels, timestamp: timestamp, value: value)
        return series!.ref
    }

    /// The form a scrape loop uses for every sample: `handle` (empty the first time) is used and
    /// updated in place, so a known series costs no lookup and no reference counting beyond the
    /// batch's own list. `labels` are read only when the handle is empty or its series was
    /// dropped from the head. The handle is kept even when the sample is rejected.
    public mutating func append(
        handle: inout SeriesHandle, labels: Labels, timestamp: Int64, value: Double
    ) throws(TSDBError) {
        try append(&handle.series, labels: labels, timestamp: timestamp, value: value)
    }

    /// Checks and buffers one sample for `series` (found or created from `labels` when nil or
    /// removed by truncation meanwhile; then set to the series used).
    private mutating func append(_ series: inout MemSeries?, labels: Labels, timestamp: Int64, value: Double) throws(TSDBError) {
        guard samples.count < maxSamplesPerCommit else {
            throw TSDBError(
                .limitExceeded,
                "batch limit of \(maxSamplesPerCommit) samples per commit reached at \(labels.seriesDescription)"
            )
        }
        let window = outOfOrderWindow
        let minValid = head.minValidTime
        while true {
            if series == nil {
                try HeadAppender.validate(labels)
                let (found, created) = try head.getOrCreate(labels: labels, enforceLimit: true)
                if created { newSeries.append(WALRecord.SeriesRecord(ref: found.ref, labels: labels)) }
                series = found
            }
            let target = series.unsafelyUnwrapped
            let outcome: Result<Bool, TSDBError>? = target.state.withLock { state -> Result<Bool, TSDBError>? in
                if state.removed { return nil }
                do throws(TSDBError) {
                    if try state.check(timestamp, value.bitPattern, window: window, minValidTime: minValid) == .duplicate {
                        return .success(false)
                    }
                } catch {
                    return .failure(error)
                }
                state.pending += 1
                return .success(true)
            }
            guard let outcome else {
                // Truncation removed the series after we found it: find or create it again.
                series = nil
                continue
            }
            switch outcome {
            case .success(let buffered):
                if buffered {
                    samples.append(RefSample(ref: target.ref, timestamp: timestamp, value: value))
                    targets.append(target)
                }
                return
            case .failure(let error):
                head.countRejection(error.kind)
                throw error
            }
        }
    }

    /// Logs the batch to the WAL (new series first, then samples), then makes it visible.
    ///
    /// If the WAL refuses the batch, nothing is stored and the error is rethrown. Samples that
    /// became invalid since ``append(ref:labels:timestamp:value:)`` are dropped and counted.
    ///
    /// With `durable: false` the WAL write returns after write(2) even when the WAL syncs every
    /// batch: the batch survives a killed process but not a power cut until the next sync. Scrapes
    /// use it (nobody waits on their durability, and Prometheus never syncs them either);
    /// writes acknowledged to a client keep the default.
    public mutating func commit(durable: Bool = true) throws(TSDBError) {
        if samples.isEmpty && newSeries.isEmpty { return }
        head.commitGate.enter()
        defer { head.commitGate.leave() }
        if let wal = head.wal {
            var records: [WALRecord] = []
            if !newSeries.isEmpty { records.append(.series(newSeries)) }
            if !samples.isEmpty { records.append(.samples(samples)) }
            do {
                if durable { try wal.log(records) } else { try wal.logBuffered(records) }
            } catch {
                rollback()
                throw error
            }
        }
        var stored = 0
        let observing = !head.commitObservers.isEmpty
        var observedSeries: [MemSeries] = []
        var observedSamples: [RefSample] = []
        if observing {
            observedSeries.reserveCapacity(samples.count)
            observedSamples.reserveCapacity(samples.count)
        }
        var low = Int64.max
        var high = Int64.min
        var index = 0
        let count = samples.count
        while index < count {
            let series = targets[index]
            // Consecutive samples of one series share one lock acquisition.
            var end = index + 1
            while end < count && targets[end] === series { end += 1 }
            series.state.withLock { state in
                for position in index..<end {
                    let sample = samples[position]
                    state.pending -= 1
                    if head.store(sample.timestamp, sample.value, in: &state) {
                        stored += 1
                        if observing {
                            observedSeries.append(series)
                            observedSamples.append(sample)
                        }
                        if sample.timestamp < low { low = sample.timestamp }
                        if sample.timestamp > high { high = sample.timestamp }
                    }
                }
            }
            index = end
        }
        if stored > 0 {
            head.counters.samples.wrappingAdd(stored, ordering: .relaxed)
            head.extendTimeRange(low: low, high: high)
        }
        if observing && !observedSamples.isEmpty {
            head.commitObservers.notify(CommittedSamples(series: observedSeries, samples: observedSamples))
        }
        reset()
    }

    /// Drops the buffered samples. Series this appender created stay in the head (other appenders
    /// may already use their refs), so they are still logged to the WAL, as Prometheus does.
    public mutating func rollback() {
        for series in targets {
            series.state.withLock { $0.pending -= 1 }
        }
        if let wal = head.wal, !newSeries.isEmpty {
            try? wal.log([.series(newSeries)])
        }
        reset()
    }

    mutating func reset() {
        newSeries.removeAll(keepingCapacity: true)
        samples.removeAll(keepingCapacity: true)
        targets.removeAll(keepingCapacity: true)
    }

    static func validate(_ labels: Labels) throws(TSDBError) {
        if labels.isEmpty { throw TSDBError(.invalidLabels, "empty label set") }
        var previous: String?
        for label in labels {
            if label.name.isEmpty { throw TSDBError(.invalidLabels, "empty label name in \(labels)") }
            if let previous, !ByteOrder.less(previous, label.name) {
                throw TSDBError(.invalidLabels, "labels not sorted or duplicate name \(label.name) in \(labels)")
            }
            previous = label.name
        }
    }
}

/// Where a caller keeps the series an appender found or created for it: pass it back to
/// ``HeadAppender/append(handle:labels:timestamp:value:)`` to skip the lookup next time. A handle
/// to a series the head has since dropped is detected and the series found or created again.
public struct SeriesHandle: @unchecked Sendable {
    // MemSeries is Sendable; the wrapper only hides the internal type.
    var series: MemSeries?

    /// An empty handle: the first append fills it.
    public init() {}

    /// Whether no append has filled the handle yet.
    public var isEmpty: Bool { series == nil }

    /// The series' ref, once filled.
    public var ref: SeriesRef? { series?.ref }
}
