import Testing
import VigilLogQL
import VigilModel

@Suite struct EncoderTests {
    func text(_ response: LogQLResponse) -> String {
        String(decoding: LokiResponseEncoder.encode(response), as: UTF8.self)
    }

    /// The part of a body before `"stats"`: everything but the timing figures.
    func data(_ response: LogQLResponse) -> String {
        let body = text(response)
        return String(body[..<body.firstRange(of: ",\"stats\":")!.lowerBound])
    }

    @Test func streams() {
        let response = LogQLResponse(
            result: .streams([
                LogStreamResult(
                    labels: ["app": "api", "msg": "say \"hi\""],
                    entries: [
                        LogEntry(timestamp: 1_570_818_238_000_000_001, line: Array("ünïcode \"quoted\"\n".utf8)),
                        LogEntry(timestamp: 1_570_818_238_000_000_000, line: []),
                        LogEntry(timestamp: 5, line: [0x61, 0xFF, 0x62]),
                    ])
            ]), statistics: LogQLStatistics())
        #expect(data(response) == #"{"status":"success","data":{"resultType":"streams","result":[{"stream":{"app":"api","msg":"say \"hi\""},"values":[["1570818238000000001","ünïcode \"quoted\"\n"],["1570818238000000000",""],["5","a�b"]]}]"#)
    }

    @Test func matrixAndVector() {
        let series = MetricSeries(
            labels: ["status": "500"],
            points: [
                MetricPoint(timestamp: 1_570_818_238_000_000_000, value: 1),
                MetricPoint(timestamp: 1_570_818_238_500_000_000, value: 0.1),
                MetricPoint(timestamp: 1_570_818_239_250_000_000, value: 1e21),
                MetricPoint(timestamp: 1_570_818_240_000_000_000, value: 1.5e-7),
                MetricPoint(timestamp: 1_570_818_241_000_000_000, value: .infinity),
            ])
        #expect(data(LogQLResponse(result: .matrix([series]), statistics: LogQLStatistics()))
            == #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"status":"500"},"values":[[1570818238,"1"],[1570818238.5,"0.1"],[1570818239.25,"1000000000000000000000"],[1570818240,"0.00000015"],[1570818241,"+Inf"]]}]"#)
        let vector = MetricSeries(labels: [:], points: [MetricPoint(timestamp: 1_000_000, value: -2.5)])
        #expect(data(LogQLResponse(result: .vector([vector]), statistics: LogQLStatistics()))
            == #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[0.001,"-2.5"]}]"#)
        #expect(data(LogQLResponse(result: .vector([]), statistics: LogQLStatistics()))
            == #"{"status":"success","data":{"resultType":"vector","result":[]"#)
        #expect(data(LogQLResponse(result: .scalar(MetricPoint(timestamp: 2_000_000_000, value: 42)), statistics: LogQLStatistics()))
            == #"{"status":"success","data":{"resultType":"scalar","result":[2,"42"]"#)
    }

    @Test func statisticsCarryTheCounters() async throws {
        let data = source([(["app": "x"], 1, "hello"), (["app": "x"], 2, "world")])
        let response = try await LogQLEngine(source: data).rangeQuery(
            #"{app="x"} |= "hello""#, start: 0, end: ns(10), step: ns(1), limit: 10)
        let body = text(response)
        #expect(body.contains(#""totalBytesProcessed":10,"totalLinesProcessed":2,"#))
        #expect(body.contains(#""totalEntriesReturned":1,"#))
        #expect(body.contains(#""totalPostFilterLines":1,"#))
        #expect(body.contains(#""querier":{"store":{"totalChunksRef":0"#))
        #expect(body.hasSuffix("\"pipelineWrapperFilteredLines\":0}}}}}"))
    }

    @Test func tailFrame() {
        let frame = LokiResponseEncoder.encodeTail(
            streams: [LogStreamResult(labels: ["a": "b"], entries: [LogEntry(timestamp: 7, line: Array("x".utf8))])])
        #expect(String(decoding: frame, as: UTF8.self) == #"{"streams":[{"stream":{"a":"b"},"values":[["7","x"]]}],"dropped_entries":null}"#)
        let dropped = LokiResponseEncoder.encodeTail(streams: [], dropped: [(labels: ["a": "b"], timestamp: 9)])
        #expect(String(decoding: dropped, as: UTF8.self) == #"{"streams":[],"dropped_entries":[{"labels":{"a":"b"},"timestamp":"9"}]}"#)
    }
}
