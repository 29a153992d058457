public import VigilModel

/// Gathers the samples of one scrape into metric families, keyed by family name.
///
/// Labels with an empty value are dropped, as Prometheus stores them (node_exporter prints
/// `id_like=""`; the series is the same). ``families()`` orders families by name and the
/// samples of counters, gauges and untyped families by labels, as client_golang's registry does.
public struct MetricSink: Sendable {
    private var gathered: [MetricFamily] = []
    private var index: [String: Int] = [:]
    private var builder = LabelsBuilder()

    /// An empty sink.
    public init() {}

    /// The number of samples added so far.
    public var sampleCount: Int { gathered.reduce(0) { $0 + $1.samples.count } }

    /// Adds a gauge sample.
    public mutating func gauge(_ name: String, _ help: String, _ value: Double, _ labels: KeyValuePairs<String, String> = [:]) {
        add(name, help, .gauge, value, labels)
    }

    /// Adds a counter sample; `name` carries its `_total` suffix.
    public mutating func counter(_ name: String, _ help: String, _ value: Double, _ labels: KeyValuePairs<String, String> = [:]) {
        add(name, help, .counter, value, labels)
    }

    /// Adds an untyped sample (node_exporter's netstat and vmstat fields).
    public mutating func untyped(_ name: String, _ help: String, _ value: Double, _ labels: KeyValuePairs<String, String> = [:]) {
        add(name, help, .unknown, value, labels)
    }

    /// Adds a sample to family `name`, creating the family with `help` and `type` on first use.
    public mutating func add(_ name: String, _ help: String, _ type: MetricType, _ value: Double, _ labels: KeyValuePairs<String, String>) {
        let built: Labels
        if labels.isEmpty {
            built = .empty
        } else {
            builder.reset()
            for (label, labelValue) in labels { builder.set(label, labelValue) }
            built = builder.build()
        }
        append(name, help, type, MetricFamily.Sample(name: name, labels: built, value: value))
    }

    /// Adds a sample whose labels are already built (the textfile collector's).
    public mutating func append(_ name: String, _ help: String, _ type: MetricType, _ sample: MetricFamily.Sample) {
        if let position = index[name] {
            gathered[position].samples.append(sample)
        } else {
            index[name] = gathered.count
            gathered.append(MetricFamily(name: name, help: help, type: type, samples: [sample]))
        }
    }

    /// Whether a family called `name` has been started.
    public func contains(_ name: String) -> Bool { index[name] != nil }

    /// The families gathered, sorted by name, each one's samples sorted by labels.
    public func families() -> [MetricFamily] {
        // Sort positions rather than the families themselves: moving a family retains its strings
        // and arrays on every swap.
        let order = gathered.indices.sorted { ByteOrder.less(gathered[$0].name, gathered[$1].name) }
        var sorted: [MetricFamily] = []
        sorted.reserveCapacity(order.count)
        for position in order {
            var family = gathered[position]
            // Histograms and summaries keep their order: buckets, then sum and count.
            if family.samples.count > 1 && family.type != .histogram && family.type != .summary
                && !MetricSink.isSorted(family.samples) {
                family.samples.sort { $0.labels < $1.labels }
            }
            sorted.append(family)
        }
        return sorted
    }

    private static func isSorted(_ samples: [MetricFamily.Sample]) -> Bool {
        for index in samples.indices.dropFirst() where samples[index].labels < samples[index - 1].labels { return false }
        return true
    }
}
