// WAL throughput measurements (run in release from Benchmarks/): `swift run -c release WALBenchmarks [series] [samplesPerSeries]`.
// Prints figures; asserts nothing.
import Dispatch
import Foundation
import VigilModel
import VigilTSDB

let arguments = CommandLine.arguments
let seriesCount = arguments.count > 1 ? Int(arguments[1])! : 1_000_000
let samplesPerSeries = arguments.count > 2 ? Int(arguments[2])! : 60
let base = FileManager.default.temporaryDirectory.path + "/vigil-walbench-\(getpid())"
defer { try? FileManager.default.removeItem(atPath: base) }

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func format(_ value: Double) -> String { String(format: "%.3g", value) }

let clock = ContinuousClock()

// MARK: CRC-32C over 32 KiB records (WAL pages, log frames), best of 5 passes over 64 MiB.
do {
    let record = [UInt8]((0..<(32 << 10)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
    var fastest = 0.0
    var crc: UInt32 = 0
    for _ in 0..<5 {
        let start = clock.now
        for _ in 0..<2048 { crc ^= record.withUnsafeBytes { CRC32C.update(crc, $0) } }
        fastest = max(fastest, Double(2048 * record.count) / seconds(clock.now - start))
    }
    print("crc32c: \(format(fastest / 1e9)) GB/s (\(crc & 1))")
}

// MARK: log() throughput per sync policy: one "scrape" batch = 1000 samples of consecutive refs.
func scrapeBatch(_ round: Int, _ offset: Int) -> [WALRecord] {
    [.samples((0..<1000).map { RefSample(ref: UInt64(offset + $0), timestamp: 1_700_000_000_000 + Int64(round) * 15_000, value: Double($0 &* round)) })]
}

func measureLog(_ name: String, _ policy: SyncPolicy, batches: Int, threads: Int) throws {
    let directory = base + "/log-\(name)"
    let wal = try WAL(directory: directory, syncPolicy: policy)
    let prepared = (0..<threads).map { t in (0..<min(batches, 64)).map { scrapeBatch($0, t * 1000) } }
    let perThread = batches / threads
    let start = clock.now
    DispatchQueue.concurrentPerform(iterations: threads) { t in
        for b in 0..<perThread { try! wal.log(prepared[t][b % prepared[t].count]) }
    }
    let elapsed = seconds(clock.now - start)
    let bytes = Double(wal.walSize)
    let syncs = wal.syncCount
    try wal.close()
    let total = Double(perThread * threads)
    print("log \(name) threads=\(threads): \(format(total / elapsed)) batches/s, \(format(total * 1000 / elapsed)) samples/s, \(format(bytes / elapsed / 1e6)) MB/s, \(format(elapsed * 1e6 / total)) µs/batch, \(syncs) fdatasyncs")
    try? FileManager.default.removeItem(atPath: directory)
}

try measureLog("never", .never, batches: 20_000, threads: 1)
try measureLog("interval(1s)", .interval(.seconds(1)), batches: 20_000, threads: 1)
try measureLog("always", .always, batches: 2_000, threads: 1)
try measureLog("always", .always, batches: 4_000, threads: 8)
try measureLog("never", .never, batches: 40_000, threads: 8)

// MARK: Replay of seriesCount series × samplesPerSeries samples.
let directory = base + "/replay"
do {
    let wal = try WAL(directory: directory, syncPolicy: .never)
    var rng = SystemRandomNumberGenerator()
    let jobs = ["node", "api", "db", "cache"]
    let start = clock.now
    for chunk in stride(from: 0, to: seriesCount, by: 1000) {
        let series = (chunk..<min(chunk + 1000, seriesCount)).map { i in
            WALRecord.SeriesRecord(ref: UInt64(i), labels: [
                "__name__": "http_requests_total", "job": jobs[i % 4], "instance": "10.0.\(i / 256 % 256).\(i % 256):9100",
                "method": i % 3 == 0 ? "GET" : "POST", "code": "\(200 + i % 5)", "shard": "\(i / 1000)",
            ])
        }
        try wal.log([.series(series)])
    }
    for round in 0..<samplesPerSeries {
        for chunk in stride(from: 0, to: seriesCount, by: 1000) {
            let samples = (chunk..<min(chunk + 1000, seriesCount)).map {
                RefSample(ref: UInt64($0), timestamp: 1_700_000_000_000 + Int64(round) * 15_000, value: Double(UInt32.random(in: 0...1000, using: &rng)))
            }
            try wal.log([.samples(samples)])
        }
    }
    let written = seconds(clock.now - start)
    let size = wal.walSize
    try wal.close()
    print("wrote \(seriesCount) series × \(samplesPerSeries) samples: \(format(Double(size) / 1e6)) MB in \(wal.segmentCount) segments, \(format(written)) s (\(format(Double(seriesCount * samplesPerSeries) / written)) samples/s), \(format(Double(size) / Double(seriesCount * samplesPerSeries))) B/sample incl. series")

    for pass in 1...2 {
        let reader = try WAL(directory: directory, syncPolicy: .never)
        var samples = 0
        let report = try reader.replay { record in
            if case .samples(let s) = record { samples += s.count }
        }
        let elapsed = seconds(report.duration)
        print("replay pass \(pass) (page cache warm): \(report.records) records, \(report.series) series, \(samples) samples in \(format(elapsed)) s: \(format(Double(samples) / elapsed)) samples/s, \(format(Double(report.bytes) / elapsed / 1e6)) MB/s")
        try reader.close()
    }

    let checkpointer = try WAL(directory: directory, syncPolicy: .never)
    let checkpointStart = clock.now
    let stats = try checkpointer.checkpoint(upTo: checkpointer.currentSegment - 1, keepSeries: { $0 % 2 == 0 }, minTime: 1_700_000_000_000 + Int64(samplesPerSeries / 2) * 15_000)
    print("checkpoint (keep half the series, half the time): \(format(seconds(clock.now - checkpointStart))) s, \(stats.seriesKept) series, \(stats.samplesKept) samples, \(format(Double(stats.bytes) / 1e6)) MB")
    try checkpointer.close()
}
