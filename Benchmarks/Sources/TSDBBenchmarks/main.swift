// TSDB benchmarks: chunk encode/decode, bytes per sample, head append and query.
// Run from Benchmarks/: `swift run -c release TSDBBenchmarks`.
import Glibc
import VigilModel
import VigilTSDB
import VigilTestSupport

func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}


// node_exporter-like series, 2h at 15 s: constants, counters, gauges; timestamps with ms jitter.
let seriesCount = 2000
let samplesPerSeries = 480
var rng = SplitMix64(seed: 7)
var chunksBySeries: [[XORChunk]] = []
var totalBytes = 0
var totalSamples = 0
for index in 0..<seriesCount {
    var chunks: [XORChunk] = []
    var appender = XORAppender()
    var value: Double
    let kind = index % 10
    // 40% constant (up, info, limits), 30% integer counters (bytes, packets), 20% float
    // counters (cpu seconds), 10% gauges (memory bytes).
    switch kind {
    case 0...3: value = 1
    case 4...6: value = Double(rng.next() % 1_000_000_000)
    case 7...8: value = Double(rng.next() % 100_000) / 100
    default: value = Double(rng.next() % 8_000_000_000)
    }
    var t: Int64 = 1_700_000_000_000
    for sample in 0..<samplesPerSeries {
        if sample % 120 == 0 && sample > 0 {
            chunks.append(appender.chunk)
            appender = XORAppender()
        }
        appender.append(t, value)
        t += 15_000 + (rng.next() % 4 == 0 ? Int64(rng.next() % 5) - 2 : 0)
        switch kind {
        case 0...3: break
        case 4...6: if rng.next() % 2 == 0 { value += Double(rng.next() % 20_000) }
        case 7...8: value += Double(rng.next() % 1500) / 100
        default: if rng.next() % 3 == 0 { value = max(0, value + Double(Int64(rng.next() % 2_000) - 1_000) * 4096) }
        }
    }
    chunks.append(appender.chunk)
    for chunk in chunks { totalBytes += chunk.bytes.count }
    totalSamples += samplesPerSeries
    chunksBySeries.append(chunks)
}
print("bytes/sample (node_exporter-like, 2h @15s, \(seriesCount) series): \(Double(totalBytes) / Double(totalSamples))")

// Decode rate.
var best = 0.0
var checksum: Int64 = 0
for _ in 0..<5 {
    let start = now()
    var decoded = 0
    for _ in 0..<10 {
        for chunks in chunksBySeries {
            for chunk in chunks {
                var iterator = chunk.makeIterator()
                while iterator.next() {
                    checksum &+= iterator.timestamp &+ Int64(truncatingIfNeeded: iterator.value.bitPattern)
                    decoded &+= 1
                }
            }
        }
    }
    best = max(best, Double(decoded) / (now() - start))
}
print("decode: \(Int(best / 1e6)) M samples/s (checksum \(checksum & 0xff))")

// Append rate into the head, existing series, batches of 1000, WAL off.
let head = Head()
var refs: [SeriesRef] = []
var warm = head.appender()
for index in 0..<seriesCount {
    refs.append(try warm.append(ref: nil, labels: ["__name__": "metric_\(index % 50)", "instance": "host-\(index / 50):9100", "job": "node"], timestamp: 0, value: 0))
}
try warm.commit()
var appender = head.appender()
let rounds = 1500
let start = now()
var appended = 0
for round in 1...rounds {
    let t = Int64(round) * 15_000
    var index = 0
    while index < seriesCount {
        for offset in 0..<1000 {
            _ = try appender.append(ref: refs[index + offset], labels: .empty, timestamp: t, value: Double(round &+ offset))
        }
        try appender.commit()
        index += 1000
        appended += 1000
    }
}
let elapsed = now() - start
print("append: \(Int(Double(appended) / elapsed / 1e3)) k samples/s (\(appended) samples, \(head.stats.chunkCount) chunks)")

// Query decode through the SampleIterator.
let querier = HeadQuerier(head: head)
let qstart = now()
var count = 0
for series in try querier.select([try LabelMatcher(.equal, "job", "node")], mint: .min, maxt: .max) {
    var iterator = series.makeIterator()
    while iterator.next() { count += 1 }
}
print("select+iterate: \(Int(Double(count) / (now() - qstart) / 1e6)) M samples/s (\(count) samples)")
