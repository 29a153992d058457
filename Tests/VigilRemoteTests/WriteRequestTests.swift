import Testing
import VigilTestSupport
import VigilModel
@testable import VigilRemote

@Suite struct WriteRequestTests {
    /// `WriteRequest{timeseries: [{labels: [__name__="up", job="x"], samples: [{1.0, 1000}]}]}`, by hand:
    /// Label: name is field 1 wire type 2 (0x0A), value field 2 wire type 2 (0x12).
    /// Sample: value field 1 wire type 1 (0x09) + 8 little-endian bytes, timestamp field 2 varint (0x10).
    /// TimeSeries: labels field 1 (0x0A), samples field 2 (0x12). WriteRequest: timeseries field 1 (0x0A).
    static let upLabel: [UInt8] = [0x0A, 0x08] + Array("__name__".utf8) + [0x12, 0x02] + Array("up".utf8)
    static let jobLabel: [UInt8] = [0x0A, 0x03] + Array("job".utf8) + [0x12, 0x01] + Array("x".utf8)
    static let sample: [UInt8] = [0x09, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x10, 0xE8, 0x07]
    static let series: [UInt8] = [0x0A, 14] + upLabel + [0x0A, 8] + jobLabel + [0x12, 12] + sample
    static let handBuilt: [UInt8] = [0x0A, 40] + series

    static let request = WriteRequest(timeseries: [
        TimeSeries(labels: [Label(name: "__name__", value: "up"), Label(name: "job", value: "x")],
                   samples: [TimeSeries.Sample(value: 1, timestamp: 1000)]),
    ])

    @Test func encodesTheHandBuiltBytes() {
        #expect(Self.series.count == 40)
        #expect(Self.request.serializedBytes() == Self.handBuilt)
    }

    @Test func decodesTheHandBuiltBytes() throws {
        let decoded = try Self.handBuilt.withUnsafeBytes { try WriteRequest(serializedBytes: $0) }
        #expect(decoded == Self.request)

        var batch = RemoteWriteBatch()
        try Self.handBuilt.withUnsafeBytes { try RemoteWriteDecoder().decode(body: $0, into: &batch) }
        #expect(batch.series == [["__name__": "up", "job": "x"]])
        #expect(batch.sampleRange(0) == 0..<1)
        #expect(batch.timestamps == [1000])
        #expect(batch.values == [1])
    }

    @Test func skipsUnknownFieldsOfEveryWireType() throws {
        let unknown: [UInt8] = [
            0x78, 0x05,  // field 15, varint
            0x4D, 1, 2, 3, 4,  // field 9, fixed32
            0x51, 1, 2, 3, 4, 5, 6, 7, 8,  // field 10, fixed64
            0x5A, 0x02, 0xFF, 0xFE,  // field 11, length-delimited
            0x63, 0x08, 0x01, 0x6B, 0x6C, 0x64,  // field 12, group holding a varint and an empty group 13
            0x80, 0x80, 0x20, 0x01,  // field 65536, varint
        ]
        let label = field(0x0A, Self.upLabel + unknown)
        let sample = field(0x12, Self.sample + unknown)
        let series: [UInt8] = unknown + label + [0x0A, 8] + Self.jobLabel + unknown + sample
        let body: [UInt8] = [0x12, 0x00] + unknown + field(0x0A, series) + unknown
        var batch = RemoteWriteBatch()
        try body.withUnsafeBytes { try RemoteWriteDecoder().decode(body: $0, into: &batch) }
        #expect(batch.series == [["__name__": "up", "job": "x"]])
        #expect(batch.values == [1])
        #expect(batch.timestamps == [1000])
        let request = try body.withUnsafeBytes { try WriteRequest(serializedBytes: $0) }
        #expect(request == Self.request)
    }

    @Test func countsHistogramsWithoutDecodingThem() throws {
        let histogram: [UInt8] = [0x22, 0x03, 0x08, 0x2A, 0x00]  // field 4 holding anything
        let series: [UInt8] = [0x0A, 14] + Self.upLabel + [0x0A, 8] + Self.jobLabel + histogram + histogram
        let body: [UInt8] = [0x0A, UInt8(series.count)] + series
        var batch = RemoteWriteBatch()
        try body.withUnsafeBytes { try RemoteWriteDecoder().decode(body: $0, into: &batch) }
        #expect(batch.histogramCounts == [2])
        #expect(batch.sampleCount == 0)
        let request = try body.withUnsafeBytes { try WriteRequest(serializedBytes: $0) }
        #expect(request.timeseries[0].encodedHistograms == [[0x08, 0x2A, 0x00], [0x08, 0x2A, 0x00]])
        #expect(request.serializedBytes() == body)
    }

    @Test func malformedBodiesAreTypedErrors() {
        let cases: [([UInt8], String)] = [
            ([0x0A, 0x05, 0x0A], "runs past the end"),
            ([0x0A], "unexpected end"),
            ([0x08, 0x01], "wire type 0"),
            ([0x07], "illegal wire type 7"),
            ([0x00], "illegal field number"),
            ([0x0A, 0x02, 0x12, 0x05], "timeseries[0]"),
            ([0x64], "unbalanced group"),
            ([0x63, 0x08], "unexpected end"),
            ([0x78] + [UInt8](repeating: 0xFF, count: 11), "varint longer than 10 bytes"),
        ]
        for (body, message) in cases {
            var batch = RemoteWriteBatch()
            do throws(RemoteWriteError) {
                try decode(body, into: &batch)
                Issue.record("accepted \(body)")
            } catch {
                #expect(error.description.contains(message), "\(error)")
                #expect(error.byteOffset != nil)
                #expect(!error.isInvalidLabels)
            }
        }
    }

    @Test func roundTripsRandomRequests() throws {
        var random = SeededRandom(seed: 3)
        for _ in 0..<200 {
            let request = randomRequest(&random)
            let bytes = request.serializedBytes()
            let decoded = try bytes.withUnsafeBytes { try WriteRequest(serializedBytes: $0) }
            #expect(decoded == request)

            var batch = RemoteWriteBatch()
            let body = request.compressedBody()
            try body.withUnsafeBytes { try RemoteWriteDecoder().decode(compressedBody: $0, into: &batch) }
            let withSeries = request.timeseries
            #expect(batch.series.count == withSeries.count)
            for (index, series) in withSeries.enumerated() {
                #expect(batch.series[index] == Labels(series.labels))
                let range = batch.sampleRange(index)
                #expect(range.count == series.samples.count)
                for (offset, sample) in series.samples.enumerated() {
                    #expect(batch.timestamps[range.lowerBound + offset] == sample.timestamp)
                    #expect(batch.values[range.lowerBound + offset].bitPattern == sample.value.bitPattern)
                }
            }
            #expect(batch.exemplars.count == withSeries.reduce(0) { $0 + $1.exemplars.count })
            #expect(batch.metadata == request.metadata)
        }
    }

    @Test func fuzzedBodiesNeverCrash() {
        var random = SeededRandom(seed: 4)
        let seeds = (0..<8).map { _ in randomRequest(&random).serializedBytes() } + [Self.handBuilt]
        let decoder = RemoteWriteDecoder(options: .init(invalidSeries: .skip))
        var batch = RemoteWriteBatch()
        var accepted = 0
        for iteration in 0..<10_000 {
            let body = iteration % 5 == 0
                ? random.bytes(Int.random(in: 0...80, using: &random))
                : random.mutate(seeds[iteration % seeds.count])
            body.withUnsafeBytes { bytes in
                if (try? decoder.decode(body: bytes, into: &batch)) != nil { accepted += 1 }
                _ = try? WriteRequest(serializedBytes: bytes)
                _ = try? ReadRequest(serializedBytes: bytes)
                _ = try? ReadResponse(serializedBytes: bytes)
            }
            let compressed = Snappy.compress(body)
            compressed.withUnsafeBytes { bytes in _ = try? decoder.decode(compressedBody: bytes, into: &batch) }
            random.mutate(compressed).withUnsafeBytes { bytes in _ = try? decoder.decode(compressedBody: bytes, into: &batch) }
        }
        #expect(accepted > 0)
    }
}

func randomRequest(_ random: inout SeededRandom) -> WriteRequest {
    let names = ["job", "instance", "le", "quantile", "code", "method", "path", "zone", "a_b", "Z9"]
    let values = ["node", "127.0.0.1:9100", "0.5", "+Inf", "200", "GET", "/api/v1/query", "eu-west-1", "ünïcødé", "x\"y\\z\n", ""]
    func randomValue(_ random: inout SeededRandom) -> String {
        if Int.random(in: 0..<4, using: &random) == 0 {
            return String(repeating: "v", count: Int.random(in: 1...200, using: &random))
        }
        return values[Int.random(in: 0..<values.count, using: &random)]
    }
    var request = WriteRequest()
    for _ in 0..<Int.random(in: 0...20, using: &random) {
        var labels = [Label(name: "__name__", value: "metric_\(Int.random(in: 0...5, using: &random))")]
        for name in names.shuffled(using: &random).prefix(Int.random(in: 0...5, using: &random)) {
            labels.append(Label(name: name, value: randomValue(&random)))
        }
        labels.sort { ByteOrder.less($0.name, $1.name) }
        var samples: [TimeSeries.Sample] = []
        for _ in 0..<Int.random(in: 0...5, using: &random) {
            let value: Double = switch Int.random(in: 0..<6, using: &random) {
            case 0: StaleNaN.value
            case 1: .nan
            case 2: -.infinity
            case 3: 0
            default: Double.random(in: -1e9...1e9, using: &random)
            }
            samples.append(TimeSeries.Sample(value: value, timestamp: Int64.random(in: -1_000_000...2_000_000_000_000, using: &random)))
        }
        var exemplars: [TimeSeries.Exemplar] = []
        if Bool.random(using: &random) {
            exemplars.append(TimeSeries.Exemplar(labels: [Label(name: "trace_id", value: "abc\(Int.random(in: 0...9, using: &random))")],
                                      value: 0.25, timestamp: 1_700_000_000_000))
        }
        request.timeseries.append(TimeSeries(labels: labels, samples: samples, exemplars: exemplars))
    }
    if Bool.random(using: &random) {
        request.metadata.append(MetricMetadata(type: .counter, metricFamilyName: "http_requests", help: "Requests.", unit: ""))
        request.metadata.append(MetricMetadata(type: .gaugehistogram, metricFamilyName: "size", help: "", unit: "bytes"))
    }
    return request
}

/// Decodes uncompressed bytes with `decoder`, keeping the typed error.
func decode(_ body: [UInt8], with decoder: RemoteWriteDecoder = RemoteWriteDecoder(), into batch: inout RemoteWriteBatch) throws(RemoteWriteError) {
    var failure: RemoteWriteError?
    body.withUnsafeBytes { bytes in
        do throws(RemoteWriteError) { try decoder.decode(body: bytes, into: &batch) } catch { failure = error }
    }
    if let failure { throw failure }
}

/// A length-delimited field: key byte, varint length, payload.
func field(_ key: UInt8, _ payload: [UInt8]) -> [UInt8] {
    var result = [key]
    var length = payload.count
    while length >= 0x80 {
        result.append(UInt8(truncatingIfNeeded: length) | 0x80)
        length >>= 7
    }
    result.append(UInt8(length))
    return result + payload
}
