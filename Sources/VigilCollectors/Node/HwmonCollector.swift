import VigilModel

/// `hwmon`: the sensors of `/sys/class/hwmon/hwmon<N>` (and their `device/` directory), as
/// node_exporter names them: `node_hwmon_temp_celsius`, `node_hwmon_fan_rpm`,
/// `node_hwmon_in_volts`, `node_hwmon_power_watt`, ... labelled `chip` and `sensor`, plus
/// `node_hwmon_chip_names` and `node_hwmon_sensor_label`. No hwmon class means no data.
struct HwmonCollector: Collector {
    let name = "hwmon"

    static let sensorTypes: Set<String> = [
        "vrm", "beep_enable", "update_interval", "in", "cpu", "fan", "pwm", "temp", "curr", "power", "energy", "humidity",
        "intrusion",
    ]

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        let base = context.paths.sys("class/hwmon")
        let entries = try Directory.classEntries(base, absent: "hwmon metrics are not available on this system")
        for entry in entries {
            let directory = base + "/" + entry
            guard Directory.isDirectory(directory) else { continue }
            collectChip(directory, context: &context)
        }
    }

    private func collectChip(_ directory: String, context: inout CollectorContext) {
        let chipName = HwmonCollector.chipName(directory, reader: &context.reader)
        var sensors: [String: [String: String]] = [:]
        HwmonCollector.readSensors(directory, into: &sensors, reader: &context.reader)
        if Directory.exists(directory + "/device") {
            HwmonCollector.readSensors(directory + "/device", into: &sensors, reader: &context.reader)
        }
        if let text = try? context.reader.readString(directory + "/name"), case let clean = HwmonCollector.clean(text), !clean.isEmpty {
            context.sink.gauge(
                "node_hwmon_chip_names", "Annotation metric for human-readable chip names", 1, ["chip": chipName, "chip_name": clean])
        }
        for sensor in sensors.keys.sorted() {
            guard let properties = sensors[sensor], let parts = HwmonCollector.split(sensor) else { continue }
            emit(chip: chipName, sensor: sensor, type: parts.type, properties: properties, into: &context.sink)
        }
    }

    private func emit(chip: String, sensor: String, type: String, properties: [String: String], into sink: inout MetricSink) {
        let labels: KeyValuePairs<String, String> = ["chip": chip, "sensor": sensor]
        if let label = properties["label"] {
            sink.gauge("node_hwmon_sensor_label", "Label for given chip and sensor", 1, ["chip": chip, "sensor": sensor, "label": label])
        }
        switch type {
        case "beep_enable":
            sink.gauge("node_hwmon_beep_enabled", "Hardware beep enabled", properties[""] == "1" ? 1 : 0, labels)
            return
        case "vrm":
            if let value = properties[""].flatMap(Double.init) {
                sink.gauge("node_hwmon_voltage_regulator_version", "Hardware voltage regulator", value, labels)
            }
            return
        case "update_interval":
            if let value = properties[""].flatMap(Double.init) {
                sink.gauge("node_hwmon_update_interval_seconds", "Hardware monitor update interval", value * 0.001, labels)
            }
            return
        default: break
        }
        let prefix = "node_hwmon_" + type
        for element in properties.keys.sorted() where element != "label" {
            guard let value = properties[element].flatMap(Double.init) else { continue }
            var name = prefix
            if element == "input" {
                if properties[""] != nil { name += "_input" }
            } else if !element.isEmpty {
                name += "_" + HwmonCollector.clean(element)
            }
            let (metric, help, scaled, counter) = HwmonCollector.describe(type: type, element: element, name: name, value: value)
            sink.add(metric, help, counter ? .counter : .gauge, scaled, labels)
        }
    }

    /// The metric name, help, scaled value and counter-ness of one sensor element.
    static func describe(type: String, element: String, name: String, value: Double) -> (String, String, Double, Bool) {
        if element == "fault" || element == "alarm" {
            return (name, "Hardware sensor \(element) status (\(type))", value, false)
        }
        if element == "beep" { return (name + "_enabled", "Hardware monitor sensor has beeping enabled", value, false) }
        switch type {
        case "in", "cpu": return (name + "_volts", "Hardware monitor for voltage (\(element))", value * 0.001, false)
        case "temp" where element != "type":
            let shown = element.isEmpty ? "input" : element
            return (name + "_celsius", "Hardware monitor for temperature (\(shown))", value * 0.001, false)
        case "curr": return (name + "_amps", "Hardware monitor for current (\(element))", value * 0.001, false)
        case "energy": return (name + "_joule_total", "Hardware monitor for joules used so far (\(element))", value / 1e6, true)
        case "power" where element == "accuracy":
            return (name, "Hardware monitor power meter accuracy, as a ratio", value / 1e6, false)
        case "power" where ["average_interval", "average_interval_min", "average_interval_max"].contains(element):
            return (name + "_seconds", "Hardware monitor power usage update interval (\(element))", value * 0.001, false)
        case "power": return (name + "_watt", "Hardware monitor for power usage in watts (\(element))", value / 1e6, false)
        case "humidity":
            return (
                name, "Hardware monitor for humidity, as a ratio (multiply with 100.0 to get the humidity as a percentage) (\(element))",
                value / 1e6, false
            )
        case "fan" where ["input", "min", "max", "target"].contains(element):
            return (name + "_rpm", "Hardware monitor for fan revolutions per minute (\(element))", value, false)
        default: return (name, "Hardware monitor \(type) element \(element)", value, false)
        }
    }

    /// Reads the sensor files of `directory` (`temp1_input`, `fan2_max`, ...) into
    /// `sensors[type+number][property]`.
    static func readSensors(_ directory: String, into sensors: inout [String: [String: String]], reader: inout FileReader) {
        guard let files = try? Directory.entries(directory) else { return }
        for file in files {
            guard let parts = split(file), sensorTypes.contains(parts.type),
                  let text = try? reader.readString(directory + "/" + file) else { continue }
            sensors[parts.type + String(parts.number), default: [:]][parts.property] = text
        }
    }

    /// `temp1_input` → (`temp`, 1, `input`): letters up to the first digit, the number, then
    /// what follows an underscore; nil for names of another shape.
    static func split(_ file: String) -> (type: String, number: Int, property: String)? {
        let bytes = Array(file.utf8)
        var index = 0
        while index < bytes.count && !(bytes[index] >= 0x30 && bytes[index] <= 0x39) { index += 1 }
        guard index > 0 else { return nil }
        let typeEnd = index
        let digitsStart = index
        while index < bytes.count && bytes[index] >= 0x30 && bytes[index] <= 0x39 { index += 1 }
        let digits = bytes[digitsStart..<index]
        var property = ""
        if index < bytes.count {
            guard bytes[index] == UInt8(ascii: "_"), index + 1 < bytes.count else { return nil }
            property = String(decoding: bytes[(index + 1)...], as: UTF8.self)
        }
        guard digits.count <= 9 else { return nil }
        let number = digits.isEmpty ? 0 : Int(String(decoding: digits, as: UTF8.self)) ?? 0
        return (String(decoding: bytes[..<typeEnd], as: UTF8.self), number, property)
    }

    /// The chip label: the device's bus type and name (`platform_coretemp_0`), else the `name`
    /// file, else the directory's name, each lowercased with other characters made `_`.
    static func chipName(_ directory: String, reader: inout FileReader) -> String {
        if let target = Directory.linkTarget(directory + "/device") {
            let device = Directory.resolve(target, relativeTo: directory + "/device")
            let name = clean(Directory.baseName(device))
            let type = clean(Directory.baseName(Directory.parent(device)))
            if !type.isEmpty && !name.isEmpty { return type + "_" + name }
            if !name.isEmpty { return name }
        }
        if let text = try? reader.readString(directory + "/name"), case let name = clean(text), !name.isEmpty { return name }
        return clean(Directory.baseName(directory))
    }

    /// Lowercased, every character outside `[a-z0-9:_]` made `_`, underscores trimmed at both ends.
    static func clean(_ text: String) -> String {
        var bytes: [UInt8] = text.lowercased().utf8.map { byte in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "_")
                ? byte : UInt8(ascii: "_")
        }
        while bytes.first == UInt8(ascii: "_") { bytes.removeFirst() }
        while bytes.last == UInt8(ascii: "_") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
