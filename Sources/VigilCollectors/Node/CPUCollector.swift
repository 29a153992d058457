internal import Synchronization

/// `cpu`: `node_cpu_seconds_total{cpu,mode}` and `node_cpu_guest_seconds_total{cpu,mode}` from
/// `/proc/stat`.
///
/// As node_exporter does, a counter the kernel reports lower than last time (idle and iowait
/// can step back on some kernels) keeps its previous value, so rates never go negative.
final class CPUCollector: Collector {
    let name = "cpu"
    let guest: Bool
    private let previous = Mutex<[Int: [UInt64]]>([:])

    /// Ticks per second of `/proc/stat` (USER_HZ, 100 on every Linux architecture Vigil runs on).
    static let userHZ = 100.0

    /// The eight `node_cpu_seconds_total` modes with their `/proc/stat` columns, in label order
    /// so a scrape's samples need no sorting.
    static let sortedModes: [(Int, String)] = ProcStat.modes.prefix(8).enumerated().map { ($0.offset, $0.element) }
        .sorted { $0.1 < $1.1 }

    init(guest: Bool) {
        self.guest = guest
    }

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        let stat = ProcStat.parse(try context.readProc("stat"))
        guard !stat.cpus.isEmpty else { throw .malformed(context.paths.proc("stat"), "no cpuN lines") }
        let cpus = previous.withLock { previous in
            stat.cpus.map { cpu in
                var ticks = cpu.ticks
                if let last = previous[cpu.index], last.count == ticks.count {
                    for column in ticks.indices where ticks[column] < last[column] { ticks[column] = last[column] }
                }
                previous[cpu.index] = ticks
                return ProcStat.CPU(index: cpu.index, ticks: ticks)
            }
        }
        for cpu in cpus {
            let label = String(cpu.index)
            for (column, mode) in CPUCollector.sortedModes {
                context.sink.counter(
                    "node_cpu_seconds_total", "Seconds the CPUs spent in each mode.",
                    Double(cpu.ticks[column]) / CPUCollector.userHZ, ["cpu": label, "mode": mode])
            }
            guard guest else { continue }
            // Guest time is also counted in user and nice; it is exposed separately.
            for (column, mode) in [(9, "nice"), (8, "user")] {
                context.sink.counter(
                    "node_cpu_guest_seconds_total", "Seconds the CPUs spent in guests (VMs) for each mode.",
                    Double(cpu.ticks[column]) / CPUCollector.userHZ, ["cpu": label, "mode": mode])
            }
        }
    }
}
