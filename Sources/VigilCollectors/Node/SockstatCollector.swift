#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `sockstat`: `/proc/net/sockstat` and `sockstat6` as `node_sockstat_<PROTOCOL>_<state>`
/// gauges, plus `node_sockstat_sockets_used` and `<PROTOCOL>_mem_bytes` (pages times the page
/// size). A missing file is skipped, as node_exporter does.
struct SockstatCollector: Collector {
    let name = "sockstat"
    private let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        for file in ["net/sockstat", "net/sockstat6"] {
            let path = context.paths.proc(file)
            let text: ArraySlice<UInt8>
            do throws(CollectorError) {
                text = try context.reader.read(path)
            } catch where error.isNotFound {
                continue
            }
            try add(text, path: path, ipv6: file.hasSuffix("6"), to: &context.sink)
        }
    }

    private func add(_ text: ArraySlice<UInt8>, path: String, ipv6: Bool, to sink: inout MetricSink) throws(CollectorError) {
        for line in ByteText.lines(text) {
            let fields = ByteText.fields(line)
            guard var protocolName = fields.first else { continue }
            guard fields.count % 2 == 1 else { throw .malformed(path, "odd key/value pairs in \"\(ByteText.string(line))\"") }
            if protocolName.last == UInt8(ascii: ":") { protocolName = protocolName.dropLast() }
            let proto = ByteText.string(protocolName)
            var pairs: [(String, Double)] = []
            var index = 1
            while index + 1 < fields.count {
                guard let value = ByteText.double(fields[index + 1]) else {
                    throw .malformed(path, "invalid number in \"\(ByteText.string(line))\"")
                }
                pairs.append((ByteText.string(fields[index]), value))
                index += 2
            }
            if proto == "sockets" {
                if !ipv6, let used = pairs.first(where: { $0.0 == "used" }) {
                    sink.gauge("node_sockstat_sockets_used", "Number of IPv4 sockets in use.", used.1)
                }
                continue
            }
            for (state, value) in pairs where SockstatCollector.states.contains(state) {
                sink.gauge("node_sockstat_\(proto)_\(state)", "Number of \(proto) sockets in state \(state).", value)
            }
            if let mem = pairs.first(where: { $0.0 == "mem" }) {
                sink.gauge("node_sockstat_\(proto)_mem_bytes", "Number of \(proto) sockets in state mem_bytes.", mem.1 * pageSize)
            }
        }
    }

    /// The states node_exporter reports.
    static let states: Set<String> = ["inuse", "orphan", "tw", "alloc", "mem", "memory"]
}
