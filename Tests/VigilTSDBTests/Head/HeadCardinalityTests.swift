import Testing
import VigilModel
import VigilTSDB

@Suite struct HeadCardinalityTests {
    @Test func topListsCountLikePrometheus() throws {
        let head = Head()
        var appender = head.appender()
        for instance in 0..<3 {
            _ = try appender.append(ref: nil, labels: ["__name__": "up", "job": "node", "instance": "host\(instance)"], timestamp: 1, value: 1)
        }
        _ = try appender.append(ref: nil, labels: ["__name__": "http_requests_total", "job": "api", "code": "200"], timestamp: 1, value: 1)
        try appender.commit()

        let stats = head.cardinality(limit: 2)
        #expect(stats.seriesCountByMetricName == [.init(name: "up", value: 3), .init(name: "http_requests_total", value: 1)])
        // __name__ has 2 values, instance 3, job 2, code 1: top two by count, ties by name.
        #expect(stats.labelValueCountByLabelName == [.init(name: "instance", value: 3), .init(name: "__name__", value: 2)])
        // __name__: "up" (2 bytes) × 3 + "http_requests_total" (19 bytes) × 1 = 25; instance: 5 bytes × 3 = 15.
        #expect(stats.memoryInBytesByLabelName == [.init(name: "__name__", value: 25), .init(name: "instance", value: 15)])
        #expect(stats.seriesCountByLabelValuePair == [.init(name: "__name__=up", value: 3), .init(name: "job=node", value: 3)])
    }

    @Test func emptyHeadHasEmptyLists() {
        let stats = Head().cardinality()
        #expect(stats.seriesCountByMetricName.isEmpty && stats.seriesCountByLabelValuePair.isEmpty)
    }
}

@Suite struct HeadLimitTests {
    @Test func batchLimitRejectsTheSampleBeyondItAndKeepsTheRest() throws {
        var options = HeadOptions()
        options.maxSamplesPerCommit = 3
        let head = Head(options: options)
        var appender = head.appender()
        for t in 0..<3 {
            _ = try appender.append(ref: nil, labels: ["__name__": "m"], timestamp: Int64(t), value: 1)
        }
        let error = #expect(throws: TSDBError.self) {
            try appender.append(ref: nil, labels: ["__name__": "m"], timestamp: 3, value: 1)
        }
        #expect(error?.kind == .limitExceeded)
        #expect(error?.message.contains("3 samples per commit") == true)
        try appender.commit()
        #expect(head.stats.samplesAppended == 3)
        // A new appender starts a new batch.
        var next = head.appender()
        _ = try next.append(ref: nil, labels: ["__name__": "m"], timestamp: 3, value: 1)
        try next.commit()
        #expect(head.stats.samplesAppended == 4)
    }

    @Test func seriesLimitRejectsNewSeriesOnly() throws {
        var options = HeadOptions()
        options.maxSeries = 2
        let head = Head(options: options)
        var appender = head.appender()
        _ = try appender.append(ref: nil, labels: ["__name__": "a"], timestamp: 1, value: 1)
        _ = try appender.append(ref: nil, labels: ["__name__": "b"], timestamp: 1, value: 1)
        #expect(throws: TSDBError.self) { try appender.append(ref: nil, labels: ["__name__": "c"], timestamp: 1, value: 1) }
        _ = try appender.append(ref: nil, labels: ["__name__": "a"], timestamp: 2, value: 1)
        try appender.commit()
        #expect(head.stats.numSeries == 2)
    }
}
