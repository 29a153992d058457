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


// node_exporter-like series, 2h at 15 s: constants, counters, gauges; with `jitter`, ±2 ms on a
// quarter of the scrapes.
let seriesCount = 2000
let samplesPerSeries = 480
func nodeLikeChunks(seed: UInt64, jitter: Bool) -> [[XORChunk]] {
    var rng = SplitMix64(seed: seed)
    var chunksBySeries: [[XORChunk]] = []
    for index in 0..<seriesCount {
        var chunks: [XORChunk] = []
        var appender = XORAppender()
        var value: Double
        // Two-decimal counters hold what a scrape parses from text such as "1234.56": the double
        // nearest to a whole number of hundredths, never an accumulated float sum.
        var hundredths: Int64 = 0
        let kind = index % 10
        // 40% constant (up, info, limits), 30% integer counters (bytes, packets), 20% float
        // counters (cpu seconds), 10% gauges (memory bytes).
        switch kind {
        case 0...3: value = 1
        case 4...6: value = Double(rng.next() % 1_000_000_000)
        case 7...8:
            hundredths = Int64(rng.next() % 100_000)
            value = Double(hundredths) / 100
        default: value = Double(rng.next() % 8_000_000_000)
        }
        var t: Int64 = 1_700_000_000_000
        for sample in 0..<samplesPerSeries {
            if sample % 120 == 0 && sample > 0 {
                chunks.append(appender.chunk)
                appender = XORAppender()
            }
            appender.append(t, value)
            t += 15_000 + (jitter && rng.next() % 4 == 0 ? Int64(rng.next() % 5) - 2 : 0)
            switch kind {
            case 0...3: break
            case 4...6: if rng.next() % 2 == 0 { value += Double(rng.next() % 20_000) }
            case 7...8:
                hundredths += Int64(rng.next() % 1500)
                value = Double(hundredths) / 100
            default: if rng.next() % 3 == 0 { value = max(0, value + Double(Int64(rng.next() % 2_000) - 1_000) * 4096) }
            }
        }
        chunks.append(appender.chunk)
        chunksBySeries.append(chunks)
    }
    return chunksBySeries
}
let chunksBySeries = nodeLikeChunks(seed: 7, jitter: true)
let totalBytes = chunksBySeries.joined().reduce(0) { $0 + $1.bytes.count }
let totalSamples = seriesCount * samplesPerSeries
print("bytes/sample (node_exporter-like, 2h @15s, \(seriesCount) series): \(Double(totalBytes) / Double(totalSamples))")

/// The best rate of `passes` passes, each running `pass` (which returns how many items it handled).
func bestRate(passes: Int = 5, _ pass: () -> Int) -> Double {
    var best = 0.0
    for _ in 0..<passes {
        let start = now()
        let handled = pass()
        best = max(best, Double(handled) / (now() - start))
    }
    return best
}

// Decode rate.
var checksum: Int64 = 0
let sampleBySampleRate = bestRate {
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
    return decoded
}
print("decode, sample by sample (next()), ±2ms jitter: \(Int(sampleBySampleRate / 1e6)) M samples/s (checksum \(checksum & 0xff))")

// Batch decodes, as range queries run them (`StoredSeries.decode(into:)`), on the same kinds of
// series with exact 15 s timestamps and with ±2 ms jitter on a quarter of the scrapes: the whole
// mix, then each kind alone (a kind is `index % 10` in `nodeLikeChunks`).
// `DECODE_CASE=gauges` (say) runs only the cases of that name, for profiling.
let decodeCases: [(jitter: Bool, kinds: ClosedRange<Int>, name: String)] = [
    (false, 0...9, "all"), (true, 0...9, "all"), (false, 0...3, "constants"), (false, 4...6, "integer counters"),
    (false, 7...8, "two-decimal counters"), (false, 9...9, "gauges"),
].filter { decodeCase in getenv("DECODE_CASE").map { String(cString: $0) == decodeCase.name } ?? true }
func decodeLabel(_ decodeCase: (jitter: Bool, kinds: ClosedRange<Int>, name: String)) -> String {
    "\(decodeCase.name), \(decodeCase.jitter ? "±2ms jitter" : "exact 15s")"
}
func nodeLikeSeries(jitter: Bool, kinds: ClosedRange<Int>) -> [[XORChunk]] {
    nodeLikeChunks(seed: 11, jitter: jitter).enumerated().filter { kinds.contains($0.offset % 10) }.map(\.element)
}

// XOR chunks (the head, and blocks cut from it): `XORIterator.decode(into:)`, 120-sample chunks.
for decodeCase in decodeCases {
    let chunks = Array(nodeLikeSeries(jitter: decodeCase.jitter, kinds: decodeCase.kinds).joined())
    var timestamps = [Int64](repeating: 0, count: 120)
    var values = [Double](repeating: 0, count: 120)
    var sum: Int64 = 0
    let fastest = bestRate(passes: 20) {
        var decoded = 0
        for _ in 0..<10 {
            for chunk in chunks {
                var iterator = chunk.makeIterator()
                let count = iterator.decode(into: &timestamps, &values, capacity: 120)
                sum &+= timestamps[count - 1] &+ Int64(truncatingIfNeeded: values[count - 1].bitPattern)
                decoded &+= count
            }
        }
        return decoded
    }
    print("decode, XOR chunks (decode(into:)), \(decodeLabel(decodeCase)): \(Int(fastest / 1e6)) M samples/s (checksum \(sum & 0xff))")
}

/// Prints the best rate of 20 passes, each appending every item's samples 10 times to reused
/// arrays (cleared per item) as `decode` does.
func reportAppendingDecode<Item>(_ label: String, _ items: [Item], _ decode: (Item, inout [Int64], inout [Double]) -> Void) {
    var timestamps: [Int64] = []
    var values: [Double] = []
    var sum: Int64 = 0
    let fastest = bestRate(passes: 20) {
        var decoded = 0
        for _ in 0..<10 {
            for item in items {
                timestamps.removeAll(keepingCapacity: true)
                values.removeAll(keepingCapacity: true)
                decode(item, &timestamps, &values)
                sum &+= timestamps[timestamps.count - 1] &+ Int64(truncatingIfNeeded: values[values.count - 1].bitPattern)
                decoded &+= timestamps.count
            }
        }
        return decoded
    }
    print("decode, \(label): \(Int(fastest / 1e6)) M samples/s (checksum \(sum & 0xff))")
}

// Whole series as range queries scan them: `StoredSeries.decode(into:)` over each series' four
// 120-sample XOR chunks (it decodes two chunks at a time in one loop).
for decodeCase in decodeCases {
    let series = nodeLikeSeries(jitter: decodeCase.jitter, kinds: decodeCase.kinds).map { chunks in
        StoredSeries(labels: ["__name__": "m"], chunks: chunks, mint: .min, maxt: .max)
    }
    reportAppendingDecode("XOR series (StoredSeries.decode(into:)), \(decodeLabel(decodeCase))", series) {
        $0.decode(into: &$1, &$2)
    }
}

// Compact chunks (what compaction writes into blocks of 6h and more): each series' 480 samples
// in one chunk, appended to reused arrays as `StoredSeries.decode(into:)` does.
for decodeCase in decodeCases {
    let compact = nodeLikeSeries(jitter: decodeCase.jitter, kinds: decodeCase.kinds).map { series -> StoredChunk in
        var times: [Int64] = []
        var values: [Double] = []
        for chunk in series { _ = chunk.decodeAll(into: &times, &values) }
        return .compact(CompactChunk(samples: zip(times, values).map { (timestamp: $0, value: $1) }))
    }
    reportAppendingDecode("compact chunks (decodeAll), \(decodeLabel(decodeCase))", compact) {
        $0.decodeAll(into: &$1, &$2)
    }
}

// `DECODE_ONLY=1` stops here (for profiling the decoders).
if getenv("DECODE_ONLY") != nil { exit(0) }

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

// MARK: Blocks on disk: head-cut 2h blocks, a compacted 2h block and a 6h compaction of three 2h
// blocks, XOR (encoding 1) against compact chunks (encoding 2). 10k node_exporter-like series at
// 15 s, exact timestamps and ±2 ms jitter on a quarter of the scrapes.

func fileSize(_ path: String) -> Int64 {
    var info = stat()
    return stat(path, &info) == 0 ? Int64(info.st_size) : 0
}

func directorySize(_ path: String) -> Int64 {
    guard let dir = opendir(path) else { return fileSize(path) }
    defer { closedir(dir) }
    var total: Int64 = 0
    while let entry = readdir(dir) {
        let name = withUnsafePointer(to: entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        if name == "." || name == ".." { continue }
        total += directorySize(path + "/" + name)
    }
    return total
}

func removeTree(_ path: String) {
    if let dir = opendir(path) {
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            if name == "." || name == ".." { continue }
            removeTree(path + "/" + name)
        }
        closedir(dir)
        rmdir(path)
    } else {
        unlink(path)
    }
}

/// `(chunks, index, total)` bytes of a block, and its sample count.
func blockFigures(_ block: Block) -> (chunks: Int64, index: Int64, total: Int64, samples: Int) {
    (directorySize(block.path + "/chunks"), fileSize(block.path + "/index"), directorySize(block.path), block.meta.stats.numSamples)
}

func perSample(_ bytes: Int64, _ samples: Int) -> String {
    let hundredths = Int((Double(bytes) / Double(max(samples, 1)) * 100).rounded())
    return "\(hundredths / 100)." + (hundredths % 100 < 10 ? "0" : "") + "\(hundredths % 100)"
}

/// Every sample of every series in `block`, iterated through a querier; returns (samples, seconds).
func scan(_ block: Block, mint: Int64 = .min, maxt: Int64 = .max) throws -> (Int, Double) {
    let start = now()
    var count = 0
    for series in try block.querier().select([try LabelMatcher(.equal, "job", "node")], mint: mint, maxt: maxt) {
        var iterator = series.makeIterator()
        while iterator.next() { count += 1 }
    }
    return (count, now() - start)
}

let blockSeriesCount = 10_000
let blockRange: Int64 = 7_200_000
let blockBase: Int64 = blockRange * 236_000
let scratch = "/tmp/vigil-tsdb-bench-\(getpid())"
mkdir(scratch, 0o755)
print("\nblocks: \(blockSeriesCount) node_exporter-like series @15s (B/sample: chunks / block total incl. index)")
for jitter in [false, true] {
    var random = SplitMix64(seed: 11)
    // Three 2h blocks' worth of series, labels sorted, chunks of 120 cut at block boundaries.
    var labelled: [(labels: Labels, samples: [(timestamp: Int64, value: Double)])] = []
    for index in 0..<blockSeriesCount {
        let labels: Labels = ["__name__": "node_metric_\(index % 250)", "instance": "host-\(index / 250):9100", "job": "node"]
        var value: Double
        // Two-decimal counters hold what a scrape parses from text such as "1234.56": the double
        // nearest to a whole number of hundredths, never an accumulated float sum.
        var hundredths: Int64 = 0
        let kind = index % 10
        switch kind {
        case 0...3: value = 1
        case 4...6: value = Double(random.next() % 1_000_000_000)
        case 7...8: value = Double(random.next() % 100_000) / 100
        default: value = Double(random.next() % 8_000_000_000)
        }
        var samples: [(timestamp: Int64, value: Double)] = []
        samples.reserveCapacity(1440)
        // Targets are scraped at a per-target offset inside the interval.
        var t = blockBase + Int64((index / 250) * 373 % 15_000)
        while t < blockBase + 3 * blockRange {
            samples.append((t, value))
            t += 15_000 + (jitter && random.next() % 4 == 0 ? Int64(random.next() % 5) - 2 : 0)
            switch kind {
            case 0...3: break
            case 4...6: if random.next() % 2 == 0 { value += Double(random.next() % 20_000) }
            // Exposed with 2 decimals and parsed from text, so every value is cents / 100.
            case 7...8: value = (value * 100 + Double(random.next() % 1500)).rounded() / 100
            default: if random.next() % 3 == 0 { value = max(0, value + Double(Int64(random.next() % 2_000) - 1_000) * 4096) }
            }
        }
        labelled.append((labels, samples))
    }
    labelled.sort { $0.labels < $1.labels }
    func headSeries(_ step: Int) -> [(labels: Labels, chunks: [XORChunk])] {
        let mint = blockBase + Int64(step) * blockRange
        return labelled.map { entry in
            let inRange = entry.samples.filter { $0.timestamp >= mint && $0.timestamp < mint + blockRange }
            var chunks: [XORChunk] = []
            var start = 0
            while start < inRange.count {
                chunks.append(XORChunk(samples: inRange[start..<min(start + 120, inRange.count)]))
                start += 120
            }
            return (entry.labels, chunks)
        }
    }
    let name = jitter ? "±2ms jitter" : "exact 15s"
    for compactHead in [false, true] {
        let directory = scratch + "/\(jitter)-\(compactHead)"
        mkdir(directory, 0o755)
        var heads: [Block] = []
        var writeSeconds = 0.0
        for step in 0..<3 {
            let series = headSeries(step)
            let start = now()
            let meta = try BlockWriter.write(directory: directory, mint: blockBase + Int64(step) * blockRange,
                                             maxt: blockBase + Int64(step + 1) * blockRange, series: series, compactChunks: compactHead)
            writeSeconds += now() - start
            heads.append(try Block.open(path: directory + "/\(meta.ulid)"))
        }
        let head = blockFigures(heads[0])
        let (headScanned, headScan) = try scan(heads[0])
        print("  \(name), head cut \(compactHead ? "compact" : "XOR    "): \(perSample(head.chunks, head.samples)) / \(perSample(head.total, head.samples)) B/sample, write \(Int(writeSeconds / 3 * 1000)) ms/block, scan \(Int(Double(headScanned) / headScan / 1e6)) M samples/s")
        guard !compactHead else { continue }
        for perChunk in [120, 480] {
            var compactor = Compactor()
            compactor.samplesPerChunk = perChunk
            var start = now()
            let twoHourMeta = try compactor.compact([heads[0]], into: directory)!
            let twoHourSeconds = now() - start
            let twoHour = try Block.open(path: directory + "/\(twoHourMeta.ulid)")
            start = now()
            let sixHourMeta = try compactor.compact(heads, into: directory)!
            let sixHourSeconds = now() - start
            let sixHour = try Block.open(path: directory + "/\(sixHourMeta.ulid)")
            let two = blockFigures(twoHour)
            let six = blockFigures(sixHour)
            let (scanned, scanSeconds) = try scan(sixHour)
            // An instant query's 5 m lookback in the middle of the 6h block.
            let middle = blockBase + 3 * blockRange / 2
            var best = Double.infinity
            for _ in 0..<5 { best = min(best, try scan(sixHour, mint: middle - 300_000, maxt: middle).1) }
            print("  \(name), compacted, \(perChunk)/chunk: 2h \(perSample(two.chunks, two.samples)) / \(perSample(two.total, two.samples)) B/sample (\(Int(twoHourSeconds * 1000)) ms); 6h \(perSample(six.chunks, six.samples)) / \(perSample(six.total, six.samples)) B/sample (\(Int(sixHourSeconds * 1000)) ms, \(six.samples) samples, \(sixHour.meta.stats.numChunks) chunks); scan \(Int(Double(scanned) / scanSeconds / 1e6)) M samples/s; 5m select \(Int(best * 1000)) ms")
            removeTree(twoHour.path)
            removeTree(sixHour.path)
        }
    }
}
removeTree(scratch)
