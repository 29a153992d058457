public import Logging
public import VigilModel

/// The kubelet's `/metrics/resource`: the series metrics-server decodes into the Kubernetes
/// resource metrics API (`kubectl top`, the HPA), with the kubelet's names, HELP (stability level
/// included), types, labels and timestamps.
///
/// - `node_cpu_usage_seconds_total`, `node_memory_working_set_bytes`: the root cgroup;
/// - `container_cpu_usage_seconds_total`, `container_memory_working_set_bytes`,
///   `container_start_time_seconds` `{container, namespace, pod}`: every container cgroup whose
///   pod and container the metadata source names (metrics-server needs all three labels);
/// - `pod_cpu_usage_seconds_total`, `pod_memory_working_set_bytes` `{namespace, pod}`: pod cgroups;
/// - `resource_scrape_error` and the deprecated `scrape_error`: 1 when no cgroup hierarchy could
///   be read.
///
/// Usage samples carry the time the files were read, in milliseconds, as the kubelet stamps
/// them with its statistics' time; the start time and the error gauges carry none.
public final class ResourceMetrics: Sendable {
    private let collector: ContainerCollector
    private let paths: NodePaths

    /// Resource metrics of the cgroups under `paths`, named through `collector`'s metadata source.
    public init(collector: ContainerCollector, paths: NodePaths) {
        self.collector = collector
        self.paths = paths
    }

    /// Resource metrics with pod names from `metadata`.
    public convenience init(paths: NodePaths, metadata: any PodMetadataSource, logger: Logger) {
        self.init(collector: ContainerCollector(metadata: metadata, logger: logger), paths: paths)
    }

    /// One scrape's families, sorted by name.
    public func collect() -> [MetricFamily] {
        var reader = FileReader()
        let scan = collector.scan(paths: paths, reader: &reader)
        return ResourceMetrics.families(scan, nodeMemory: { ResourceMetrics.meminfoWorkingSet(paths: paths, reader: &reader, inactiveFile: $0) })
    }

    /// The families of `scan`; `nodeMemory` supplies the node's working set when the root cgroup
    /// has no memory usage of its own (cgroup v2), given the root's inactive file bytes.
    static func families(_ scan: ContainerScan, nodeMemory: (UInt64?) -> UInt64?) -> [MetricFamily] {
        let time = scan.timestamp
        var families: [String: MetricFamily] = [:]
        func add(_ name: String, _ help: String, _ type: MetricType, _ value: Double, _ labels: Labels, timestamp: Int64?) {
            families[name, default: MetricFamily(name: name, help: help, type: type)].samples.append(
                .init(name: name, labels: labels, value: value, timestamp: timestamp))
        }
        if let root = scan.entries.first(where: { $0.id == "/" }) {
            if let cpu = root.stats.cpuUsageNanoseconds {
                add("node_cpu_usage_seconds_total", "[STABLE] Cumulative cpu time consumed by the node in core-seconds", .counter,
                    Double(cpu) / 1e9, .empty, timestamp: time)
            }
            if let memory = root.stats.workingSet ?? nodeMemory(root.stats.memoryInactiveFile) {
                add("node_memory_working_set_bytes", "[STABLE] Current working set of the node in bytes", .gauge,
                    Double(memory), .empty, timestamp: time)
            }
        }
        for entry in scan.entries {
            guard let kubernetes = entry.kubernetes, let pod = entry.pod else { continue }
            if kubernetes.containerID == nil {
                let labels: Labels = ["namespace": pod.namespace, "pod": pod.name]
                if let cpu = entry.stats.cpuUsageNanoseconds {
                    add("pod_cpu_usage_seconds_total", "[STABLE] Cumulative cpu time consumed by the pod in core-seconds", .counter,
                        Double(cpu) / 1e9, labels, timestamp: time)
                }
                if let memory = entry.stats.workingSet {
                    add("pod_memory_working_set_bytes", "[STABLE] Current working set of the pod in bytes", .gauge,
                        Double(memory), labels, timestamp: time)
                }
                continue
            }
            guard let container = entry.container, !container.name.isEmpty else { continue }
            let labels: Labels = ["container": container.name, "namespace": pod.namespace, "pod": pod.name]
            if let start = entry.stats.startTime, start > 0 {
                add("container_start_time_seconds", "[STABLE] Start time of the container since unix epoch in seconds", .gauge,
                    start, labels, timestamp: nil)
            }
            if let cpu = entry.stats.cpuUsageNanoseconds {
                add("container_cpu_usage_seconds_total", "[STABLE] Cumulative cpu time consumed by the container in core-seconds",
                    .counter, Double(cpu) / 1e9, labels, timestamp: time)
            }
            if let memory = entry.stats.workingSet {
                add("container_memory_working_set_bytes", "[STABLE] Current working set of the container in bytes", .gauge,
                    Double(memory), labels, timestamp: time)
            }
        }
        let error: Double = scan.hierarchyFound ? 0 : 1
        add("resource_scrape_error", "[STABLE] 1 if there was an error while getting container metrics, 0 otherwise", .gauge,
            error, .empty, timestamp: nil)
        add("scrape_error", "[ALPHA] (Deprecated since 1.29.0) 1 if there was an error while getting container metrics, 0 otherwise",
            .gauge, error, .empty, timestamp: nil)
        return families.values.sorted { ByteOrder.less($0.name, $1.name) }.map { family in
            var family = family
            family.samples.sort { $0.labels < $1.labels }
            return family
        }
    }

    /// The node's working set from `/proc/meminfo` (total − free − inactive file), as cAdvisor
    /// computes the root's on cgroup v2.
    static func meminfoWorkingSet(paths: NodePaths, reader: inout FileReader, inactiveFile: UInt64?) -> UInt64? {
        guard let text = try? reader.read(paths.proc("meminfo")) else { return nil }
        var total: UInt64?
        var free: UInt64?
        var inactive: UInt64?
        for line in ByteText.lines(text) {
            let fields = ByteText.fields(line)
            guard fields.count >= 2, let kilobytes = ByteText.uint64(fields[1]) else { continue }
            if ByteText.equals(fields[0], "MemTotal:") { total = kilobytes * 1024 }
            if ByteText.equals(fields[0], "MemFree:") { free = kilobytes * 1024 }
            if ByteText.equals(fields[0], "Inactive(file):") { inactive = kilobytes * 1024 }
        }
        guard let total, let free, total >= free else { return nil }
        let usage = total - free
        let subtract = inactiveFile ?? inactive ?? 0
        return usage > subtract ? usage - subtract : 0
    }
}
