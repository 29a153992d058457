/// `netdev`: per-device network counters from `/proc/net/dev`, named as node_exporter's
/// default (netlink, legacy names): `node_network_{receive,transmit}_<field>_total{device}`,
/// plus `receive_nohandler` from `/sys/class/net/<device>/statistics/rx_nohandler`.
///
/// The kernel computes `/proc/net/dev`'s drop, fifo, frame and carrier columns the same way
/// node_exporter folds netlink's detailed error counters into its legacy names, so the values
/// agree with node_exporter's netlink path.
struct NetdevCollector: Collector {
    let name = "netdev"
    let filter: NameFilter?

    /// `/proc/net/dev`'s sixteen columns, in order.
    static let columns = [
        "receive_bytes", "receive_packets", "receive_errs", "receive_drop", "receive_fifo", "receive_frame",
        "receive_compressed", "receive_multicast",
        "transmit_bytes", "transmit_packets", "transmit_errs", "transmit_drop", "transmit_fifo", "transmit_colls",
        "transmit_carrier", "transmit_compressed",
    ]

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        let path = context.paths.proc("net/dev")
        let devices = try NetdevCollector.parse(context.reader.read(path), path: path)
        for (device, values) in devices {
            if let filter, !filter.keeps(device) { continue }
            for (column, value) in zip(NetdevCollector.columns, values) {
                context.sink.counter(
                    "node_network_\(column)_total", "Network device statistic \(column).", Double(value), ["device": device])
            }
            // Only netlink reports frames dropped for want of a protocol handler; sysfs has it too.
            let nohandler = context.paths.sys("class/net/\(device)/statistics/rx_nohandler")
            if let value = try? context.reader.readUInt(nohandler) {
                context.sink.counter(
                    "node_network_receive_nohandler_total", "Network device statistic receive_nohandler.", Double(value),
                    ["device": device])
            }
        }
    }

    /// Devices and their sixteen counters, in file order.
    static func parse(_ text: ArraySlice<UInt8>, path: String) throws(CollectorError) -> [(String, [UInt64])] {
        var result: [(String, [UInt64])] = []
        for line in ByteText.lines(text) {
            guard let colon = line.lastIndex(of: UInt8(ascii: ":")) else { continue }  // the two header lines
            let device = ByteText.string(ByteText.trimmed(line[..<colon]))
            let fields = ByteText.fields(line[(colon + 1)...])
            guard !device.isEmpty, fields.count >= columns.count else {
                throw .malformed(path, "device \(device) has \(fields.count) columns, expected \(columns.count)")
            }
            var values: [UInt64] = []
            values.reserveCapacity(columns.count)
            for field in fields.prefix(columns.count) {
                guard let value = ByteText.uint64(field) else { throw .malformed(path, "invalid counter for device \(device)") }
                values.append(value)
            }
            result.append((device, values))
        }
        return result
    }
}
