import Testing
import VigilModel
@testable import VigilTSDB

@Suite("Head concurrency")
struct HeadConcurrencyTests {
    @Test func concurrentAppendersAndQueriers() async throws {
        let head = Head()
        let writers = 6
        let perWriter = 2_000
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    var appender = head.appender()
                    let own: Labels = ["__name__": "own", "writer": String(writer)]
                    var ownRef: SeriesRef?
                    for index in 0..<perWriter {
                        ownRef = try appender.append(ref: ownRef, labels: own, timestamp: Int64(index), value: Double(index))
                        // Shared series: each writer owns distinct timestamps.
                        let shared: Labels = ["__name__": "shared", "slot": String(index % 10)]
                        _ = try appender.append(ref: nil, labels: shared, timestamp: Int64(index * writers + writer) * 1000 / 1000 + 10_000_000, value: 1)
                        if index % 100 == 99 { try appender.commit() }
                    }
                    try appender.commit()
                }
            }
            for _ in 0..<3 {
                group.addTask {
                    let querier = HeadQuerier(head: head)
                    for _ in 0..<50 {
                        let result = try querier.select([LabelMatcher(.regexMatch, "__name__", "own|shared")], mint: .min, maxt: .max)
                        for series in result {
                            let timestamps = series.samples().map(\.timestamp)
                            #expect(timestamps == timestamps.sorted())
                        }
                        _ = try querier.labelValues("writer", matchers: [], mint: .min, maxt: .max)
                    }
                }
            }
            try await group.waitForAll()
        }
        let stats = head.stats
        #expect(stats.numSeries == writers + 10)
        let querier = HeadQuerier(head: head)
        let own = try querier.select([LabelMatcher(.equal, "__name__", "own")], mint: .min, maxt: .max)
        #expect(own.count == writers)
        #expect(own.allSatisfy { $0.samples().count == perWriter })
        let shared = try querier.select([LabelMatcher(.equal, "__name__", "shared")], mint: .min, maxt: .max)
        // Shared samples may arrive out of order across writers; some land outside the window? No:
        // the window (10 min) exceeds the whole spread, so every sample is stored.
        #expect(shared.reduce(0) { $0 + $1.samples().count } == writers * perWriter)
        #expect(stats.samplesAppended == 2 * writers * perWriter)
    }
}
