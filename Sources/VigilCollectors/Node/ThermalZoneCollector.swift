/// `thermal_zone`: `/sys/class/thermal/thermal_zone<N>` temperatures and the throttle states of
/// `cooling_device<N>`. A zone whose temperature cannot be read (some firmware refuses) is
/// skipped.
struct ThermalZoneCollector: Collector {
    let name = "thermal_zone"

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        let base = context.paths.sys("class/thermal")
        let entries = try Directory.entries(base)
        for entry in entries where entry.hasPrefix("thermal_zone") {
            let directory = base + "/" + entry
            guard let type = try? context.reader.readString(directory + "/type"),
                  let temperature = try? context.reader.readInt(directory + "/temp") else { continue }
            context.sink.gauge(
                "node_thermal_zone_temp", "Zone temperature in Celsius", Double(temperature) / 1000,
                ["zone": String(entry.dropFirst("thermal_zone".count)), "type": type])
        }
        for entry in entries where entry.hasPrefix("cooling_device") {
            let directory = base + "/" + entry
            guard let type = try? context.reader.readString(directory + "/type"),
                  let current = try? context.reader.readInt(directory + "/cur_state"),
                  let maximum = try? context.reader.readInt(directory + "/max_state") else { continue }
            let labels: KeyValuePairs<String, String> = ["name": String(entry.dropFirst("cooling_device".count)), "type": type]
            context.sink.gauge("node_cooling_device_cur_state", "Current throttle state of the cooling device", Double(current), labels)
            context.sink.gauge("node_cooling_device_max_state", "Maximum throttle state of the cooling device", Double(maximum), labels)
        }
    }
}
