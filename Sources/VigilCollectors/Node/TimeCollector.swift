#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `time`: the system clock, the local time zone's offset, and the clock sources of
/// `/sys/devices/system/clocksource/clocksource<N>`.
struct TimeCollector: Collector {
    let name = "time"

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        context.sink.gauge(
            "node_time_seconds", "System time in seconds since epoch (1970).", Double(now.tv_sec) + Double(now.tv_nsec) / 1e9)
        var seconds = now.tv_sec
        var local = tm()
        if localtime_r(&seconds, &local) != nil {
            let zone = local.tm_zone.map { String(cString: $0) } ?? ""
            context.sink.gauge(
                "node_time_zone_offset_seconds", "System time zone offset in seconds.", Double(local.tm_gmtoff), ["time_zone": zone])
        }
        let base = context.paths.sys("devices/system/clocksource")
        let sources = try Directory.entries(base).filter { $0.hasPrefix("clocksource") }
        for source in sources {
            let device = String(source.dropFirst("clocksource".count))
            guard !device.isEmpty, device.allSatisfy(\.isASCII), Int(device) != nil else { continue }
            let available = try context.reader.read(base + "/" + source + "/available_clocksource")
            for clock in ByteText.fields(available) {
                context.sink.gauge(
                    "node_time_clocksource_available_info",
                    "Available clocksources read from '/sys/devices/system/clocksource'.", 1,
                    ["device": device, "clocksource": ByteText.string(clock)])
            }
            let current = try context.reader.readString(base + "/" + source + "/current_clocksource")
            context.sink.gauge(
                "node_time_clocksource_current_info", "Current clocksource read from '/sys/devices/system/clocksource'.", 1,
                ["device": device, "clocksource": current])
        }
    }
}
