/// `loadavg`: `node_load1`, `node_load5`, `node_load15` from `/proc/loadavg`.
struct LoadavgCollector: Collector {
    let name = "loadavg"

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        let path = context.paths.proc("loadavg")
        let fields = ByteText.fields(try context.reader.read(path))
        guard fields.count >= 3, let one = ByteText.double(fields[0]), let five = ByteText.double(fields[1]),
              let fifteen = ByteText.double(fields[2])
        else { throw .malformed(path, "expected three load averages") }
        context.sink.gauge("node_load1", "1m load average.", one)
        context.sink.gauge("node_load5", "5m load average.", five)
        context.sink.gauge("node_load15", "15m load average.", fifteen)
    }
}
