import Testing
#if canImport(Glibc)
import Glibc
#endif
import VigilModel
import VigilPromQL
import VigilTSDB

/// Measures `sum by (job) (rate(m[5m]))` over 10,000 series × 6h at a 60s step. Runs only when
/// `VIGIL_ENGINE_BENCH=1` is set (build in release for meaningful figures); asserts nothing.
@Suite struct EngineBenchmarkTests {
    @Test(.enabled(if: benchEnabled)) func sumRate() throws {
        let head = Head(options: HeadOptions())
        let seriesCount = 10_000
        let scrape: Int64 = 15_000
        let span: Int64 = 6 * 3_600_000
        var appender = head.appender()
        var refs: [SeriesRef?] = Array(repeating: nil, count: seriesCount)
        let labels = (0..<seriesCount).map { i in
            ["__name__": "m", "job": "job\(i % 10)", "instance": "i\(i)"] as Labels
        }
        var t: Int64 = 0
        var pending = 0
        while t <= span {
            for i in 0..<seriesCount {
                refs[i] = try appender.append(ref: refs[i], labels: labels[i], timestamp: t, value: Double(t / 1000 + Int64(i)))
                pending += 1
            }
            if pending >= 200_000 {
                try appender.commit()
                appender = head.appender()
                pending = 0
            }
            t += scrape
        }
        try appender.commit()
        let engine = Engine(options: EngineOptions())
        let clock = ContinuousClock()
        var result: QueryResult?
        let elapsed = try clock.measure {
            result = try engine.rangeQuery("sum by (job) (rate(m[5m]))", start: 0, end: span, step: 60_000, querier: HeadQuerier(head: head))
        }
        if case .matrix(let series)? = result?.value {
            print("BENCH sum by (job) (rate(m[5m])): \(elapsed), \(series.count) series × \(series.first?.points.count ?? 0) points")
        }
    }
}

let benchEnabled: Bool = {
    guard let value = getenv("VIGIL_ENGINE_BENCH") else { return false }
    return String(cString: value) == "1"
}()
