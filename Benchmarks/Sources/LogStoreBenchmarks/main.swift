// Log store ingest and compression (run in release from Benchmarks/):
//   swift run -c release LogStoreBenchmarks [lines]
// Prints figures; asserts nothing.
//
// 1. Ingest: protobuf+snappy and JSON push bodies of 200-byte JSON app-log lines (1,000 lines per
//    push over 10 streams), decoded and appended on one thread (WAL written, fdatasync off and on),
//    in MB/s of line bytes per CPU second.
// 2. Compression: chunk files' bytes (brotli template-column blocks + meta + token filter) over the
//    raw line bytes.
// 3. A rare-token search over the chunks, reading every chunk and skipping by their filters.
import Foundation
import VigilLogQL
import VigilLogStore
import VigilModel
import VigilRemote

let arguments = CommandLine.arguments
let totalLines = arguments.count > 1 ? Int(arguments[1])! : 1_000_000
let linesPerPush = 1000
let base = FileManager.default.temporaryDirectory.path + "/vigil-logbench-\(getpid())"
defer { try? FileManager.default.removeItem(atPath: base) }

func format(_ value: Double) -> String { String(format: "%.3g", value) }

/// CPU seconds of this process (user + system), so other load on the machine does not count.
func cpuSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// SplitMix64, so every run generates the same lines (VigilTestSupport's would pull Hummingbird
/// into this release build).
struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

// MARK: Generated JSON application logs, about 200 bytes a line.
var random = Generator(state: 42)
let services = ["checkout", "cart", "payments", "search", "auth"]
let paths = ["/api/v1/orders", "/api/v1/cart/items", "/api/v1/pay", "/api/v1/search", "/login", "/api/v1/users/me"]
let messages = ["request served", "request served", "request served", "cache miss", "upstream slow", "validation failed"]
let methods = ["GET", "GET", "GET", "POST", "PUT", "DELETE"]
let statuses = [200, 200, 200, 200, 201, 204, 304, 400, 404, 500]
let start: Int64 = 1_800_000_000_000_000_000
@MainActor func line(_ index: Int) -> String {
    let pick = { (count: Int) in Int(random.next() % UInt64(count)) }
    let level = pick(20) == 0 ? "error" : (pick(5) == 0 ? "debug" : "info")
    let traceID = String(random.next(), radix: 16)
    let millis = Double(pick(50_000)) / 100
    let timestamp = RFC3339.format(milliseconds: (start / 1_000_000) + Int64(index))
    return #"{"ts":"\#(timestamp)","level":"\#(level)","service":"\#(services[index % services.count])","msg":"\#(messages[pick(messages.count)])","method":"\#(methods[pick(methods.count)])","path":"\#(paths[pick(paths.count)])/\#(pick(10_000))","status":\#(statuses[pick(statuses.count)]),"duration_ms":\#(millis),"trace_id":"\#(traceID)"}"#
}

print("generating \(totalLines) lines …")
var lines: [String] = []
lines.reserveCapacity(totalLines)
for index in 0..<totalLines { lines.append(line(index)) }
// One line carries a token no other has: the rare-string search below looks for it.
lines[totalLines / 2] = lines[totalLines / 2].replacingOccurrences(of: "\"trace_id\":\"", with: "\"trace_id\":\"trace-needle-0xdeadbeef-")
let rawBytes = lines.reduce(0) { $0 + $1.utf8.count }
print("raw: \(rawBytes) bytes, \(format(Double(rawBytes) / Double(totalLines))) bytes/line")

// MARK: Push bodies
func varint(_ value: UInt64, _ out: inout [UInt8]) {
    var remaining = value
    while remaining >= 0x80 {
        out.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
        remaining >>= 7
    }
    out.append(UInt8(remaining))
}
func field(_ number: UInt64, _ payload: [UInt8], _ out: inout [UInt8]) {
    varint(number << 3 | 2, &out)
    varint(UInt64(payload.count), &out)
    out.append(contentsOf: payload)
}
@MainActor func protobufPush(_ first: Int) -> [UInt8] {
    var request: [UInt8] = []
    for stream in 0..<10 {
        var adapter: [UInt8] = []
        field(1, Array(#"{app="bench", service="\#(services[stream % 5])", pod="pod-\#(stream)"}"#.utf8), &adapter)
        for index in stride(from: first + stream, to: min(first + linesPerPush, totalLines), by: 10) {
            let ns = start + Int64(index) * 1_000_000
            var timestamp: [UInt8] = []
            varint(1 << 3, &timestamp)
            varint(UInt64(ns / 1_000_000_000), &timestamp)
            varint(2 << 3, &timestamp)
            varint(UInt64(ns % 1_000_000_000), &timestamp)
            var entry: [UInt8] = []
            field(1, timestamp, &entry)
            field(2, Array(lines[index].utf8), &entry)
            field(2, entry, &adapter)
        }
        field(1, adapter, &request)
    }
    return Snappy.compress(request)
}
@MainActor func jsonPush(_ first: Int) -> [UInt8] {
    var out = #"{"streams":["#
    for stream in 0..<10 {
        if stream > 0 { out += "," }
        out += #"{"stream":{"app":"bench","service":"\#(services[stream % 5])","pod":"pod-\#(stream)"},"values":["#
        var firstValue = true
        for index in stride(from: first + stream, to: min(first + linesPerPush, totalLines), by: 10) {
            if !firstValue { out += "," }
            firstValue = false
            out += "[\"\(start + Int64(index) * 1_000_000)\","
            JSONQuoting.append(lines[index], to: &out)
            out += "]"
        }
        out += "]}"
    }
    out += "]}"
    return Array(out.utf8)
}

var options = LogStoreOptions()
options.ingestionRate = 0
options.perStreamRate = 0
options.rejectOlderThan = 0
options.creationGracePeriod = 0
options.maxStreamsPerTenant = 0

@MainActor func ingest(_ name: String, sync: Bool, decode: ([UInt8]) throws -> PushRequest, bodies: [[UInt8]], lineCount: Int = totalLines) throws -> LogStore {
    let rawBytes = lines.prefix(lineCount).reduce(0) { $0 + $1.utf8.count }
    let totalLines = lineCount
    var runOptions = options
    runOptions.walSync = sync
    let directory = base + "/\(name)-\(sync)"
    let now = start
    let store = try LogStore.open(directory: directory, options: runOptions, clock: { now })
    let cpu = cpuSeconds()
    let wall = ContinuousClock.now
    for body in bodies {
        let result = try store.push(try decode(body))
        precondition(result.errors.isEmpty, result.message)
    }
    let cpuUsed = cpuSeconds() - cpu
    let wallUsed = ContinuousClock.now - wall
    let wallSeconds = Double(wallUsed.components.seconds) + Double(wallUsed.components.attoseconds) / 1e18
    print("ingest \(name) fdatasync=\(sync): \(format(Double(rawBytes) / cpuUsed / 1e6)) MB/s per CPU second, \(format(Double(rawBytes) / wallSeconds / 1e6)) MB/s wall, \(format(Double(totalLines) / cpuUsed)) lines/CPU s")
    return store
}

let pushes = stride(from: 0, to: totalLines, by: linesPerPush).map { $0 }
let protobufBodies = pushes.map(protobufPush)
let jsonBodies = pushes.map(jsonPush)
print("protobuf+snappy bodies: \(protobufBodies.reduce(0) { $0 + $1.count }) bytes; JSON: \(jsonBodies.reduce(0) { $0 + $1.count }) bytes")

// Decoding alone, to split the cost.
do {
    let cpu = cpuSeconds()
    var entries = 0
    for body in protobufBodies { entries += try LokiProtobufPushDecoder.decode(snappy: body, maxDecodedBytes: 64 << 20).entryCount }
    print("decode protobuf+snappy only: \(format(Double(rawBytes) / (cpuSeconds() - cpu) / 1e6)) MB/s per CPU second (\(entries) entries)")
}

let store = try ingest("protobuf", sync: false, decode: { try LokiProtobufPushDecoder.decode(snappy: $0, maxDecodedBytes: 64 << 20) }, bodies: protobufBodies)
_ = try ingest("json", sync: false, decode: { try LokiJSONPushDecoder.decode($0) }, bodies: jsonBodies)
_ = try ingest("protobuf", sync: true, decode: { try LokiProtobufPushDecoder.decode(snappy: $0, maxDecodedBytes: 64 << 20) }, bodies: Array(protobufBodies.prefix(100)), lineCount: min(totalLines, 100 * linesPerPush))

// MARK: Compression: seal and write every chunk, then compare the files with the raw lines.
try store.checkpoint(sealHeads: true)
let stats = store.storageStats()
let chunkDirectory = base + "/protobuf-false/chunks"
let files = try FileManager.default.contentsOfDirectory(atPath: chunkDirectory)
let fileBytes = try files.reduce(0) { $0 + ((try FileManager.default.attributesOfItem(atPath: chunkDirectory + "/" + $1)[.size] as? Int) ?? 0) }
print("chunks: \(stats.chunks) over \(stats.streams) streams; raw \(stats.rawBytes) bytes → files \(fileBytes) bytes: ratio 1/\(format(Double(stats.rawBytes) / Double(fileBytes))), \(format(Double(fileBytes) / Double(totalLines))) bytes/line")

// MARK: A rare-token search over the written chunks, with and without the bloom filters.
let needle = Array("trace-needle-0xdeadbeef".utf8)
let matchers = [try LabelMatcher(.equal, "app", "bench")]
for useBloom in [false, true] {
    let cpu = cpuSeconds()
    var matched = 0
    let selection = LogSelection(matchers: matchers, start: .min, end: .max, requiredSubstrings: useBloom ? [needle] : [])
    try store.select(selection, tenant: "fake") { batch in
        for entry in batch.entries where entry.line.count >= needle.count {
            if entry.line.withUnsafeBytes({ String(decoding: $0, as: UTF8.self) }).contains("trace-needle-0xdeadbeef") { matched += 1 }
        }
        return true
    }
    print("search rare token, bloom=\(useBloom): \(format(Double(rawBytes) / (cpuSeconds() - cpu) / 1e6)) MB/s of raw lines per CPU second, \(matched) matches, \(store.bloomSkips) chunks skipped so far")
}
try store.close()
