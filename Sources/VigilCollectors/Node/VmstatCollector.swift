/// `vmstat`: the `/proc/vmstat` fields matching `--collector.vmstat.fields`, untyped, as
/// `node_vmstat_<field>`.
struct VmstatCollector: Collector {
    let name = "vmstat"
    let fields: NameFilter

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        let path = context.paths.proc("vmstat")
        let text = try context.reader.read(path)
        for line in ByteText.lines(text) {
            let parts = ByteText.fields(line)
            guard parts.count >= 2 else { continue }
            guard let value = ByteText.double(parts[1]) else {
                throw .malformed(path, "invalid value in line \"\(ByteText.string(line.prefix(80)))\"")
            }
            let field = ByteText.string(parts[0])
            guard fields.keeps(field) else { continue }
            context.sink.untyped("node_vmstat_" + field, "/proc/vmstat information field \(field).", value)
        }
    }
}
