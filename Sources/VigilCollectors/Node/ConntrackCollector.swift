/// `conntrack`: connection-tracking table size and limit, and the per-CPU statistics of
/// `/proc/net/stat/nf_conntrack` summed over CPUs. Without the module loaded the files are
/// absent and the collector reports no data.
struct ConntrackCollector: Collector {
    let name = "conntrack"

    /// node_exporter's `node_nf_conntrack_stat_*` gauges: column name and help.
    static let statistics: [(column: String, help: String)] = [
        ("found", "Number of searched entries which were successful."),
        ("invalid", "Number of packets seen which can not be tracked."),
        ("ignore", "Number of packets seen which are already connected to a conntrack entry."),
        ("insert", "Number of entries inserted into the list."),
        ("insert_failed", "Number of entries for which list insertion was attempted but failed."),
        ("drop", "Number of packets dropped due to conntrack failure."),
        ("early_drop", "Number of dropped conntrack entries to make room for new ones, if maximum table size was reached."),
        ("search_restart", "Number of conntrack table lookups which had to be restarted due to hashtable resizes."),
    ]

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        do throws(CollectorError) {
            let count = try context.reader.readUInt(context.paths.proc("sys/net/netfilter/nf_conntrack_count"))
            context.sink.gauge(
                "node_nf_conntrack_entries", "Number of currently allocated flow entries for connection tracking.", Double(count))
            let limit = try context.reader.readUInt(context.paths.proc("sys/net/netfilter/nf_conntrack_max"))
            context.sink.gauge("node_nf_conntrack_entries_limit", "Maximum size of connection tracking table.", Double(limit))
            let path = context.paths.proc("net/stat/nf_conntrack")
            let totals = try ConntrackCollector.sumColumns(context.reader.read(path), path: path)
            for (column, help) in ConntrackCollector.statistics {
                context.sink.gauge("node_nf_conntrack_stat_" + column, help, Double(totals[column] ?? 0))
            }
        } catch where error.isNotFound {
            throw .noData(error.path, "conntrack is probably not loaded")
        }
    }

    /// Sums each named column of a `/proc/net/stat/*` table (a header, then one hex row per CPU).
    static func sumColumns(_ text: ArraySlice<UInt8>, path: String) throws(CollectorError) -> [String: UInt64] {
        var lines = ByteText.lines(text)
        guard let header = lines.next() else { throw .malformed(path, "empty") }
        let names = ByteText.fields(header).map(ByteText.string)
        var totals: [String: UInt64] = [:]
        while let line = lines.next() {
            let values = ByteText.fields(line)
            if values.isEmpty { continue }
            guard values.count == names.count else {
                throw .malformed(path, "a row has \(values.count) columns, the header \(names.count)")
            }
            for (name, value) in zip(names, values) {
                guard let number = ByteText.hex(value) else { throw .malformed(path, "invalid hex value in column \(name)") }
                totals[name, default: 0] &+= number
            }
        }
        return totals
    }
}
