import Testing
import VigilModel
import VigilTSDB

@Suite struct TSDBAnalysisTests {
    @Test func countsCardinalityAndChurn() throws {
        let head = Head()
        var appender = head.appender()
        let hour: Int64 = 3_600_000
        // Two steady series over the whole hour, one that appears half way (churn).
        for minute in stride(from: Int64(0), through: 60, by: 1) {
            let t = minute * 60_000
            _ = try appender.append(ref: nil, labels: ["__name__": "up", "job": "node", "instance": "a"], timestamp: t, value: 1)
            _ = try appender.append(ref: nil, labels: ["__name__": "up", "job": "node", "instance": "b"], timestamp: t, value: 1)
            if t >= hour / 2 {
                _ = try appender.append(ref: nil, labels: ["__name__": "up", "job": "node", "instance": "pod-7f9c"], timestamp: t, value: 1)
            }
        }
        try appender.commit()

        let analysis = try TSDBAnalysis(querier: HeadQuerier(head: head), limit: 3)
        #expect(analysis.seriesCount == 3)
        #expect(analysis.sampleCount == 61 * 2 + 31)
        #expect(analysis.timeRange == 0...hour)
        #expect(analysis.churnedSeriesCount == 1)
        #expect(analysis.churnByLabelPair.first == .init(name: "__name__=up", value: 1))
        #expect(analysis.churnByLabelPair.contains(.init(name: "instance=pod-7f9c", value: 1)))
        #expect(analysis.cardinality.seriesCountByMetricName == [.init(name: "up", value: 3)])
        #expect(analysis.cardinality.labelValueCountByLabelName.first == .init(name: "instance", value: 3))
    }

    @Test func emptyStoreHasNoRange() throws {
        let analysis = try TSDBAnalysis(querier: HeadQuerier(head: Head()))
        #expect(analysis.seriesCount == 0 && analysis.timeRange == nil)
    }
}
