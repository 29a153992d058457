import Testing
import VigilTestSupport
import VigilModel
@testable import VigilRemote

@Suite struct RemoteWriteDecoderTests {
    func body(_ series: [[Label]]) -> [UInt8] {
        WriteRequest(timeseries: series.map {
            TimeSeries(labels: $0, samples: [TimeSeries.Sample(value: 1, timestamp: 5)])
        }).serializedBytes()
    }

    func labels(_ pairs: KeyValuePairs<String, String>) -> [Label] {
        pairs.map { Label(name: $0.key, value: $0.value) }
    }

    let good = [Label(name: "__name__", value: "up"), Label(name: "job", value: "x")]

    /// Puts `bad` at series index 2 and checks the error names the index, the label and the reason.
    func expectRejected(
        _ bad: [Label], options: RemoteWriteDecoder.Options = .init(), label: String?, containing message: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var batch = RemoteWriteBatch()
        do throws(RemoteWriteError) {
            try decode(body([good, good, bad, good]), with: RemoteWriteDecoder(options: options), into: &batch)
            Issue.record("accepted \(bad)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.seriesIndex == 2, sourceLocation: sourceLocation)
            #expect(error.labelName == label, sourceLocation: sourceLocation)
            #expect(error.isInvalidLabels, sourceLocation: sourceLocation)
            #expect(error.description.hasPrefix("timeseries[2]: "), "\(error)", sourceLocation: sourceLocation)
            #expect(error.description.contains(message), "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func missingMetricName() {
        expectRejected(labels(["job": "x"]), label: nil,
                       containing: #"invalid metric name or labels, got {job="x"}: no __name__ label"#)
    }

    @Test func missingMetricNameAllowedWhenConfigured() throws {
        var batch = RemoteWriteBatch()
        try decode(body([labels(["job": "x"])]), with: RemoteWriteDecoder(options: .init(requireMetricName: false)), into: &batch)
        #expect(batch.series == [["job": "x"]])
    }

    @Test func invalidMetricName() {
        expectRejected(labels(["__name__": "1up", "job": "x"]), label: "__name__",
                       containing: #"metric name "1up" is not valid"#)
        expectRejected(labels(["__name__": "", "job": "x"]), label: "__name__", containing: #"metric name "" is not valid"#)
        expectRejected(labels(["__name__": "a-b"]), label: "__name__", containing: #"metric name "a-b" is not valid"#)
    }

    @Test func colonsAreValidInMetricNamesOnly() throws {
        var batch = RemoteWriteBatch()
        try decode(body([labels(["__name__": "job:rate5m", "_a1": "v"])]), into: &batch)
        #expect(batch.series.count == 1)
        expectRejected(labels(["__name__": "up", "a:b": "v"]), label: "a:b", containing: #"label name "a:b" is not valid"#)
    }

    @Test func invalidLabelNames() {
        expectRejected(labels(["__name__": "up", "bad-name": "v"]), label: "bad-name",
                       containing: #"got {__name__="up", bad-name="v"}: label name "bad-name" is not valid"#)
        expectRejected(labels(["": "v", "__name__": "up"]), label: "", containing: #"label name "" is not valid"#)
        expectRejected(labels(["__name__": "up", "0abc": "v"]), label: "0abc", containing: #"label name "0abc" is not valid"#)
        expectRejected(labels(["__name__": "up", "ünï": "v"]), label: "ünï", containing: #"label name "ünï" is not valid"#)
    }

    @Test func utf8NamesWhenConfigured() throws {
        var batch = RemoteWriteBatch()
        let options = RemoteWriteDecoder.Options(nameValidation: .utf8)
        try decode(body([labels(["__name__": "http.requests", "ünï-code": "v"])]), with: RemoteWriteDecoder(options: options), into: &batch)
        #expect(batch.series == [["__name__": "http.requests", "ünï-code": "v"]])
        expectRejected(labels(["__name__": "up", "": "v"]), options: options, label: "", containing: "label name \"\" is not valid")
    }

    @Test func invalidUTF8Value() {
        // Label values can only carry invalid UTF-8 through raw bytes: build the series by hand.
        let name = Array("__name__".utf8), up = Array("up".utf8), job = Array("job".utf8)
        let badLabel = field(0x0A, field(0x0A, job) + field(0x12, [0x61, 0xFF, 0x62]))
        let bad = field(0x0A, field(0x0A, name) + field(0x12, up)) + badLabel
        let goodSeries = field(0x0A, body([good]).dropFirst(2).map { $0 })
        let request = goodSeries + goodSeries + field(0x0A, bad)
        var batch = RemoteWriteBatch()
        do throws(RemoteWriteError) {
            try decode(request, into: &batch)
            Issue.record("accepted invalid UTF-8")
        } catch {
            #expect(error.seriesIndex == 2)
            #expect(error.labelName == "job")
            #expect(error.description.contains(#"value of label "job" is not valid UTF-8"#), "\(error)")
        }
    }

    @Test func duplicateLabelNames() {
        expectRejected(labels(["__name__": "up", "job": "a", "job": "b"]), label: "job",
                       containing: #"invalid labels for series, labels {__name__="up", job="a", job="b"}, duplicated label job"#)
        // Prometheus sorts first, so duplicates that are not adjacent are found too.
        expectRejected(labels(["job": "a", "__name__": "up", "job": "b"]), label: "job", containing: "duplicated label job")
    }

    @Test func unsortedLabelsAreSortedLikePrometheus() throws {
        var batch = RemoteWriteBatch()
        try decode(body([labels(["zone": "z", "job": "x", "__name__": "up"])]), into: &batch)
        #expect(batch.series == [["__name__": "up", "job": "x", "zone": "z"]])
        expectRejected(labels(["__name__": "up", "zone": "z", "job": "x"]), options: .init(requireSortedLabels: true),
                       label: "job", containing: #"labels are not sorted by name, got {__name__="up", zone="z", job="x"}: label "job" is out of order"#)
    }

    @Test func emptyValuesAreDroppedNotRejected() throws {
        var batch = RemoteWriteBatch()
        try decode(body([labels(["__name__": "up", "empty": "", "job": "x"])]), into: &batch)
        #expect(batch.series == [["__name__": "up", "job": "x"]])
    }

    @Test func skipPolicyDropsOnlyTheInvalidSeries() throws {
        var batch = RemoteWriteBatch()
        let request = WriteRequest(timeseries: [
            TimeSeries(labels: good, samples: [.init(value: 1, timestamp: 1)]),
            TimeSeries(labels: labels(["__name__": "up", "bad-name": "v"]),
                       samples: [.init(value: 2, timestamp: 2), .init(value: 3, timestamp: 3)], encodedHistograms: [[]]),
            TimeSeries(labels: labels(["__name__": "down"]), samples: [.init(value: 4, timestamp: 4)],
                       exemplars: [.init(labels: [Label(name: "trace_id", value: "t")], value: 9, timestamp: 4)]),
        ])
        try decode(request.serializedBytes(), with: RemoteWriteDecoder(options: .init(invalidSeries: .skip)), into: &batch)
        #expect(batch.series == [["__name__": "up", "job": "x"], ["__name__": "down"]])
        #expect(batch.timestamps == [1, 4])
        #expect(batch.values == [1, 4])
        #expect(batch.sampleRange(1) == 1..<2)
        #expect(batch.invalidSeriesCount == 1)
        #expect(batch.invalidSampleCount == 3)
        #expect(batch.firstInvalidSeriesError?.seriesIndex == 1)
        #expect(batch.exemplars == [.init(seriesIndex: 1, labels: ["trace_id": "t"], value: 9, timestamp: 4)])
    }

    @Test func batchIsReusable() throws {
        var batch = RemoteWriteBatch()
        try decode(body([good, good]), into: &batch)
        #expect(batch.series.count == 2)
        try decode(body([labels(["__name__": "other"])]), into: &batch)
        #expect(batch.series == [["__name__": "other"]])
        #expect(batch.sampleCount == 1)
    }

    @Test func compressedBodyOverTheLimit() {
        let compressed = Snappy.compress(body([good]))
        var batch = RemoteWriteBatch()
        let decoder = RemoteWriteDecoder(options: .init(maxDecodedLength: 10))
        var caught: RemoteWriteError?
        compressed.withUnsafeBytes { bytes in
            do throws(RemoteWriteError) { try decoder.decode(compressedBody: bytes, into: &batch) } catch { caught = error }
        }
        #expect(caught?.isDecodedLengthOverLimit == true)
        #expect(caught?.description.contains("exceeds the limit of 10 bytes") == true)
    }
}

@Suite struct SeriesCacheTests {
    @Test func cachedAndUncachedDecodingAgree() throws {
        var random = SeededRandom(seed: 6)
        var cached = RemoteWriteBatch()
        var uncached = RemoteWriteBatch(seriesCacheCapacity: 0)
        var small = RemoteWriteBatch(seriesCacheCapacity: 4)
        let bodies = (0..<30).map { _ in randomRequest(&random).serializedBytes() }
        for body in bodies + bodies.reversed() {
            try decode(body, into: &cached)
            try decode(body, into: &uncached)
            try decode(body, into: &small)
            #expect(cached.series == uncached.series)
            #expect(small.series == uncached.series)
            #expect(cached.timestamps == uncached.timestamps)
        }
    }

    @Test func invalidSeriesAreNeverCached() throws {
        let bad = WriteRequest(timeseries: [TimeSeries(labels: [Label(name: "bad-name", value: "v")])]).serializedBytes()
        var batch = RemoteWriteBatch()
        for _ in 0..<2 {
            #expect(throws: RemoteWriteError.self) { try decode(bad, into: &batch) }
        }
    }
}
