// Loads the same node_exporter-like data into one or more remote-write receivers.
// Run from Benchmarks/: `swift run -c release RemoteWriteLoad [options] URL...`; compat/tsdb-compare.sh
// uses it to feed Vigil, Prometheus and VictoriaMetrics identical batches.
//
// Every series is generated deterministically from (seed, series index), at an exact 15 s interval
// over the last H hours. Batches go out in time order (one timestamp step across many series per
// request), because Prometheus rejects samples older than its head once it has cut a block. Each
// batch is encoded once and POSTed to every URL in turn; any answer but 2xx stops the run.
//
// Optional extra series (compat/promql-speed.sh uses them; all default to 0, so the node data alone
// is what compat/tsdb-compare.sh loads):
//   --app-series N   an application counter `http_requests_total` with N series (job app-0..9,
//                    instance app-<k>, handler x code: 50 series per instance), every step
//   --histograms N   N classic histograms `http_request_duration_seconds` (12 `le` buckets + _sum +
//                    _count = 14 series each, 5 handlers per instance), every step
//   --wide-series N  a high-cardinality gauge `wide_lookup_info` (labels id, pod, shard, zone) with N
//                    series sampled only at the last --wide-steps steps (default 2): many series,
//                    few samples, for label and series lookups
import Glibc
import VigilModel
import VigilRemote
import VigilTestSupport

func usage() -> Never {
    print("""
        usage: RemoteWriteLoad [--series N] [--hours H] [--interval-ms MS] [--batch SAMPLES] [--seed S]
                               [--end-ms MS] [--app-series N] [--histograms N] [--wide-series N]
                               [--wide-steps K] URL...
          --series N        node_exporter-like series to generate (default 10000; 0 with other series)
          --app-series N    series of the counter http_requests_total (default 0)
          --histograms N    classic histograms http_request_duration_seconds, 14 series each (default 0)
          --wide-series N   series of wide_lookup_info, sampled at the last --wide-steps steps (default 0)
          --wide-steps K    steps at which wide series are sampled (default 2)
          --hours H         hours of history ending at --end-ms (default 6)
          --interval-ms MS  sample interval (default 15000)
          --batch SAMPLES   samples per request (default 2000)
          --seed S          generator seed (default 1)
          --end-ms MS       timestamp of the last sample (default: now, rounded down to the interval)
        """)
    exit(2)
}

func monotonicSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func fail(_ message: String) -> Never {
    let line = "RemoteWriteLoad: \(message)\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
    exit(1)
}

// MARK: Command line

var seriesCount = 10_000
var hours = 6.0
var interval: Int64 = 15_000
var batchSize = 2_000
var seed: UInt64 = 1
var endMs: Int64?
var appSeriesCount = 0
var histogramCount = 0
var wideSeriesCount = 0
var wideSteps = 2
var urls: [String] = []
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    func value() -> String {
        guard let value = arguments.popFirst() else { usage() }
        return value
    }
    func number<T: LosslessStringConvertible>(_: T.Type) -> T {
        guard let number = T(value()) else { usage() }
        return number
    }
    switch argument {
    case "--series": seriesCount = number(Int.self)
    case "--hours": hours = number(Double.self)
    case "--interval-ms": interval = number(Int64.self)
    case "--batch": batchSize = number(Int.self)
    case "--seed": seed = number(UInt64.self)
    case "--end-ms": endMs = number(Int64.self)
    case "--app-series": appSeriesCount = number(Int.self)
    case "--histograms": histogramCount = number(Int.self)
    case "--wide-series": wideSeriesCount = number(Int.self)
    case "--wide-steps": wideSteps = number(Int.self)
    case "-h", "--help": usage()
    default:
        if argument.hasPrefix("-") { usage() }
        urls.append(argument)
    }
}
guard !urls.isEmpty, seriesCount >= 0, appSeriesCount >= 0, histogramCount >= 0, wideSeriesCount >= 0, wideSteps > 0,
      seriesCount + appSeriesCount + histogramCount + wideSeriesCount > 0, hours > 0, interval > 0, batchSize > 0 else { usage() }

// MARK: Series

/// How one series' value moves from one sample to the next, as node_exporter's series do.
enum Kind {
    /// Never changes (`*_info`, sizes, limits, `up`-like flags).
    case constant
    /// An integer counter that grows by up to `step` with probability 1/`every`.
    case integerCounter(step: UInt64, every: UInt64)
    /// A counter with two decimals (CPU seconds), growing by up to `cents`/100 every sample.
    case centsCounter(cents: UInt64)
    /// A gauge of bytes moving in 4 KiB pages with probability 1/3.
    case pageGauge
    /// A gauge with two decimals doing a small random walk (load averages, temperatures).
    case centsGauge
    /// A gauge that takes one of a few values, changing rarely (states, counts of things).
    case fewValued(values: [Double])
    /// Part `part` (bucket index, then _sum, then _count) of histogram `histogram`, read from `histograms`.
    case histogramPart(histogram: Int, part: Int)
}

struct Template {
    var name: String
    var labels: [(String, String)]
    var kind: Kind
}

/// The series one node_exporter exposes, minus `job`/`instance`: about 200 of them.
func nodeTemplates() -> [Template] {
    var out: [Template] = []
    for cpu in 0..<8 {
        for mode in ["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"] {
            let cents: UInt64 = mode == "idle" ? 1500 : mode == "steal" || mode == "nice" ? 1 : 120
            out.append(Template(name: "node_cpu_seconds_total", labels: [("cpu", "\(cpu)"), ("mode", mode)], kind: .centsCounter(cents: cents)))
        }
        out.append(Template(name: "node_cpu_scaling_frequency_hertz", labels: [("cpu", "\(cpu)")],
                            kind: .fewValued(values: [1.2e9, 2.4e9, 3.1e9, 3.6e9])))
        out.append(Template(name: "node_cpu_frequency_max_hertz", labels: [("cpu", "\(cpu)")], kind: .constant))
    }
    for device in ["eth0", "lo", "docker0"] {
        for direction in ["receive", "transmit"] {
            out.append(Template(name: "node_network_\(direction)_bytes_total", labels: [("device", device)], kind: .integerCounter(step: 2_000_000, every: 1)))
            out.append(Template(name: "node_network_\(direction)_packets_total", labels: [("device", device)], kind: .integerCounter(step: 3_000, every: 1)))
            out.append(Template(name: "node_network_\(direction)_errs_total", labels: [("device", device)], kind: .integerCounter(step: 2, every: 200)))
            out.append(Template(name: "node_network_\(direction)_drop_total", labels: [("device", device)], kind: .integerCounter(step: 3, every: 50)))
        }
        out.append(Template(name: "node_network_up", labels: [("device", device)], kind: .constant))
        out.append(Template(name: "node_network_mtu_bytes", labels: [("device", device)], kind: .constant))
    }
    for device in ["sda", "sdb", "nvme0n1"] {
        for metric in ["reads_completed_total", "writes_completed_total", "reads_merged_total", "writes_merged_total"] {
            out.append(Template(name: "node_disk_\(metric)", labels: [("device", device)], kind: .integerCounter(step: 400, every: 2)))
        }
        out.append(Template(name: "node_disk_read_bytes_total", labels: [("device", device)], kind: .integerCounter(step: 4_000_000, every: 2)))
        out.append(Template(name: "node_disk_written_bytes_total", labels: [("device", device)], kind: .integerCounter(step: 8_000_000, every: 1)))
        out.append(Template(name: "node_disk_io_time_seconds_total", labels: [("device", device)], kind: .centsCounter(cents: 300)))
        out.append(Template(name: "node_disk_io_now", labels: [("device", device)], kind: .fewValued(values: [0, 0, 0, 1, 2])))
    }
    let filesystems = [("/dev/sda1", "ext4", "/"), ("/dev/sda2", "ext4", "/home"), ("tmpfs", "tmpfs", "/run"),
                       ("/dev/nvme0n1p1", "vfat", "/boot/efi"), ("overlay", "overlay", "/var/lib/docker/overlay2/3f9a/merged")]
    for (device, fstype, mountpoint) in filesystems {
        let labels = [("device", device), ("fstype", fstype), ("mountpoint", mountpoint)]
        out.append(Template(name: "node_filesystem_avail_bytes", labels: labels, kind: .pageGauge))
        out.append(Template(name: "node_filesystem_free_bytes", labels: labels, kind: .pageGauge))
        out.append(Template(name: "node_filesystem_size_bytes", labels: labels, kind: .constant))
        out.append(Template(name: "node_filesystem_files", labels: labels, kind: .constant))
        out.append(Template(name: "node_filesystem_files_free", labels: labels, kind: .integerCounter(step: 20, every: 10)))
        out.append(Template(name: "node_filesystem_readonly", labels: labels, kind: .constant))
        out.append(Template(name: "node_filesystem_device_error", labels: labels, kind: .constant))
    }
    for field in ["MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapCached", "Active", "Inactive",
                  "Active_anon", "Inactive_anon", "Active_file", "Inactive_file", "Unevictable", "Mlocked",
                  "SwapTotal", "SwapFree", "Dirty", "Writeback", "AnonPages", "Mapped", "Shmem", "KReclaimable",
                  "Slab", "SReclaimable", "SUnreclaim", "KernelStack", "PageTables", "CommitLimit",
                  "Committed_AS", "VmallocTotal", "VmallocUsed", "Percpu", "HugePages_Total", "Hugepagesize",
                  "DirectMap4k", "DirectMap2M"] {
        let fixed = ["MemTotal", "SwapTotal", "CommitLimit", "VmallocTotal", "HugePages_Total", "Hugepagesize", "DirectMap2M"]
        out.append(Template(name: "node_memory_\(field)_bytes", labels: [], kind: fixed.contains(field) ? .constant : .pageGauge))
    }
    for name in ["node_load1", "node_load5", "node_load15", "node_pressure_cpu_waiting_seconds_total"] {
        out.append(Template(name: name, labels: [], kind: name.hasSuffix("_total") ? .centsCounter(cents: 40) : .centsGauge))
    }
    for field in ["pgfault", "pgmajfault", "pgpgin", "pgpgout", "pswpin", "pswpout", "oom_kill"] {
        let kind: Kind = field == "oom_kill" || field.hasPrefix("pswp") ? .integerCounter(step: 1, every: 500) : .integerCounter(step: 50_000, every: 1)
        out.append(Template(name: "node_vmstat_\(field)", labels: [], kind: kind))
    }
    for name in ["node_context_switches_total", "node_intr_total", "node_forks_total"] {
        out.append(Template(name: name, labels: [], kind: .integerCounter(step: 60_000, every: 1)))
    }
    for state in ["TCP_ESTABLISHED", "TCP_TIME_WAIT", "TCP_LISTEN"] {
        out.append(Template(name: "node_netstat_\(state)", labels: [], kind: .fewValued(values: [12, 13, 14, 17, 20])))
    }
    out.append(Template(name: "node_procs_running", labels: [], kind: .fewValued(values: [1, 2, 3, 4])))
    out.append(Template(name: "node_procs_blocked", labels: [], kind: .fewValued(values: [0, 0, 0, 1])))
    out.append(Template(name: "node_boot_time_seconds", labels: [], kind: .constant))
    out.append(Template(name: "node_time_seconds", labels: [], kind: .integerCounter(step: 16, every: 1)))
    out.append(Template(name: "node_entropy_available_bits", labels: [], kind: .fewValued(values: [256])))
    out.append(Template(name: "node_filefd_allocated", labels: [], kind: .fewValued(values: [2080, 2112, 2144, 2176])))
    out.append(Template(name: "node_filefd_maximum", labels: [], kind: .constant))
    out.append(Template(name: "node_uname_info", labels: [("machine", "x86_64"), ("release", "6.1.0-18-amd64"), ("sysname", "Linux")], kind: .constant))
    out.append(Template(name: "node_exporter_build_info", labels: [("goversion", "go1.19.8"), ("version", "1.5.0")], kind: .constant))
    for collector in ["cpu", "diskstats", "filesystem", "loadavg", "meminfo", "netdev", "netstat", "stat", "vmstat"] {
        out.append(Template(name: "node_scrape_collector_success", labels: [("collector", collector)], kind: .constant))
        out.append(Template(name: "node_scrape_collector_duration_seconds", labels: [("collector", collector)], kind: .centsGauge))
    }
    out.append(Template(name: "up", labels: [], kind: .constant))
    out.append(Template(name: "scrape_samples_scraped", labels: [], kind: .fewValued(values: [Double(out.count + 4)])))
    out.append(Template(name: "scrape_duration_seconds", labels: [], kind: .centsGauge))
    return out
}

/// One generated series: its labels (sorted by name, as remote write requires) and its state.
struct Series {
    var labels: [Label]
    var kind: Kind
    var random: SplitMix64
    var value: Double
    var cents: Int64

    init(template: Template, host: Int, index: Int, seed: UInt64) {
        self.init(name: template.name, labels: template.labels + [("instance", "node-\(host).example.internal:9100"), ("job", "node")],
                  kind: template.kind, index: index, seed: seed)
    }

    init(name: String, labels extra: [(String, String)], kind: Kind, index: Int, seed: UInt64) {
        var pairs = extra + [("__name__", name)]
        pairs.sort { $0.0 < $1.0 }
        labels = pairs.map { Label(name: $0.0, value: $0.1) }
        self.kind = kind
        random = SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index))
        cents = 0
        switch kind {
        case .histogramPart: value = 0
        case .constant:
            value = name == "up" || name.hasSuffix("_info") || name.hasSuffix("_success") || name == "node_network_up"
                ? 1 : Double(random.next() % 1_000) * 4_096 * 1_024
        case .integerCounter: value = Double(random.next() % 1_000_000_000)
        case .centsCounter:
            cents = Int64(random.next() % 100_000_000)
            value = Double(cents) / 100
        case .pageGauge: value = Double(random.next() % 2_000_000) * 4_096
        case .centsGauge:
            cents = Int64(random.next() % 400)
            value = Double(cents) / 100
        case .fewValued(let values): value = values[Int(random.next() % UInt64(values.count))]
        }
    }

    /// The value at the next step.
    mutating func advance() -> Double {
        switch kind {
        case .constant: break
        case .integerCounter(let step, let every):
            if random.next() % every == 0 { value += Double(random.next() % (step + 1)) }
        case .centsCounter(let maxCents):
            cents += Int64(random.next() % (maxCents + 1))
            value = Double(cents) / 100
        case .pageGauge:
            if random.next() % 3 == 0 { value = max(0, value + Double(Int64(random.next() % 2_001) - 1_000) * 4_096) }
        case .centsGauge:
            cents = max(0, cents + Int64(random.next() % 21) - 10)
            value = Double(cents) / 100
        case .fewValued(let values):
            if random.next() % 20 == 0 { value = values[Int(random.next() % UInt64(values.count))] }
        case .histogramPart: break  // the load loop reads these from `histograms`
        }
        return value
    }
}

/// One classic histogram's state: cumulative bucket counts, then sum, then count.
struct Histogram {
    static let bounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    static let labels = bounds.map { "\($0)" } + ["+Inf"]
    var random: SplitMix64
    /// Slowness of this handler: its latencies are scaled by 1 + skew/4.
    let skew: UInt64
    var counts: [UInt64] = Array(repeating: 0, count: bounds.count + 1)
    var sumMillis: UInt64 = 0
    var values: [Double] = Array(repeating: 0, count: bounds.count + 3)

    init(index: Int, seed: UInt64) {
        random = SplitMix64(seed: (seed ^ 0x5151) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index))
        skew = UInt64(index % 7)
    }

    /// Observes up to 40 requests with roughly log-uniform latencies (whole milliseconds, so the
    /// sum stays exact).
    mutating func advance() {
        let observations = random.next() % 41
        for _ in 0..<observations {
            let millis = (UInt64(1) << (random.next() % 13)) * (4 + skew) / 4 + random.next() % 3
            sumMillis += millis
            let seconds = Double(millis) / 1000
            let bucket = Histogram.bounds.firstIndex { seconds <= $0 } ?? Histogram.bounds.count
            counts[bucket] += 1
        }
        var cumulative: UInt64 = 0
        for (index, count) in counts.enumerated() {
            cumulative += count
            values[index] = Double(cumulative)
        }
        values[counts.count] = Double(sumMillis) / 1000
        values[counts.count + 1] = Double(cumulative)
    }
}

let templates = nodeTemplates()
var series: [Series] = []
var histograms: [Histogram] = []
series.reserveCapacity(seriesCount + appSeriesCount + 14 * histogramCount + wideSeriesCount)
for index in 0..<seriesCount {
    series.append(Series(template: templates[index % templates.count], host: index / templates.count, index: index, seed: seed))
}
let handlers = ["/api/v1/query", "/api/v1/query_range", "/api/v1/write", "/api/v1/series", "/api/v1/labels",
                "/metrics", "/-/ready", "/static/app.js", "/graph", "/federate"]
let codes = ["200", "204", "400", "404", "500"]
for index in 0..<appSeriesCount {
    let instance = index / 50, combination = index % 50
    series.append(Series(name: "http_requests_total",
                         labels: [("job", "app-\(instance % 10)"), ("instance", "app-\(instance).example.internal:8080"),
                                  ("handler", handlers[combination % 10]), ("code", codes[combination / 10])],
                         kind: .integerCounter(step: UInt64(1 + combination % 10) * 20, every: 1), index: seriesCount + index, seed: seed))
}
for histogram in 0..<histogramCount {
    histograms.append(Histogram(index: histogram, seed: seed))
    let base = [("job", "app-\(histogram / 5 % 10)"), ("instance", "app-\(histogram / 5).example.internal:8080"),
                ("handler", handlers[histogram % 5])]
    for (part, le) in Histogram.labels.enumerated() {
        series.append(Series(name: "http_request_duration_seconds_bucket", labels: base + [("le", le)],
                             kind: .histogramPart(histogram: histogram, part: part), index: 0, seed: seed))
    }
    series.append(Series(name: "http_request_duration_seconds_sum", labels: base,
                         kind: .histogramPart(histogram: histogram, part: Histogram.labels.count), index: 0, seed: seed))
    series.append(Series(name: "http_request_duration_seconds_count", labels: base,
                         kind: .histogramPart(histogram: histogram, part: Histogram.labels.count + 1), index: 0, seed: seed))
}
/// Series sent at every step; the wide series follow them in `series`.
let everyStepCount = series.count
for index in 0..<wideSeriesCount {
    series.append(Series(name: "wide_lookup_info",
                         labels: [("job", "lookup"), ("id", "\(index)"), ("pod", "pod-\(index / 16)"),
                                  ("shard", "s\(index % 64)"), ("zone", "zone-\(index % 3)")],
                         kind: .fewValued(values: [Double(index)]), index: 0, seed: seed))
}

// MARK: HTTP/1.1 over a blocking socket

/// One keep-alive connection to one receiver; reconnects when the server closes.
final class Connection {
    let url: String
    let host: String
    let port: UInt16
    let path: String
    var fd: Int32 = -1
    var seconds = 0.0
    var requests = 0

    init(url: String) {
        guard url.hasPrefix("http://") else { fail("only http:// URLs are supported: \(url)") }
        let rest = url.dropFirst("http://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        path = slash == rest.endIndex ? "/" : String(rest[slash...])
        if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            port = UInt16(authority[authority.index(after: colon)...]) ?? 80
        } else {
            host = String(authority)
            port = 80
        }
        self.url = url
    }

    func connect() {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let info = result else { fail("cannot resolve \(host)") }
        defer { freeaddrinfo(result) }
        fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard fd >= 0, Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            fail("cannot connect to \(host):\(port): \(String(cString: strerror(errno)))")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    func writeAll(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }

    /// POSTs one snappy remote-write body; returns the status and any body the server sent.
    func post(_ body: [UInt8]) -> (status: Int, body: String) {
        let started = monotonicSeconds()
        defer {
            seconds += monotonicSeconds() - started
            requests += 1
        }
        for attempt in 0..<2 {
            if fd < 0 { connect() }
            let head = "POST \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nContent-Type: application/x-protobuf\r\n"
                + "Content-Encoding: snappy\r\nX-Prometheus-Remote-Write-Version: 0.1.0\r\nUser-Agent: vigil-remote-write-load\r\n"
                + "Content-Length: \(body.count)\r\n\r\n"
            if writeAll(Array(head.utf8)) && writeAll(body), let response = readResponse() {
                return response
            }
            close()
            if attempt == 1 { fail("\(url): connection failed: \(String(cString: strerror(errno)))") }
        }
        fatalError("unreachable")
    }

    private var buffer: [UInt8] = []

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
        if count <= 0 { return false }
        buffer.append(contentsOf: chunk[..<count])
        return true
    }

    private func readResponse() -> (status: Int, body: String)? {
        buffer.removeAll(keepingCapacity: true)
        var headerEnd: Int?
        while headerEnd == nil {
            if let end = findHeaderEnd() { headerEnd = end; break }
            if !fill() { return nil }
        }
        let headerText = String(decoding: buffer[..<headerEnd!], as: UTF8.self)
        let lines = headerText.split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/1."),
              let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else { return nil }
        var contentLength = 0
        var chunked = false
        var closeAfter = false
        for line in lines.dropFirst() {
            let lower = line.lowercased()
            if lower.hasPrefix("content-length:") { contentLength = Int(lower.dropFirst(15).trimmingSpaces()) ?? 0 }
            if lower.hasPrefix("transfer-encoding:") && lower.contains("chunked") { chunked = true }
            if lower.hasPrefix("connection:") && lower.contains("close") { closeAfter = true }
        }
        let bodyStart = headerEnd! + 4
        var body: [UInt8] = []
        if chunked {
            // Only error answers are chunked, and we stop on those: read what arrives, then close.
            while !String(decoding: buffer[bodyStart...], as: UTF8.self).contains("\r\n0\r\n\r\n") && fill() {}
            body = Array(buffer[bodyStart...])
            closeAfter = true
        } else {
            while buffer.count - bodyStart < contentLength { if !fill() { return nil } }
            body = Array(buffer[bodyStart..<(bodyStart + contentLength)])
        }
        if closeAfter { close() }
        return (status, String(decoding: body, as: UTF8.self))
    }

    private func findHeaderEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " || text.last == "\r" { text = text.dropLast() }
        return text
    }
}

// MARK: Load

var now = timespec()
clock_gettime(CLOCK_REALTIME, &now)
let end = endMs ?? (Int64(now.tv_sec) * 1_000 / interval * interval)
let steps = Int(hours * 3_600_000 / Double(interval))
let start = end - Int64(steps - 1) * interval
let connections = urls.map(Connection.init)
var encodeSeconds = 0.0
var requestCount = 0
var sampleCount = 0
var bodyBytes = 0
let began = monotonicSeconds()
print("RemoteWriteLoad: \(seriesCount) node series (\(templates.count) per host), \(appSeriesCount) app counter series, "
      + "\(histogramCount) histograms (\(14 * histogramCount) series), \(wideSeriesCount) wide series at the last \(min(wideSteps, steps)) steps; "
      + "\(steps) steps of \(interval) ms "
      + "from \(start) to \(end), \(batchSize) samples per request, to \(urls.joined(separator: " "))")

for step in 0..<steps {
    let timestamp = start + Int64(step) * interval
    for index in histograms.indices { histograms[index].advance() }
    let activeCount = step >= steps - wideSteps ? series.count : everyStepCount
    var first = 0
    while first < activeCount {
        let last = min(first + batchSize, activeCount)
        let encodeStarted = monotonicSeconds()
        var timeseries: [TimeSeries] = []
        timeseries.reserveCapacity(last - first)
        for index in first..<last {
            let value: Double
            if case .histogramPart(let histogram, let part) = series[index].kind {
                value = histograms[histogram].values[part]
            } else {
                value = series[index].advance()
            }
            timeseries.append(TimeSeries(labels: series[index].labels, samples: [.init(value: value, timestamp: timestamp)]))
        }
        let body = WriteRequest(timeseries: timeseries).compressedBody()
        encodeSeconds += monotonicSeconds() - encodeStarted
        for connection in connections {
            let (status, text) = connection.post(body)
            guard (200..<300).contains(status) else {
                fail("\(connection.url) answered \(status) to the request at step \(step) (t=\(timestamp)), series \(first)..<\(last): \(text.prefix(500))")
            }
        }
        requestCount += 1
        sampleCount += last - first
        bodyBytes += body.count
        first = last
    }
    if step > 0 && step % max(1, steps / 10) == 0 {
        print("  \(step * 100 / steps)%: \(sampleCount) samples, \(Int(monotonicSeconds() - began)) s")
        fflush(nil)
    }
}
for connection in connections { connection.close() }

let elapsed = monotonicSeconds() - began
print("RemoteWriteLoad: sent \(sampleCount) samples in \(requestCount) requests (\(bodyBytes / requestCount) bytes each, snappy) "
      + "in \(String(format1: elapsed)) s; encoding \(String(format1: encodeSeconds)) s")
for connection in connections {
    print("url=\(connection.url) requests=\(connection.requests) seconds=\(String(format1: connection.seconds)) "
          + "samples_per_second=\(Int(Double(sampleCount) / max(connection.seconds, 1e-9)))")
}
// Machine-readable totals, one key=value each, for compat/tsdb-compare.sh.
print("totals series=\(series.count) every_step_series=\(everyStepCount) wide_series=\(wideSeriesCount) steps=\(steps) samples=\(sampleCount) first_ms=\(start) last_ms=\(end) interval_ms=\(interval)")

extension String {
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(tenths % 10)"
    }
}
