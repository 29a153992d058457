/// A self-metric that can go up and down, safe to update from any thread without locks.
public final class Gauge: Sendable {
    /// The series' labels, without `__name__`.
    public let labels: Labels
    private let storage: AtomicDouble

    /// Creates a detached gauge at zero; register it through a ``MetricsRegistry`` to expose it.
    public init(labels: Labels = .empty) {
        self.labels = labels
        storage = AtomicDouble(0)
    }

    /// Replaces the value.
    public func set(_ value: Double) {
        storage.store(value)
    }

    /// Adds `amount` (which may be negative).
    public func add(_ amount: Double) {
        storage.add(amount)
    }

    /// Adds one.
    public func increment() {
        storage.add(1)
    }

    /// Subtracts one.
    public func decrement() {
        storage.add(-1)
    }

    /// The current value.
    public var value: Double { storage.load() }
}
