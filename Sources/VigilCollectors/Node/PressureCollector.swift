/// `pressure`: the kernel's pressure stall information (`/proc/pressure/{cpu,io,memory}`),
/// the `total=` microseconds of `some` (waiting) and `full` (stalled) as seconds.
struct PressureCollector: Collector {
    let name = "pressure"

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        for resource in ["cpu", "io", "memory"] {
            let path = context.paths.proc("pressure/" + resource)
            let text: ArraySlice<UInt8>
            do throws(CollectorError) {
                text = try context.reader.read(path)
            } catch where error.isNotFound || error.message.hasSuffix(describeErrno(95)) {
                throw .noData(path, "pressure information is unavailable (needs Linux 4.20+ with CONFIG_PSI, or psi=1)")
            }
            let (some, full) = try PressureCollector.totals(text, path: path)
            switch resource {
            case "cpu":
                context.sink.counter(
                    "node_pressure_cpu_waiting_seconds_total", "Total time in seconds that processes have waited for CPU time",
                    some / 1e6)
            case "io":
                context.sink.counter(
                    "node_pressure_io_waiting_seconds_total", "Total time in seconds that processes have waited due to IO congestion",
                    some / 1e6)
                context.sink.counter(
                    "node_pressure_io_stalled_seconds_total",
                    "Total time in seconds no process could make progress due to IO congestion", full / 1e6)
            default:
                context.sink.counter(
                    "node_pressure_memory_waiting_seconds_total", "Total time in seconds that processes have waited for memory",
                    some / 1e6)
                context.sink.counter(
                    "node_pressure_memory_stalled_seconds_total",
                    "Total time in seconds no process could make progress due to memory congestion", full / 1e6)
            }
        }
    }

    /// The `total=` of the `some` and `full` lines, in microseconds; `full` is 0 where absent
    /// (older kernels' cpu file).
    static func totals(_ text: ArraySlice<UInt8>, path: String) throws(CollectorError) -> (some: Double, full: Double) {
        var some: Double?
        var full = 0.0
        for line in ByteText.lines(text) {
            let fields = ByteText.fields(line)
            guard let kind = fields.first else { continue }
            var total: Double?
            for field in fields.dropFirst() where ByteText.hasPrefix(field, "total=") {
                total = ByteText.uint64(field.dropFirst(6)).map { Double($0) }
            }
            guard let total else { throw .malformed(path, "a line without a valid total=") }
            if ByteText.equals(kind, "some") { some = total } else if ByteText.equals(kind, "full") { full = total }
        }
        guard let some else { throw .malformed(path, "no \"some\" line") }
        return (some, full)
    }
}
