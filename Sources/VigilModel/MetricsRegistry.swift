internal import Synchronization

/// The set of self-metrics a Vigil process exposes on its own `/metrics`.
///
/// Registration takes a lock; updating a returned ``Counter``, ``Gauge`` or ``Histogram`` does
/// not. Asking twice for the same name and labels returns the same instance, so modules can look
/// their metrics up lazily.
public final class MetricsRegistry: Sendable {
    private enum Instrument: Sendable {
        case counter(Counter)
        case gauge(Gauge)
        case histogram(Histogram)
    }

    private struct Family: Sendable {
        var type: MetricType
        var help: String
        var buckets: [Double]
        var instruments: [Labels: Instrument]
    }

    private struct State: Sendable {
        var families: [String: Family] = [:]
        var collectors: [@Sendable () -> [MetricFamily]] = []
    }

    private let state = Mutex(State())

    /// Creates an empty registry.
    public init() {}

    /// The counter called `name` with `labels`, created on first use.
    ///
    /// - Throws: ``MetricsRegistryError`` if the name or a label name is invalid, or `name` is
    ///   registered with another type or help text.
    public func counter(name: String, help: String, labels: Labels = .empty) throws(MetricsRegistryError) -> Counter {
        let instrument = try instrument(name: name, help: help, type: .counter, buckets: [], labels: labels) {
            .counter(Counter(labels: labels))
        }
        guard case .counter(let counter) = instrument else { preconditionFailure("type checked above") }
        return counter
    }

    /// The gauge called `name` with `labels`, created on first use.
    ///
    /// - Throws: ``MetricsRegistryError`` as ``counter(name:help:labels:)`` does.
    public func gauge(name: String, help: String, labels: Labels = .empty) throws(MetricsRegistryError) -> Gauge {
        let instrument = try instrument(name: name, help: help, type: .gauge, buckets: [], labels: labels) {
            .gauge(Gauge(labels: labels))
        }
        guard case .gauge(let gauge) = instrument else { preconditionFailure("type checked above") }
        return gauge
    }

    /// The histogram called `name` with `labels` and `buckets`, created on first use.
    ///
    /// - Throws: ``MetricsRegistryError`` as ``counter(name:help:labels:)`` does, and when the
    ///   family already uses other buckets or `labels` contains `le`.
    public func histogram(
        name: String, help: String, buckets: [Double] = Histogram.defaultBuckets, labels: Labels = .empty
    ) throws(MetricsRegistryError) -> Histogram {
        if labels["le"] != nil { throw .invalidLabelName(name, "le") }
        let bounds = Array(Set(buckets.filter { !$0.isNaN && $0 != .infinity })).sorted()
        let instrument = try instrument(name: name, help: help, type: .histogram, buckets: bounds, labels: labels) {
            .histogram(Histogram(buckets: bounds, labels: labels))
        }
        guard case .histogram(let histogram) = instrument else { preconditionFailure("type checked above") }
        return histogram
    }

    /// Adds a closure called on every ``collect()`` for metrics computed on demand (process
    /// metrics, sizes of in-memory structures). It runs outside the registry's lock.
    public func register(collector: @escaping @Sendable () -> [MetricFamily]) {
        state.withLock { $0.collectors.append(collector) }
    }

    /// A snapshot of every registered metric and collector, families sorted by name and samples
    /// by labels.
    public func collect() -> [MetricFamily] {
        let (families, collectors) = state.withLock { state in
            (state.families, state.collectors)
        }
        var result: [MetricFamily] = []
        result.reserveCapacity(families.count)
        for (name, family) in families {
            var output = MetricFamily(name: name, help: family.help, type: family.type)
            for (labels, instrument) in family.instruments.sorted(by: { $0.key < $1.key }) {
                switch instrument {
                case .counter(let counter):
                    output.samples.append(.init(name: name, labels: labels, value: counter.value))
                case .gauge(let gauge):
                    output.samples.append(.init(name: name, labels: labels, value: gauge.value))
                case .histogram(let histogram):
                    let snapshot = histogram.snapshot()
                    for (index, count) in snapshot.cumulativeCounts.enumerated() {
                        let bound = index < histogram.upperBounds.count ? histogram.upperBounds[index] : .infinity
                        output.samples.append(.init(
                            name: name + "_bucket", labels: labels.setting("le", to: GoFloat.format(bound)),
                            value: Double(count)))
                    }
                    output.samples.append(.init(name: name + "_sum", labels: labels, value: snapshot.sum))
                    output.samples.append(.init(name: name + "_count", labels: labels, value: Double(snapshot.count)))
                }
            }
            result.append(output)
        }
        for collector in collectors { result.append(contentsOf: collector()) }
        // Stable: families a collector returns keep their relative order.
        return result.enumerated().sorted { lhs, rhs in
            if lhs.element.name != rhs.element.name {
                return ByteOrder.less(lhs.element.name, rhs.element.name)
            }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    private func instrument(
        name: String, help: String, type: MetricType, buckets: [Double], labels: Labels,
        make: () -> Instrument
    ) throws(MetricsRegistryError) -> Instrument {
        guard MetricsRegistry.isValidMetricName(name) else { throw .invalidName(name) }
        for label in labels where !MetricsRegistry.isValidLabelName(label.name) {
            throw .invalidLabelName(name, label.name)
        }
        let result: Result<Instrument, MetricsRegistryError> = state.withLock { state in
            if var family = state.families[name] {
                guard family.type == type else { return .failure(.conflictingType(name, family.type, type)) }
                guard family.help == help else { return .failure(.conflictingHelp(name)) }
                guard family.buckets == buckets else { return .failure(.conflictingBuckets(name)) }
                if let existing = family.instruments[labels] { return .success(existing) }
                let created = make()
                family.instruments[labels] = created
                state.families[name] = family
                return .success(created)
            }
            let created = make()
            state.families[name] = Family(type: type, help: help, buckets: buckets, instruments: [labels: created])
            return .success(created)
        }
        return try result.get()
    }

    static func isValidMetricName(_ name: String) -> Bool {
        var first = true
        for byte in name.utf8 {
            let letter = (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
            let digit = byte &- UInt8(ascii: "0") < 10
            if !(letter || (!first && digit)) { return false }
            first = false
        }
        return !first
    }

    static func isValidLabelName(_ name: String) -> Bool {
        var first = true
        for byte in name.utf8 {
            let letter = (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte == UInt8(ascii: "_")
            let digit = byte &- UInt8(ascii: "0") < 10
            if !(letter || (!first && digit)) { return false }
            first = false
        }
        return !first && !name.hasPrefix("__")
    }
}
