public import VigilTSDB
import VigilModel

/// Reads node and container usage from the stored resource series, the way metrics-server turns
/// two scrapes of the kubelet's `/metrics/resource` into a rate: CPU is the difference of the two
/// newest cumulative points over the time between them (a counter that went backwards gives no
/// point), memory is the newest working set.
///
/// Series: `node_cpu_usage_seconds_total` and `node_memory_working_set_bytes` per node (named by
/// the `node` label, else the host of `instance`), `container_cpu_usage_seconds_total` and
/// `container_memory_working_set_bytes{namespace, pod, container}` without an `id` label. With
/// ``Source/cadvisor``, or ``Source/auto`` when those are absent, cAdvisor's series of the same
/// names: `id="/"` for nodes, `container!="", container!="POD"` for containers.
public struct ResourceUsageReader: Sendable {
    /// Which series the reader uses.
    public enum Source: String, Sendable {
        /// `/metrics/resource` series where there are any, else cAdvisor's.
        case auto
        /// Only `/metrics/resource` series.
        case resource
        /// Only cAdvisor series.
        case cadvisor
    }

    private let querier: @Sendable (_ mint: Int64, _ maxt: Int64) -> any Querier
    private let lookback: Int64
    private let source: Source

    /// A reader over `querier`; points older than `lookback` milliseconds before the request's
    /// time are ignored (a node or pod that stopped reporting drops out, as in metrics-server).
    public init(lookback: Int64, source: Source, querier: @escaping @Sendable (_ mint: Int64, _ maxt: Int64) -> any Querier) {
        self.querier = querier
        self.lookback = lookback
        self.source = source
    }

    /// Every node with both a CPU rate and a working set at `now`, sorted by name.
    public func nodes(now: Int64) throws(TSDBError) -> [NodeUsage] {
        let q = querier(now - lookback, now)
        var usage: [NodeUsage] = []
        if source != .cadvisor {
            usage = try nodeUsage(q, now: now, extra: [])
        }
        if source == .cadvisor || (source == .auto && usage.isEmpty) {
            usage = try nodeUsage(q, now: now, extra: [Self.matcher(.equal, "id", "/")])
        }
        return usage.sorted { ByteOrder.less($0.name, $1.name) }
    }

    /// Every pod (in `namespace` when given) with at least one container having both a CPU rate
    /// and a working set at `now`, sorted by namespace and name.
    public func pods(now: Int64, namespace: String? = nil) throws(TSDBError) -> [PodUsage] {
        let q = querier(now - lookback, now)
        var scope = [Self.matcher(.notEqual, "container", ""), Self.matcher(.notEqual, "pod", ""), Self.matcher(.notEqual, "namespace", "")]
        if let namespace { scope.append(Self.matcher(.equal, "namespace", namespace)) }
        var usage: [PodUsage] = []
        if source != .cadvisor {
            usage = try podUsage(q, now: now, extra: scope + [Self.matcher(.equal, "id", "")])
        }
        if source == .cadvisor || (source == .auto && usage.isEmpty) {
            usage = try podUsage(q, now: now, extra: scope + [Self.matcher(.notEqual, "id", ""), Self.matcher(.notEqual, "container", "POD")])
        }
        return usage.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
    }

    private func nodeUsage(_ q: any Querier, now: Int64, extra: [LabelMatcher]) throws(TSDBError) -> [NodeUsage] {
        let cpuName = extra.isEmpty ? "node_cpu_usage_seconds_total" : "container_cpu_usage_seconds_total"
        let memoryName = extra.isEmpty ? "node_memory_working_set_bytes" : "container_memory_working_set_bytes"
        let cpu = try newest(q, cpuName, extra, now: now, key: Self.nodeName, point: Self.rate)
        let memory = try newest(q, memoryName, extra, now: now, key: Self.nodeName, point: Self.gauge)
        return cpu.compactMap { name, cpu in
            guard let memory = memory[name] else { return nil }
            return NodeUsage(name: name, timestamp: cpu.timestamp, window: cpu.window, cpuNanocores: cpu.value, memoryBytes: memory.value)
        }
    }

    private func podUsage(_ q: any Querier, now: Int64, extra: [LabelMatcher]) throws(TSDBError) -> [PodUsage] {
        let key: @Sendable (Labels) -> String? = { labels in
            guard let namespace = labels["namespace"], let pod = labels["pod"], let container = labels["container"] else { return nil }
            return namespace + "\u{0}" + pod + "\u{0}" + container
        }
        let cpu = try newest(q, "container_cpu_usage_seconds_total", extra, now: now, key: key, point: Self.rate)
        let memory = try newest(q, "container_memory_working_set_bytes", extra, now: now, key: key, point: Self.gauge)
        var pods: [String: PodUsage] = [:]
        for (key, cpu) in cpu {
            guard let memory = memory[key] else { continue }
            let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
            let podKey = parts[0] + "\u{0}" + parts[1]
            pods[podKey, default: PodUsage(namespace: parts[0], name: parts[1], containers: [])].containers.append(
                ContainerUsage(name: parts[2], timestamp: cpu.timestamp, window: cpu.window, cpuNanocores: cpu.value, memoryBytes: memory.value))
        }
        return pods.values.map { pod in
            var pod = pod
            pod.containers.sort { ByteOrder.less($0.name, $1.name) }
            return pod
        }
    }

    /// A usage point: its time, the span it covers (0 for a gauge) and its value.
    struct Point: Sendable, Equatable {
        var timestamp: Int64
        var window: Int64
        var value: UInt64
    }

    /// For each key, the point of the series whose newest sample is newest (two jobs scraping the
    /// same node must not add up).
    private func newest(
        _ q: any Querier, _ name: String, _ extra: [LabelMatcher], now: Int64, key: (Labels) -> String?,
        point: ([Int64], [Double]) -> Point?
    ) throws(TSDBError) -> [String: Point] {
        var result: [String: Point] = [:]
        var timestamps: [Int64] = []
        var values: [Double] = []
        for series in try q.select([Self.matcher(.equal, Labels.metricName, name)] + extra, mint: now - lookback, maxt: now) {
            guard let key = key(series.labels) else { continue }
            timestamps.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
            series.decode(into: &timestamps, &values)
            // Only what follows the last staleness marker: a target that went away reports nothing.
            let fresh = (values.lastIndex { $0.isNaN }).map { $0 + 1 } ?? 0
            guard let found = point(Array(timestamps[fresh...]), Array(values[fresh...])) else { continue }
            if let existing = result[key], existing.timestamp >= found.timestamp { continue }
            result[key] = found
        }
        return result
    }

    /// metrics-server's rate: whole nanoseconds of CPU between the two newest points, over their
    /// span in seconds, truncated to whole nanocores.
    static func rate(_ timestamps: [Int64], _ values: [Double]) -> Point? {
        guard timestamps.count >= 2 else { return nil }
        let last = timestamps.count - 1
        let window = timestamps[last] - timestamps[last - 1]
        guard window > 0, let newer = nanoseconds(values[last]), let older = nanoseconds(values[last - 1]), newer >= older else {
            return nil
        }
        // (Δns × 1000) / Δms, in 128-bit arithmetic so a busy node's counter cannot overflow.
        let (high, low) = (newer - older).multipliedFullWidth(by: 1000)
        // A quotient past UInt64 (absurd input) would trap; such a point is no point.
        guard high < UInt64(window) else { return nil }
        let (quotient, _) = UInt64(window).dividingFullWidth((high, low))
        return Point(timestamp: timestamps[last], window: window, value: quotient)
    }

    /// The newest sample as a whole number of bytes.
    static func gauge(_ timestamps: [Int64], _ values: [Double]) -> Point? {
        guard let timestamp = timestamps.last, let value = values.last, value >= 0, value < 1.8e19 else { return nil }
        return Point(timestamp: timestamp, window: 0, value: UInt64(value.rounded()))
    }

    private static func nanoseconds(_ seconds: Double) -> UInt64? {
        let value = (seconds * 1e9).rounded()
        guard value >= 0, value < 1.8e19 else { return nil }
        return UInt64(value)
    }

    /// The node a series belongs to: its `node` label (the deploy config sets it), else the host
    /// part of `instance`.
    @Sendable static func nodeName(_ labels: Labels) -> String? {
        if let node = labels["node"], !node.isEmpty { return node }
        guard let instance = labels["instance"], !instance.isEmpty else { return nil }
        if instance.hasPrefix("["), let close = instance.firstIndex(of: "]") {
            return String(instance[instance.index(after: instance.startIndex)..<close])
        }
        if let colon = instance.lastIndex(of: ":"), instance.firstIndex(of: ":") == colon { return String(instance[..<colon]) }
        return instance
    }

    private static func matcher(_ type: LabelMatcher.MatchType, _ name: String, _ value: String) -> LabelMatcher {
        // Literal matchers never throw; only regexes compile.
        try! LabelMatcher(type, name, value)
    }
}
