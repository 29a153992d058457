#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The standard process figures every Prometheus client exports, read from `/proc/self`.
///
/// Each field is `nil` where the platform cannot tell it, and the exporter then leaves that metric out
/// rather than report a made-up zero.
public struct ProcessStats: Sendable, Equatable {
    /// User plus system CPU time, in seconds (`process_cpu_seconds_total`).
    public var cpuSeconds: Double?
    /// Resident set size in bytes (`process_resident_memory_bytes`).
    public var residentMemoryBytes: Double?
    /// Virtual memory size in bytes (`process_virtual_memory_bytes`).
    public var virtualMemoryBytes: Double?
    /// Open file descriptors (`process_open_fds`).
    public var openFileDescriptors: Double?
    /// The soft limit on open file descriptors (`process_max_fds`).
    public var maxFileDescriptors: Double?
    /// Start time since the epoch in seconds (`process_start_time_seconds`).
    public var startTimeSeconds: Double?

    /// Reads the figures of the running process now.
    public static func current() -> ProcessStats {
        var stats = ProcessStats()
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            stats.maxFileDescriptors = Double(limit.rlim_cur)
        }
        #if os(Linux)
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        if let stat = readSmallFile("/proc/self/stat"), let parsed = parseStat(stat) {
            stats.cpuSeconds = (parsed.utime + parsed.stime) / ticks
            stats.virtualMemoryBytes = parsed.vsize
            stats.residentMemoryBytes = parsed.rss * pageSize
            if let bootTime = bootTime {
                stats.startTimeSeconds = bootTime + parsed.startTicks / ticks
            }
        }
        stats.openFileDescriptors = countEntries("/proc/self/fd")
        #endif
        return stats
    }

    /// The fields of `/proc/self/stat` we need. The command name (field 2) is parenthesised and may
    /// contain spaces and parentheses, so fields are counted after its last `)`.
    static func parseStat(_ text: String) -> (utime: Double, stime: Double, startTicks: Double, vsize: Double, rss: Double)? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state); field N is fields[N - 3].
        guard fields.count >= 22,
              let utime = Double(fields[14 - 3]), let stime = Double(fields[15 - 3]),
              let start = Double(fields[22 - 3]), let vsize = Double(fields[23 - 3]),
              let rss = Double(fields[24 - 3])
        else { return nil }
        return (utime, stime, start, vsize, rss)
    }

    /// The host's boot time, read once: it never changes, and reading `/proc/stat` makes the
    /// kernel print every interrupt counter (a noticeable share of a scrape's cost).
    private static let bootTime: Double? = readSmallFile("/proc/stat").flatMap(parseBootTime)

    /// The `btime` line of `/proc/stat`: boot time in seconds since the epoch.
    static func parseBootTime(_ text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingPrefixSpaces())
        }
        return nil
    }

    private static func countEntries(_ path: String) -> Double? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var count = 0.0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
                name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            }
            if !isDot { count += 1 }
        }
        return count - 1 // the descriptor opendir itself holds
    }

    /// Reads a procfs file (their size is not known in advance, so read until EOF).
    public static func readSmallFile(_ path: String, limit: Int = 1 << 20) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Substring {
    fileprivate func trimmingPrefixSpaces() -> Substring {
        drop { $0 == " " }
    }
}
