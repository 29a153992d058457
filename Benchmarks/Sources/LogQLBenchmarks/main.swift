// LogQL scan speed over the in-memory source (docs/PERFORMANCE.md). Run from Benchmarks/:
// `swift run -c release LogQLBenchmarks [--quick]`.
//
// 1. `{job="x"} |= "rare"` over generated application lines: MB/s of raw line bytes scanned,
//    beside `grep -F -c rare` over the same lines written to a file.
// 2. `sum by (status) (count_over_time({job="ingress"} | json [5m]))` over JSON access lines.
import VigilLogQL
import VigilModel

#if canImport(Glibc)
import Glibc
#endif

let quick = CommandLine.arguments.contains("--quick")

func monotonicSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

struct Random {
    var state: UInt64 = 0x5EED
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

let words = ["request", "handled", "user", "session", "cache", "miss", "database", "query", "took", "ms", "ok", "retry",
             "upstream", "connection", "pool", "timeout", "GET", "POST", "/api/v1/items", "/healthz", "status", "200"]

/// ~200-byte application lines; one in 100,000 holds "rare".
func applicationLines(_ count: Int) -> [LogEntry] {
    var random = Random()
    var entries: [LogEntry] = []
    entries.reserveCapacity(count)
    for index in 0..<count {
        var line = "2026-11-27T10:00:00.\(100000 + index % 900000)Z level=info"
        while line.utf8.count < 190 { line += " " + words[random.below(words.count)] + "=\(random.below(10000))" }
        if index % 100_000 == 99_999 { line += " rare" }
        entries.append(LogEntry(timestamp: Int64(index) * 1_000_000, line: Array(line.utf8)))
    }
    return entries
}

func accessLines(_ count: Int) -> [LogEntry] {
    var random = Random(state: 7)
    let statuses = ["200", "200", "200", "200", "201", "301", "404", "500", "503"]
    let methods = ["GET", "GET", "GET", "POST", "PUT", "DELETE"]
    var entries: [LogEntry] = []
    entries.reserveCapacity(count)
    for index in 0..<count {
        let line = #"{"ts":"2026-11-27T10:00:00Z","remote_addr":"10.0.\#(random.below(256)).\#(random.below(256))","method":"\#(methods[random.below(methods.count)])","path":"/api/v1/items/\#(random.below(1000))","status":"\#(statuses[random.below(statuses.count)])","bytes":\#(random.below(100_000)),"duration_ms":\#(random.below(2000)),"user_agent":"Mozilla/5.0 (X11; Linux x86_64)"}"#
        entries.append(LogEntry(timestamp: Int64(index) * 10_000_000, line: Array(line.utf8)))
    }
    return entries
}

func grepSeconds(_ entries: [LogEntry], needle: String) -> Double? {
    let path = "/tmp/vigil-logql-bench-\(getpid()).log"
    guard let file = fopen(path, "w") else { return nil }
    for entry in entries {
        _ = entry.line.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        fputc(0x0A, file)
    }
    fclose(file)
    defer { unlink(path) }
    var best = Double.infinity
    for _ in 0..<3 {
        let start = monotonicSeconds()
        guard system("grep -F -c \(needle) \(path) > /dev/null") == 0 else { return nil }
        best = min(best, monotonicSeconds() - start)
    }
    return best
}

func benchmarkRareToken() async throws {
    let count = quick ? 200_000 : 2_000_000
    let entries = applicationLines(count)
    let bytes = entries.reduce(0) { $0 + $1.line.count }
    let source = InMemoryLogSource()
    source.append(["job": "x"], entries)
    let engine = LogQLEngine(source: source)
    let end = Int64(count) * 1_000_000 + 1
    var best = Double.infinity
    var found = 0
    for _ in 0..<5 {
        let start = monotonicSeconds()
        let response = try await engine.rangeQuery(#"{job="x"} |= "rare""#, start: 0, end: end, step: 1_000_000_000, limit: 5000)
        best = min(best, monotonicSeconds() - start)
        found = response.statistics.totalEntriesReturned
    }
    let megabytes = Double(bytes) / 1e6
    print("{job=\"x\"} |= \"rare\": \(count) lines, \(Int(megabytes)) MB, \(found) matches: \(Int(megabytes / best)) MB/s (\(Int(best * 1000)) ms)")
    if let grep = grepSeconds(entries, needle: "rare") {
        print("  grep -F -c rare over the same lines: \(Int(megabytes / grep)) MB/s (\(Int(grep * 1000)) ms, includes process start)")
    }
}

func benchmarkJSONGrouping() async throws {
    let count = quick ? 100_000 : 1_000_000
    let entries = accessLines(count)
    let bytes = entries.reduce(0) { $0 + $1.line.count }
    let source = InMemoryLogSource()
    source.append(["job": "ingress"], entries)
    let engine = LogQLEngine(source: source)
    let end = Int64(count) * 10_000_000
    let query = #"sum by (status) (count_over_time({job="ingress"} | json [5m]))"#
    var best = Double.infinity
    var series = 0
    for _ in 0..<3 {
        let start = monotonicSeconds()
        let response = try await engine.rangeQuery(query, start: 0, end: end, step: 60_000_000_000)
        best = min(best, monotonicSeconds() - start)
        if case .matrix(let result) = response.result { series = result.count }
    }
    let megabytes = Double(bytes) / 1e6
    print("\(query): \(count) lines, \(Int(megabytes)) MB, \(series) series: \(Int(megabytes / best)) MB/s, "
        + "\(Int(Double(count) / best / 1000)) k lines/s (\(Int(best * 1000)) ms)")
}

if !CommandLine.arguments.contains("--json-only") { try await benchmarkRareToken() }
if !CommandLine.arguments.contains("--rare-only") { try await benchmarkJSONGrouping() }
