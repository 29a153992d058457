import Logging
import VigilModel

/// Renders a ``ContainerScan`` entry as cAdvisor's families into a ``MetricSink``, holding back
/// counters that went backwards since the previous scrape.
struct ContainerEmitter {
    var sink: MetricSink
    /// Counter values of the previous scrape, by ``key(_:_:_:)``.
    let previous: [String: UInt64]
    /// This scrape's counter values, for the next one.
    var current: [String: UInt64] = [:]
    let deviceNames: [String: String]
    let logger: Logger
    private var builder = LabelsBuilder()

    init(sink: MetricSink, previous: [String: UInt64], deviceNames: [String: String], logger: Logger) {
        self.sink = sink
        self.previous = previous
        self.deviceNames = deviceNames
        self.logger = logger
    }

    /// The labels the kubelet's cAdvisor puts on every container series.
    mutating func labels(_ entry: ContainerScan.Entry) -> Labels {
        builder.reset()
        builder.set("id", entry.id)
        builder.set("name", entry.kubernetes?.containerID ?? "")
        builder.set("container", entry.container?.name ?? "")
        builder.set("image", entry.container?.image ?? "")
        builder.set("pod", entry.pod?.name ?? "")
        builder.set("namespace", entry.pod?.namespace ?? "")
        return builder.build()
    }

    mutating func emit(_ entry: ContainerScan.Entry, lastSeen: Double) {
        let base = labels(entry)
        let stats = entry.stats
        let id = entry.id

        counter("container_cpu_usage_seconds_total", "Cumulative cpu time consumed in seconds.", stats.cpuUsageNanoseconds,
                divisor: 1e9, id, base.setting("cpu", to: "total"), extra: "")
        counter("container_cpu_user_seconds_total", "Cumulative user cpu time consumed in seconds.", stats.cpuUserNanoseconds,
                divisor: 1e9, id, base)
        counter("container_cpu_system_seconds_total", "Cumulative system cpu time consumed in seconds.", stats.cpuSystemNanoseconds,
                divisor: 1e9, id, base)
        // cAdvisor reports CFS throttling only for cgroups with a quota.
        if let quota = stats.cpuQuota, quota > 0 {
            counter("container_cpu_cfs_periods_total", "Number of elapsed enforcement period intervals.", stats.cfsPeriods, id, base)
            counter("container_cpu_cfs_throttled_periods_total", "Number of throttled period intervals.", stats.cfsThrottledPeriods, id, base)
            counter("container_cpu_cfs_throttled_seconds_total", "Total time duration the container has been throttled.",
                    stats.cfsThrottledNanoseconds, divisor: 1e9, id, base)
        }

        gauge("container_memory_usage_bytes", "Current memory usage in bytes, including all memory regardless of when it was accessed",
              stats.memoryUsage, base)
        gauge("container_memory_max_usage_bytes", "Maximum memory usage recorded in bytes", stats.memoryMaxUsage, base)
        gauge("container_memory_working_set_bytes", "Current working set in bytes.", stats.workingSet, base)
        gauge("container_memory_cache", "Number of bytes of page cache memory.", stats.memoryCache, base)
        gauge("container_memory_rss", "Size of RSS in bytes.", stats.memoryRSS, base)
        gauge("container_memory_mapped_file", "Size of memory mapped files in bytes.", stats.memoryMappedFile, base)
        gauge("container_memory_swap", "Container swap usage in bytes.", stats.memorySwap, base)
        counter("container_memory_failcnt", "Number of memory usage hits limits", stats.memoryFailcnt, id, base)
        let failures = "Cumulative count of memory allocation failures."
        for (type, scope, value) in [
            ("pgfault", "container", stats.pageFaults), ("pgmajfault", "container", stats.majorPageFaults),
            ("pgfault", "hierarchy", stats.hierarchyPageFaults ?? stats.pageFaults),
            ("pgmajfault", "hierarchy", stats.hierarchyMajorPageFaults ?? stats.majorPageFaults),
        ] {
            counter("container_memory_failures_total", failures, value, id,
                    base.setting("failure_type", to: type).setting("scope", to: scope), extra: type + scope)
        }
        counter("container_oom_events_total", "Count of out of memory events observed for the container", stats.oomKills, id, base)

        for io in stats.io {
            let device = deviceNames[io.device] ?? io.device
            let labels = base.setting("device", to: device)
            counter("container_fs_reads_bytes_total", "Cumulative count of bytes read", io.readBytes, id, labels, extra: io.device)
            counter("container_fs_reads_total", "Cumulative count of reads completed", io.reads, id, labels, extra: io.device)
            counter("container_fs_writes_bytes_total", "Cumulative count of bytes written", io.writeBytes, id, labels, extra: io.device)
            counter("container_fs_writes_total", "Cumulative count of writes completed", io.writes, id, labels, extra: io.device)
        }

        for (interface, values) in entry.network where values.count >= 12 {
            let labels = base.setting("interface", to: interface)
            // /proc/net/dev: receive bytes packets errs drop …(4) transmit bytes packets errs drop.
            for (name, help, column) in ContainerEmitter.networkColumns {
                counter(name, help, values[column], id, labels, extra: interface)
            }
        }

        gauge("container_processes", "Number of processes running inside the container.", stats.processes, base)
        gauge("container_threads", "Number of threads running inside the container", stats.threads, base)
        gauge("container_threads_max", "Maximum number of threads allowed inside the container, infinity if value is zero",
              stats.threadsMax, base)
        if let start = stats.startTime {
            sink.append("container_start_time_seconds", "Start time of the container since unix epoch in seconds.", .gauge,
                        .init(name: "container_start_time_seconds", labels: base, value: start))
        }
        sink.append("container_last_seen", "Last time a container was seen by the exporter", .gauge,
                    .init(name: "container_last_seen", labels: base, value: lastSeen))

        if entry.id != "/" {
            if let period = stats.cpuPeriod, period > 0 { gauge("container_spec_cpu_period", "CPU period of the container.", period, base) }
            if let quota = stats.cpuQuota, quota > 0 { gauge("container_spec_cpu_quota", "CPU quota of the container.", quota, base) }
            gauge("container_spec_cpu_shares", "CPU share of the container.", stats.cpuShares, base)
            specMemory("container_spec_memory_limit_bytes", "Memory limit for the container.", stats.memoryLimit, base)
            specMemory("container_spec_memory_swap_limit_bytes", "Memory swap limit for the container.", stats.memorySwapLimit, base)
            specMemory("container_spec_memory_reservation_limit_bytes", "Memory reservation limit for the container.",
                       stats.memoryReservation, base)
        }
    }

    static let networkColumns: [(String, String, Int)] = [
        ("container_network_receive_bytes_total", "Cumulative count of bytes received", 0),
        ("container_network_receive_packets_total", "Cumulative count of packets received", 1),
        ("container_network_receive_errors_total", "Cumulative count of errors encountered while receiving", 2),
        ("container_network_receive_packets_dropped_total", "Cumulative count of packets dropped while receiving", 3),
        ("container_network_transmit_bytes_total", "Cumulative count of bytes transmitted", 8),
        ("container_network_transmit_packets_total", "Cumulative count of packets transmitted", 9),
        ("container_network_transmit_errors_total", "Cumulative count of errors encountered while transmitting", 10),
        ("container_network_transmit_packets_dropped_total", "Cumulative count of packets dropped while transmitting", 11),
    ]

    private mutating func gauge(_ name: String, _ help: String, _ value: UInt64?, _ labels: Labels) {
        guard let value else { return }
        sink.append(name, help, .gauge, .init(name: name, labels: labels, value: Double(value)))
    }

    /// cAdvisor prints limits above `Int64.max` (v2's `max`) as 0, "unlimited".
    private mutating func specMemory(_ name: String, _ help: String, _ value: UInt64?, _ labels: Labels) {
        guard let value else { return }
        gauge(name, help, value > UInt64(Int64.max) ? 0 : value, labels)
    }

    private mutating func counter(
        _ name: String, _ help: String, _ value: UInt64?, divisor: Double = 1, _ id: String, _ labels: Labels, extra: String = ""
    ) {
        guard let value else { return }
        let key = ContainerEmitter.key(id, name, extra)
        current[key] = value
        if let last = previous[key], value < last {
            logger.debug(
                "Container counter went backwards; left out of this scrape",
                metadata: ["id": "\(id)", "metric": "\(name)", "previous": "\(last)", "current": "\(value)"])
            return
        }
        sink.append(name, help, .counter, .init(name: name, labels: labels, value: Double(value) / divisor))
    }

    static func key(_ id: String, _ name: String, _ extra: String) -> String {
        id + "\u{0}" + name + "\u{0}" + extra
    }
}
