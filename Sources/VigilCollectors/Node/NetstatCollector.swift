/// `netstat`: the counters of `/proc/net/netstat`, `/proc/net/snmp` and `/proc/net/snmp6`
/// whose `<Protocol>_<Name>` matches `--collector.netstat.fields`, untyped, as
/// `node_netstat_<Protocol>_<Name>`.
struct NetstatCollector: Collector {
    let name = "netstat"
    let fields: NameFilter

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        var stats: [(proto: String, field: String, value: Double)] = []
        for file in ["net/netstat", "net/snmp"] {
            let path = context.paths.proc(file)
            try NetstatCollector.parsePairedTable(context.reader.read(path), path: path, into: &stats)
        }
        let snmp6 = context.paths.proc("net/snmp6")
        do throws(CollectorError) {
            try NetstatCollector.parseSNMP6(context.reader.read(snmp6), path: snmp6, into: &stats)
        } catch where error.isNotFound {
            // A kernel without IPv6 has no snmp6; node_exporter skips it.
        }
        // Later files win over earlier ones for the same protocol and field, as node_exporter
        // merges its maps.
        var seen: Set<String> = []
        for stat in stats.reversed() {
            let key = stat.proto + "_" + stat.field
            guard seen.insert(key).inserted, fields.keeps(key) else { continue }
            context.sink.untyped("node_netstat_" + key, "Statistic \(stat.proto)\(stat.field).", stat.value)
        }
    }

    /// `Proto: Name1 Name2` followed by `Proto: value1 value2`, pair after pair.
    static func parsePairedTable(
        _ text: ArraySlice<UInt8>, path: String, into stats: inout [(proto: String, field: String, value: Double)]
    ) throws(CollectorError) {
        var lines = ByteText.lines(text)
        while let header = lines.next() {
            let names = ByteText.fields(header)
            guard let first = names.first else { continue }
            guard let valuesLine = lines.next() else { throw .malformed(path, "a header line without values") }
            let values = ByteText.fields(valuesLine)
            guard names.count == values.count, first.last == UInt8(ascii: ":") else {
                throw .malformed(path, "field count mismatch for \(ByteText.string(first))")
            }
            let proto = ByteText.string(first.dropLast())
            for (name, value) in zip(names.dropFirst(), values.dropFirst()) {
                guard let number = ByteText.double(value) else {
                    throw .malformed(path, "invalid value \(ByteText.string(value.prefix(40))) for \(proto)\(ByteText.string(name))")
                }
                stats.append((proto, ByteText.string(name), number))
            }
        }
    }

    /// `Ip6InReceives 123` lines: the protocol ends at the first `6`.
    static func parseSNMP6(
        _ text: ArraySlice<UInt8>, path: String, into stats: inout [(proto: String, field: String, value: Double)]
    ) throws(CollectorError) {
        for line in ByteText.lines(text) {
            let parts = ByteText.fields(line)
            guard parts.count >= 2, let six = parts[0].firstIndex(of: UInt8(ascii: "6")) else { continue }
            guard let number = ByteText.double(parts[1]) else {
                throw .malformed(path, "invalid value for \(ByteText.string(parts[0]))")
            }
            stats.append((ByteText.string(parts[0][...six]), ByteText.string(parts[0][(six + 1)...]), number))
        }
    }
}
