/// The parts of `/proc/stat` the cpu and stat collectors use.
struct ProcStat: Equatable {
    /// One `cpuN` line's times in ticks (USER_HZ): user, nice, system, idle, iowait, irq,
    /// softirq, steal, guest, guest_nice; missing trailing fields are zero.
    struct CPU: Equatable {
        var index: Int
        var ticks: [UInt64]
    }

    var cpus: [CPU] = []
    var interrupts: UInt64?
    var contextSwitches: UInt64?
    var bootTime: UInt64?
    var forks: UInt64?
    var procsRunning: UInt64?
    var procsBlocked: UInt64?

    /// The modes of a `cpu` line, in the kernel's column order.
    static let modes = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal", "guest", "guest_nice"]

    /// Parses the file; lines it does not know or cannot read are skipped.
    static func parse(_ text: ArraySlice<UInt8>) -> ProcStat {
        var stat = ProcStat()
        for line in ByteText.lines(text) {
            let fields = ByteText.fields(line)
            guard fields.count >= 2 else { continue }
            let key = fields[0]
            if ByteText.hasPrefix(key, "cpu") {
                guard key.count > 3, let index = ByteText.uint64(key.dropFirst(3)), index < 1 << 20 else { continue }
                var ticks = [UInt64](repeating: 0, count: modes.count)
                for (column, field) in fields.dropFirst().prefix(modes.count).enumerated() {
                    ticks[column] = ByteText.uint64(field) ?? 0
                }
                stat.cpus.append(CPU(index: Int(index), ticks: ticks))
            } else if ByteText.equals(key, "intr") {
                stat.interrupts = ByteText.uint64(fields[1])
            } else if ByteText.equals(key, "ctxt") {
                stat.contextSwitches = ByteText.uint64(fields[1])
            } else if ByteText.equals(key, "btime") {
                stat.bootTime = ByteText.uint64(fields[1])
            } else if ByteText.equals(key, "processes") {
                stat.forks = ByteText.uint64(fields[1])
            } else if ByteText.equals(key, "procs_running") {
                stat.procsRunning = ByteText.uint64(fields[1])
            } else if ByteText.equals(key, "procs_blocked") {
                stat.procsBlocked = ByteText.uint64(fields[1])
            }
        }
        return stat
    }
}
