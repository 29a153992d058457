/// `meminfo`: every field of `/proc/meminfo` as `node_memory_<Field>_bytes` (kB fields times
/// 1024) or `node_memory_<Field>` (page counts such as `HugePages_Total`).
///
/// `(anon)`/`(file)` in a field name become `_anon`/`_file`, as node_exporter names them.
struct MeminfoCollector: Collector {
    let name = "meminfo"

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        let path = context.paths.proc("meminfo")
        let text = try context.reader.read(path)
        var found = false
        for line in ByteText.lines(text) {
            let fields = ByteText.fields(line)
            guard fields.count >= 2, let value = ByteText.double(fields[1]) else { continue }
            var key = fields[0]
            if key.last == UInt8(ascii: ":") { key = key.dropLast() }
            guard !key.isEmpty else { continue }
            var field = MeminfoCollector.metricField(key)
            var scaled = value
            if fields.count >= 3 && ByteText.equals(fields[2], "kB") {
                scaled *= 1024
                field += "_bytes"
            }
            found = true
            context.sink.gauge("node_memory_" + field, "Memory information field \(field).", scaled)
        }
        if !found { throw .malformed(path, "no fields") }
    }

    /// `Active(anon)` → `Active_anon`; other characters invalid in a metric name become `_`.
    static func metricField(_ key: ArraySlice<UInt8>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(key.count)
        for byte in key {
            switch byte {
            case UInt8(ascii: "("): bytes.append(UInt8(ascii: "_"))
            case UInt8(ascii: ")"): continue
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                bytes.append(byte)
            default: bytes.append(UInt8(ascii: "_"))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
