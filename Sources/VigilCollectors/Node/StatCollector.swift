/// `stat`: interrupts, context switches, forks, boot time and runnable/blocked processes from
/// `/proc/stat`.
struct StatCollector: Collector {
    let name = "stat"

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        let path = context.paths.proc("stat")
        let stat = ProcStat.parse(try context.reader.read(path))
        guard let interrupts = stat.interrupts, let switches = stat.contextSwitches, let forks = stat.forks,
              let boot = stat.bootTime, let running = stat.procsRunning, let blocked = stat.procsBlocked
        else { throw .malformed(path, "missing one of intr, ctxt, processes, btime, procs_running, procs_blocked") }
        context.sink.counter("node_intr_total", "Total number of interrupts serviced.", Double(interrupts))
        context.sink.counter("node_context_switches_total", "Total number of context switches.", Double(switches))
        context.sink.counter("node_forks_total", "Total number of forks.", Double(forks))
        context.sink.gauge("node_boot_time_seconds", "Node boot time, in unixtime.", Double(boot))
        context.sink.gauge("node_procs_running", "Number of processes in runnable state.", Double(running))
        context.sink.gauge("node_procs_blocked", "Number of processes blocked waiting for I/O to complete.", Double(blocked))
    }
}
