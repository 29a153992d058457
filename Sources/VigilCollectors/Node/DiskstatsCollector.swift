import VigilModel

/// `diskstats`: `/proc/diskstats` as node_exporter's `node_disk_*` families, for devices the
/// device filter keeps (by default not partitions, ram or loop devices), and `node_disk_info`
/// with udev's properties where `/run/udev/data` has them.
///
/// Older kernels print 11 statistics, 4.18 adds four discard columns and 5.5 two flush
/// columns; only the columns present are reported.
struct DiskstatsCollector: Collector {
    let name = "diskstats"
    let filter: NameFilter?

    /// One column: metric name, help, counter or gauge, and the factor to its unit.
    struct Column {
        let metric: String
        let help: String
        let counter: Bool
        let scale: Double
    }

    static let columns: [Column] = [
        Column(metric: "reads_completed_total", help: "The total number of reads completed successfully.", counter: true, scale: 1),
        Column(metric: "reads_merged_total", help: "The total number of reads merged.", counter: true, scale: 1),
        Column(metric: "read_bytes_total", help: "The total number of bytes read successfully.", counter: true, scale: 512),
        Column(metric: "read_time_seconds_total", help: "The total number of seconds spent by all reads.", counter: true, scale: 0.001),
        Column(metric: "writes_completed_total", help: "The total number of writes completed successfully.", counter: true, scale: 1),
        Column(metric: "writes_merged_total", help: "The number of writes merged.", counter: true, scale: 1),
        Column(metric: "written_bytes_total", help: "The total number of bytes written successfully.", counter: true, scale: 512),
        Column(
            metric: "write_time_seconds_total", help: "This is the total number of seconds spent by all writes.", counter: true,
            scale: 0.001),
        Column(metric: "io_now", help: "The number of I/Os currently in progress.", counter: false, scale: 1),
        Column(metric: "io_time_seconds_total", help: "Total seconds spent doing I/Os.", counter: true, scale: 0.001),
        Column(
            metric: "io_time_weighted_seconds_total", help: "The weighted # of seconds spent doing I/Os.", counter: true, scale: 0.001),
        Column(
            metric: "discards_completed_total", help: "The total number of discards completed successfully.", counter: true, scale: 1),
        Column(metric: "discards_merged_total", help: "The total number of discards merged.", counter: true, scale: 1),
        Column(
            metric: "discarded_sectors_total", help: "The total number of sectors discarded successfully.", counter: true, scale: 1),
        Column(
            metric: "discard_time_seconds_total", help: "This is the total number of seconds spent by all discards.", counter: true,
            scale: 0.001),
        Column(
            metric: "flush_requests_total", help: "The total number of flush requests completed successfully", counter: true,
            scale: 1),
        Column(
            metric: "flush_requests_time_seconds_total", help: "This is the total number of seconds spent by all flush requests.",
            counter: true, scale: 0.001),
    ]

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        let path = context.paths.proc("diskstats")
        let text = try context.reader.read(path)
        var devices: [(name: String, major: String, minor: String, values: [Double])] = []
        for line in ByteText.lines(text) {
            let fields = ByteText.fields(line)
            if fields.isEmpty { continue }
            guard fields.count >= 14 else { throw .malformed(path, "a line with \(fields.count) fields, expected at least 14") }
            let device = ByteText.string(fields[2])
            if let filter, !filter.keeps(device) { continue }
            var values: [Double] = []
            for field in fields.dropFirst(3).prefix(DiskstatsCollector.columns.count) {
                guard let value = ByteText.uint64(field) else { throw .malformed(path, "invalid number for device \(device)") }
                values.append(Double(value))
            }
            devices.append((device, ByteText.string(fields[0]), ByteText.string(fields[1]), values))
        }
        for device in devices {
            let udev = UdevProperties.read(major: device.major, minor: device.minor, paths: context.paths, reader: &context.reader)
            context.sink.gauge(
                "node_disk_info", "Info of /sys/block/<block_device>.", 1,
                [
                    "device": device.name, "major": device.major, "minor": device.minor, "path": udev["ID_PATH"] ?? "",
                    "wwn": udev["ID_WWN"] ?? "", "model": udev["ID_MODEL"] ?? "", "serial": udev["ID_SERIAL_SHORT"] ?? "",
                    "revision": udev["ID_REVISION"] ?? "",
                ])
            for (column, value) in zip(DiskstatsCollector.columns, device.values) {
                context.sink.add(
                    "node_disk_" + column.metric, column.help, column.counter ? .counter : .gauge, value * column.scale,
                    ["device": device.name])
            }
            addUdevInfo(udev, device: device.name, to: &context.sink)
        }
    }

    private func addUdevInfo(_ udev: [String: String], device: String, to sink: inout MetricSink) {
        if let type = udev["ID_FS_TYPE"], !type.isEmpty {
            sink.gauge(
                "node_disk_filesystem_info", "Info about disk filesystem.", 1,
                [
                    "device": device, "type": type, "usage": udev["ID_FS_USAGE"] ?? "", "uuid": udev["ID_FS_UUID"] ?? "",
                    "version": udev["ID_FS_VERSION"] ?? "",
                ])
        }
        if let mapperName = udev["DM_NAME"], !mapperName.isEmpty {
            sink.gauge(
                "node_disk_device_mapper_info", "Info about disk device mapper.", 1,
                [
                    "device": device, "name": mapperName, "uuid": udev["DM_UUID"] ?? "", "vg_name": udev["DM_VG_NAME"] ?? "",
                    "lv_name": udev["DM_LV_NAME"] ?? "", "lv_layer": udev["DM_LV_LAYER"] ?? "",
                ])
        }
        guard let ata = udev["ID_ATA"], !ata.isEmpty else { return }
        let ataMetrics: [(String, String, String)] = [
            ("ID_ATA_WRITE_CACHE", "node_disk_ata_write_cache", "ATA disk has a write cache."),
            ("ID_ATA_WRITE_CACHE_ENABLED", "node_disk_ata_write_cache_enabled", "ATA disk has its write cache enabled."),
            ("ID_ATA_ROTATION_RATE_RPM", "node_disk_ata_rotation_rate_rpm", "ATA disk rotation rate in RPMs (0 for SSDs)."),
        ]
        for (property, metric, help) in ataMetrics {
            guard let text = udev[property], let value = Double(text) else { continue }
            sink.gauge(metric, help, value, ["device": device])
        }
    }
}

/// udev's recorded properties of a block device (`/run/udev/data/b<major>:<minor>`, lines
/// `E:KEY=value`); empty when udev keeps no record.
enum UdevProperties {
    static func read(major: String, minor: String, paths: NodePaths, reader: inout FileReader) -> [String: String] {
        let path = NodePaths.join(paths.udevData, "b\(major):\(minor)")
        guard let text = try? reader.read(path) else { return [:] }
        var properties: [String: String] = [:]
        for line in ByteText.lines(text) where ByteText.hasPrefix(line, "E:") {
            let entry = line.dropFirst(2)
            guard let equals = entry.firstIndex(of: UInt8(ascii: "=")) else { continue }
            properties[ByteText.string(entry[..<equals])] = ByteText.string(entry[(equals + 1)...])
        }
        return properties
    }
}
