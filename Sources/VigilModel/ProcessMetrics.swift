/// The standard `process_*` metrics every Prometheus client exports, computed at scrape time.
///
/// Lives beside the registry, away from any module that links SwiftNIO: NIO's C shims re-export
/// `dirent`/`stat`/`timespec`, which makes their members ambiguous under `MemberImportVisibility`.
public enum ProcessMetrics {
    /// Adds a collector for `process_cpu_seconds_total`, `process_resident_memory_bytes`,
    /// `process_virtual_memory_bytes`, `process_open_fds`, `process_max_fds` and
    /// `process_start_time_seconds`.
    public static func register(on registry: MetricsRegistry) {
        registry.register { () -> [MetricFamily] in
            families(from: ProcessStats.current())
        }
    }

    /// The families for one reading; a figure the platform could not tell is left out.
    static func families(from stats: ProcessStats) -> [MetricFamily] {
        let figures: [(String, String, MetricType, Double?)] = [
            ("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", .counter, stats.cpuSeconds),
            ("process_max_fds", "Maximum number of open file descriptors.", .gauge, stats.maxFileDescriptors),
            ("process_open_fds", "Number of open file descriptors.", .gauge, stats.openFileDescriptors),
            ("process_resident_memory_bytes", "Resident memory size in bytes.", .gauge, stats.residentMemoryBytes),
            ("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", .gauge, stats.startTimeSeconds),
            ("process_virtual_memory_bytes", "Virtual memory size in bytes.", .gauge, stats.virtualMemoryBytes),
        ]
        return figures.compactMap { name, help, type, value in
            value.map { MetricFamily(name: name, help: help, type: type, samples: [.init(name: name, value: $0)]) }
        }
    }
}
