/// A monotonically increasing self-metric, safe to update from any thread without locks.
///
/// Obtain one from ``MetricsRegistry/counter(name:help:labels:)``; by convention the name ends
/// in `_total`.
public final class Counter: Sendable {
    /// The series' labels, without `__name__`.
    public let labels: Labels
    private let storage: AtomicDouble

    /// Creates a detached counter at zero; register it through a ``MetricsRegistry`` to expose it.
    public init(labels: Labels = .empty) {
        self.labels = labels
        storage = AtomicDouble(0)
    }

    /// Adds one.
    public func increment() {
        storage.add(1)
    }

    /// Adds `amount`; negative and NaN amounts are ignored because a counter never decreases.
    public func increment(by amount: Double) {
        guard amount > 0 else { return }
        storage.add(amount)
    }

    /// The current total.
    public var value: Double { storage.load() }
}
