import Testing
import VigilLogQL
import VigilModel

/// Every step of a range query whose window holds the lines gets a point, not only the last.
@Suite struct RangeStepTests {
    @Test func everyStepInsideTheWindowHasAPoint() async throws {
        let source = InMemoryLogSource()
        let pushed: Int64 = 1_795_800_000_000_000_000
        source.append(["app": "api"], timestamp: pushed, line: "GET / 200")
        source.append(["app": "api"], timestamp: pushed + 1, line: "POST /x 500")
        let engine = LogQLEngine(source: source)
        let start = pushed + 10_000_000_000
        let response = try await engine.rangeQuery(
            #"count_over_time({app="api"}[5m])"#, start: start, end: start + 120_000_000_000, step: 30_000_000_000)
        guard case .matrix(let series) = response.result else {
            Issue.record("not a matrix: \(response.result)")
            return
        }
        let values = series.first?.points.map(\.value)
        #expect(values == [2, 2, 2, 2, 2])
    }
}
