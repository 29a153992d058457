internal import Synchronization

/// `netstat`: the counters of `/proc/net/netstat`, `/proc/net/snmp` and `/proc/net/snmp6`
/// whose `<Protocol>_<Name>` matches `--collector.netstat.fields`, untyped, as
/// `node_netstat_<Protocol>_<Name>`.
///
/// The files' field names never change while the kernel runs, so which columns are kept, and
/// their metric names, are worked out once per distinct header (a *plan*) and reused: a scrape
/// only parses the kept values.
final class NetstatCollector: Collector {
    let name = "netstat"
    let fields: NameFilter
    private let plans = Mutex<[String: Plan]>([:])

    /// The kept columns of one header (or of snmp6's name column): position, key, metric, help.
    struct Plan: Sendable {
        var kept: [(position: Int, key: String, metric: String, help: String)] = []
        var width = 0
    }

    init(fields: NameFilter) {
        self.fields = fields
    }

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        var stats: [(key: String, metric: String, help: String, value: Double)] = []
        for file in ["net/netstat", "net/snmp"] {
            let path = context.paths.proc(file)
            try parsePairedTable(context.reader.read(path), path: path, into: &stats)
        }
        let snmp6 = context.paths.proc("net/snmp6")
        do throws(CollectorError) {
            try parseSNMP6(context.reader.read(snmp6), path: snmp6, into: &stats)
        } catch where error.isNotFound {
            // A kernel without IPv6 has no snmp6; node_exporter skips it.
        }
        // Later files win over earlier ones for the same protocol and field, as node_exporter
        // merges its maps.
        var seen: Set<String> = []
        for stat in stats.reversed() where seen.insert(stat.key).inserted {
            context.sink.untyped(stat.metric, stat.help, stat.value)
        }
    }

    private func plan(for bytes: some Collection<UInt8>, build: () -> Plan) -> Plan {
        // A String key: its hash runs over the bytes at once, an array's byte by byte.
        let signature = String(decoding: bytes, as: UTF8.self)
        if let known = plans.withLock({ $0[signature] }) { return known }
        let made = build()
        plans.withLock { plans in
            if plans.count > 64 { plans.removeAll() }
            plans[signature] = made
        }
        return made
    }

    private func keep(_ proto: String, _ field: String, position: Int, into plan: inout Plan) {
        let key = proto + "_" + field
        guard fields.keeps(key) else { return }
        plan.kept.append((position, key, "node_netstat_" + key, "Statistic \(proto)\(field)."))
    }

    /// `Proto: Name1 Name2` followed by `Proto: value1 value2`, pair after pair.
    func parsePairedTable(
        _ text: ArraySlice<UInt8>, path: String, into stats: inout [(key: String, metric: String, help: String, value: Double)]
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
            let plan = plan(for: header) {
                var plan = Plan()
                let proto = ByteText.string(first.dropLast())
                for (position, name) in names.enumerated().dropFirst() {
                    keep(proto, ByteText.string(name), position: position, into: &plan)
                }
                return plan
            }
            for column in plan.kept {
                guard let number = ByteText.double(values[column.position]) else {
                    throw .malformed(path, "invalid value \(ByteText.string(values[column.position].prefix(40))) for \(column.key)")
                }
                stats.append((column.key, column.metric, column.help, number))
            }
        }
    }

    /// `Ip6InReceives 123` lines: the protocol ends at the first `6`.
    func parseSNMP6(
        _ text: ArraySlice<UInt8>, path: String, into stats: inout [(key: String, metric: String, help: String, value: Double)]
    ) throws(CollectorError) {
        var rows: [[ArraySlice<UInt8>]] = []
        var signature: [UInt8] = []
        for line in ByteText.lines(text) {
            let parts = ByteText.fields(line)
            guard parts.count >= 2 else { continue }
            rows.append(parts)
            signature.append(contentsOf: parts[0])
            signature.append(0x20)
        }
        let plan = plan(for: signature) {
            var plan = Plan()
            for (position, parts) in rows.enumerated() {
                guard let six = parts[0].firstIndex(of: UInt8(ascii: "6")) else { continue }
                keep(ByteText.string(parts[0][...six]), ByteText.string(parts[0][(six + 1)...]), position: position, into: &plan)
            }
            return plan
        }
        for column in plan.kept {
            guard let number = ByteText.double(rows[column.position][1]) else {
                throw .malformed(path, "invalid value for \(column.key)")
            }
            stats.append((column.key, column.metric, column.help, number))
        }
    }
}
