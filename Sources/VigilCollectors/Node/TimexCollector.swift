import VigilModel

#if os(Linux) && (arch(x86_64) || arch(arm64))
import Glibc

/// `timex`: the kernel clock discipline's state from `adjtimex(2)` (read-only: mode 0).
///
/// Swift's Glibc module does not import `<sys/timex.h>`, so the call is looked up with `dlsym`
/// and `struct timex` read at its fixed LP64 offsets (the same on x86-64 and arm64).
struct TimexCollector: Collector {
    let name = "timex"

    /// `TIME_ERROR`: the clock is not synchronised.
    private static let timeError: Int32 = 5
    /// `STA_NANO`: offsets are in nanoseconds rather than microseconds.
    private static let statusNano: Int32 = 0x2000
    private static let ppm16Fraction = 1_000_000.0 * 65536.0

    private typealias Adjtimex = @convention(c) (UnsafeMutableRawPointer) -> Int32
    private static let adjtimexCall: Adjtimex? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "adjtimex") else { return nil }
        return unsafeBitCast(symbol, to: Adjtimex.self)
    }()

    /// The fields of `struct timex` used, with their byte offsets.
    private struct State {
        let raw: UnsafeMutableRawBufferPointer
        func long(_ offset: Int) -> Double { Double(raw.load(fromByteOffset: offset, as: Int.self)) }
        func int(_ offset: Int) -> Int32 { raw.load(fromByteOffset: offset, as: Int32.self) }
        var offset: Double { long(8) }
        var freq: Double { long(16) }
        var maxerror: Double { long(24) }
        var esterror: Double { long(32) }
        var status: Int32 { int(40) }
        var constant: Double { long(48) }
        var tick: Double { long(88) }
        var ppsfreq: Double { long(96) }
        var jitter: Double { long(104) }
        var shift: Double { Double(int(112)) }
        var stabil: Double { long(120) }
        var jitcnt: Double { long(128) }
        var calcnt: Double { long(136) }
        var errcnt: Double { long(144) }
        var stbcnt: Double { long(152) }
        var tai: Double { Double(int(160)) }
    }

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        guard let call = TimexCollector.adjtimexCall else { throw .noData("adjtimex", "not found in the C library") }
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: 256, alignment: 8)
        defer { raw.deallocate() }
        raw.initializeMemory(as: UInt8.self, repeating: 0)
        let status = call(raw.baseAddress!)
        if status < 0 {
            let code = errno
            if code == 1 || code == 13 { throw .noData("adjtimex", "not permitted") }
            throw .system(code, path: "adjtimex", operation: "adjtimex")
        }
        let state = State(raw: raw)
        let divisor = state.status & TimexCollector.statusNano != 0 ? 1e9 : 1e6
        let entry = { (name: String, help: String, value: Double, counter: Bool) in
            (name, help, value, counter)
        }
        let samples: [(String, String, Double, Bool)] = [
            entry("sync_status", "Is clock synchronized to a reliable server (1 = yes, 0 = no).",
                 status == TimexCollector.timeError ? 0 : 1, false),
            entry("offset_seconds", "Time offset in between local system and reference clock.", state.offset / divisor, false),
            entry("frequency_adjustment_ratio", "Local clock frequency adjustment.",
                 1 + state.freq / TimexCollector.ppm16Fraction, false),
            entry("maxerror_seconds", "Maximum error in seconds.", state.maxerror / 1e6, false),
            entry("estimated_error_seconds", "Estimated error in seconds.", state.esterror / 1e6, false),
            entry("status", "Value of the status array bits.", Double(state.status), false),
            entry("loop_time_constant", "Phase-locked loop time constant.", state.constant, false),
            entry("tick_seconds", "Seconds between clock ticks.", state.tick / 1e6, false),
            entry("pps_frequency_hertz", "Pulse per second frequency.", state.ppsfreq / TimexCollector.ppm16Fraction, false),
            entry("pps_jitter_seconds", "Pulse per second jitter.", state.jitter / divisor, false),
            entry("pps_shift_seconds", "Pulse per second interval duration.", state.shift, false),
            entry("pps_stability_hertz", "Pulse per second stability, average of recent frequency changes.",
                 state.stabil / TimexCollector.ppm16Fraction, false),
            entry("pps_jitter_total", "Pulse per second count of jitter limit exceeded events.", state.jitcnt, true),
            entry("pps_calibration_total", "Pulse per second count of calibration intervals.", state.calcnt, true),
            entry("pps_error_total", "Pulse per second count of calibration errors.", state.errcnt, true),
            entry("pps_stability_exceeded_total", "Pulse per second count of stability limit exceeded events.",
                 state.stbcnt, true),
            entry("tai_offset_seconds", "International Atomic Time (TAI) offset.", state.tai, false),
        ]
        for (name, help, value, counter) in samples {
            context.sink.add("node_timex_" + name, help, counter ? .counter : .gauge, value, [:])
        }
    }
}
#else
/// `timex` needs Linux's `adjtimex(2)`; elsewhere it reports no data.
struct TimexCollector: Collector {
    let name = "timex"

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        throw .noData("adjtimex", "only on Linux")
    }
}
#endif
