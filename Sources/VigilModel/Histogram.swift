internal import Synchronization

/// A self-metric counting observations into fixed cumulative buckets, lock-free.
///
/// Bucket counts, the count and the sum are separate atomics, so a concurrent collection may see
/// an observation in one and not yet in another; the exposition still keeps buckets cumulative.
public final class Histogram: @unchecked Sendable {
    // @unchecked: the atomics live in memory this class allocates once, never reallocates and
    // frees in deinit; every access goes through `Atomic`, so sharing across threads is safe.

    /// The default buckets of the Go client (`prometheus.DefBuckets`), in seconds.
    public static let defaultBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// The series' labels, without `__name__`.
    public let labels: Labels
    /// The finite upper bounds, ascending; the `+Inf` bucket is implicit.
    public let upperBounds: [Double]
    private let counts: UnsafeMutablePointer<Atomic<UInt64>>
    private let sum: AtomicDouble

    /// Creates a detached histogram. `buckets` are sorted, de-duplicated and stripped of `+Inf`
    /// and NaN; register it through a ``MetricsRegistry`` to expose it.
    public init(buckets: [Double] = Histogram.defaultBuckets, labels: Labels = .empty) {
        self.labels = labels
        let bounds = Array(Set(buckets.filter { !$0.isNaN && $0 != .infinity })).sorted()
        upperBounds = bounds
        counts = .allocate(capacity: bounds.count + 1)
        for index in 0...bounds.count {
            (counts + index).initialize(to: Atomic(0))
        }
        sum = AtomicDouble(0)
    }

    deinit {
        counts.deinitialize(count: upperBounds.count + 1)
        counts.deallocate()
    }

    /// Records one observation; NaN is counted in the `+Inf` bucket and poisons the sum, like Go.
    public func observe(_ value: Double) {
        // Binary search for the first bound >= value (le is inclusive).
        var low = 0
        var high = upperBounds.count
        while low < high {
            let mid = (low + high) >> 1
            if upperBounds[mid] >= value { high = mid } else { low = mid + 1 }
        }
        counts[low].wrappingAdd(1, ordering: .relaxed)
        sum.add(value)
    }

    /// A consistent-enough snapshot: cumulative counts per bound (last is `+Inf`), count and sum.
    public func snapshot() -> (cumulativeCounts: [UInt64], count: UInt64, sum: Double) {
        var cumulative: [UInt64] = []
        cumulative.reserveCapacity(upperBounds.count + 1)
        var running: UInt64 = 0
        for index in 0...upperBounds.count {
            running &+= counts[index].load(ordering: .relaxed)
            cumulative.append(running)
        }
        return (cumulative, running, sum.load())
    }
}
