#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
public import Logging
public import VigilModel

/// The node collector: node_exporter's metrics for this host, computed on each ``collect()``.
///
/// Runs every enabled ``Collector`` in turn and adds node_exporter's
/// `node_scrape_collector_duration_seconds{collector}` and
/// `node_scrape_collector_success{collector}`. A collector that fails (a missing or unreadable
/// file, a malformed line) is logged and reported with success 0; it never stops the others.
/// Thread-safe: concurrent scrapes each get their own buffers.
public final class NodeExporter: Sendable {
    /// The collectors that run, sorted by name.
    public let collectors: [any Collector]
    /// The options it was built from.
    public let options: NodeCollectorOptions
    /// The kubelet's `/metrics/resource` over the same cgroups and pod metadata as the
    /// container collector.
    public let resource: ResourceMetrics
    private let logger: Logger

    /// Builds the enabled collectors.
    ///
    /// `podMetadata` names pods and containers for the container collector and the resource
    /// metrics; by default the kubelet's log layout under `options.containerPodLogs`.
    ///
    /// - Throws: ``CollectorError`` for an unknown collector name or a pattern that does not
    ///   compile, naming the flag.
    public init(options: NodeCollectorOptions, logger: Logger, podMetadata: (any PodMetadataSource)? = nil) throws(CollectorError) {
        self.options = options
        self.logger = logger
        for name in options.enabled where !NodeCollectorOptions.isKnown(name) {
            throw .malformed("--collector.\(name)", "unknown collector")
        }
        let container = ContainerCollector(
            metadata: podMetadata ?? PodLogDirectory(root: options.paths.root(options.containerPodLogs)), logger: logger)
        var built: [any Collector] = []
        for name in options.enabled.sorted() {
            built.append(name == "container" ? container : try NodeExporter.make(name, options: options))
        }
        collectors = built
        resource = ResourceMetrics(collector: container, paths: options.paths)
    }

    /// Runs a custom set of collectors (tests); `resource` reads through the set's container collector, or a new one.
    public init(collectors: [any Collector], paths: NodePaths, logger: Logger) {
        var options = NodeCollectorOptions()
        options.paths = paths
        options.enabled = Set(collectors.map(\.name))
        self.options = options
        self.logger = logger
        self.collectors = collectors.sorted { $0.name < $1.name }
        let container = collectors.lazy.compactMap { $0 as? ContainerCollector }.first
        resource = ResourceMetrics(collector: container ?? ContainerCollector(logger: logger), paths: paths)
    }

    /// One scrape: every collector's families plus the scrape-collector families, sorted by name.
    public func collect() -> [MetricFamily] {
        var context = CollectorContext(paths: options.paths)
        var durations: [(String, Double, Bool)] = []
        durations.reserveCapacity(collectors.count)
        for collector in collectors {
            let start = NodeExporter.monotonicSeconds()
            var succeeded = true
            do {
                try collector.collect(&context)
            } catch {
                succeeded = false
                let metadata: Logger.Metadata = ["collector": "\(collector.name)", "err": "\(error)"]
                if error.isNoData || error.isNotFound {
                    logger.debug("Collector found no data", metadata: metadata)
                } else {
                    logger.error("Collector failed", metadata: metadata)
                }
            }
            durations.append((collector.name, NodeExporter.monotonicSeconds() - start, succeeded))
        }
        for (name, seconds, succeeded) in durations {
            context.sink.gauge(
                "node_scrape_collector_duration_seconds", "node_exporter: Duration of a collector scrape.", seconds,
                ["collector": name])
            context.sink.gauge(
                "node_scrape_collector_success", "node_exporter: Whether a collector succeeded.", succeeded ? 1 : 0,
                ["collector": name])
        }
        return context.sink.families()
    }

    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    private static func make(_ name: String, options: NodeCollectorOptions) throws(CollectorError) -> any Collector {
        switch name {
        case "conntrack": return ConntrackCollector()
        case "cpu": return CPUCollector(guest: options.cpuGuest)
        case "diskstats":
            return DiskstatsCollector(filter: try deviceFilter(
                exclude: options.diskstatsDeviceExclude, include: options.diskstatsDeviceInclude, flag: "collector.diskstats"))
        case "entropy": return EntropyCollector()
        case "filefd": return FilefdCollector()
        case "filesystem":
            return FilesystemCollector(
                mountPoints: try NameFilter(options.mountPointsExclude, mode: .exclude, flag: "collector.filesystem.mount-points-exclude"),
                fsTypes: try NameFilter(options.fsTypesExclude, mode: .exclude, flag: "collector.filesystem.fs-types-exclude"))
        case "gpu": return GPUCollector(executable: options.nvidiaSMI)
        case "hwmon": return HwmonCollector()
        case "loadavg": return LoadavgCollector()
        case "meminfo": return MeminfoCollector()
        case "netdev":
            return NetdevCollector(filter: try deviceFilter(
                exclude: options.netdevDeviceExclude, include: options.netdevDeviceInclude, flag: "collector.netdev"))
        case "netstat": return NetstatCollector(fields: try NameFilter(options.netstatFields, mode: .include, flag: "collector.netstat.fields"))
        case "nvme": return NVMeCollector()
        case "os": return OSReleaseCollector()
        case "pressure": return PressureCollector()
        case "sockstat": return SockstatCollector()
        case "stat": return StatCollector()
        case "textfile": return TextfileCollector(directory: options.textfileDirectory)
        case "thermal_zone": return ThermalZoneCollector()
        case "time": return TimeCollector()
        case "timex": return TimexCollector()
        case "uname": return UnameCollector()
        case "vmstat": return VmstatCollector(fields: try NameFilter(options.vmstatFields, mode: .include, flag: "collector.vmstat.fields"))
        default: throw .malformed("--collector.\(name)", "unknown collector")
        }
    }

    private static func deviceFilter(exclude: String?, include: String?, flag: String) throws(CollectorError) -> NameFilter? {
        switch (exclude.flatMap { $0.isEmpty ? nil : $0 }, include.flatMap { $0.isEmpty ? nil : $0 }) {
        case (nil, nil): return nil
        case (let exclude?, nil): return try NameFilter(exclude, mode: .exclude, flag: flag + ".device-exclude")
        case (nil, let include?): return try NameFilter(include, mode: .include, flag: flag + ".device-include")
        case (.some, .some):
            throw .malformed("--" + flag + ".device-include", "device-exclude and device-include are mutually exclusive")
        }
    }
}
