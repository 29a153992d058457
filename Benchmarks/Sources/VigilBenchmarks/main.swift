// Vigil's benchmarks: a plain executable that prints figures (MB/s, samples/s, allocations per
// sample). Run from Benchmarks/: `swift run -c release VigilBenchmarks [--quick]`.
import MallocCounter
import VigilExposition
import VigilModel
import VigilTestSupport

#if canImport(Glibc)
import Glibc
#endif

let quick = CommandLine.arguments.contains("--quick")

func monotonicSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Measures the scrape hot loop (parse + series-cache lookup) over one payload.
func benchmarkParse(format: ExpositionFormat, series: Int, rounds: Int) {
    let payload = nodeExporterPayload(series: series, format: format)
    var cache = SeriesCache<Int>(minimumCapacity: series)
    let scratch = ExpositionScratch()
    var samples = 0

    func once() -> Int {
        payload.withUnsafeBytes { buffer in
            do {
                switch format {
                case .text:
                    var parser = TextParser(bytes: buffer, scratch: scratch)
                    return try parseAll(&parser, cache: &cache)
                case .openMetrics:
                    var parser = OpenMetricsParser(bytes: buffer, scratch: scratch)
                    return try parseAll(&parser, cache: &cache)
                }
            } catch {
                fatalError("benchmark payload does not parse: \(error)")
            }
        }
    }

    samples = once() // warm: every series enters the cache
    let mallocsBefore = vigil_malloc_count()
    _ = once()
    let mallocsPerScrape = vigil_malloc_count() - mallocsBefore

    var best = Double.infinity
    for _ in 0..<5 {
        let start = monotonicSeconds()
        for _ in 0..<rounds { samples = once() }
        best = min(best, (monotonicSeconds() - start) / Double(rounds))
    }
    let megabytes = Double(payload.count) / 1e6
    let name = format == .text ? "text 0.0.4" : "OpenMetrics"
    print(
        "exposition parse \(name), \(series) series (\(payload.count) bytes): "
            + "\(Int(megabytes / best)) MB/s, \(Int(Double(samples) / best / 1e6 * 10) / 10) M samples/s, "
            + "\(mallocsPerScrape) mallocs per warm scrape = \(Double(mallocsPerScrape) / Double(samples)) per sample"
    )
}

let rounds = quick ? 20 : 200
benchmarkParse(format: .text, series: 10_000, rounds: rounds)
benchmarkParse(format: .openMetrics, series: 10_000, rounds: rounds)
