import Testing
import VigilTestSupport
import VigilModel
@testable import VigilRemote

@Suite struct ReadRequestTests {
    @Test func roundTripsAReadRequest() throws {
        let request = ReadRequest(
            queries: [
                .init(startTimestampMs: 1_000, endTimestampMs: 2_000, matchers: [
                    .init(type: .equal, name: "__name__", value: "up"),
                    .init(type: .regexNoMatch, name: "job", value: "a|b"),
                ], hints: .init(stepMilliseconds: 15_000, function: "rate", startMilliseconds: 1_000, endMilliseconds: 2_000,
                                grouping: ["job"], by: true, rangeMilliseconds: 300_000)),
                .init(startTimestampMs: -5, endTimestampMs: 0, matchers: []),
            ],
            acceptedResponseTypes: [.samples, .streamedXORChunks])
        let bytes = request.serializedBytes()
        #expect(try bytes.withUnsafeBytes { try ReadRequest(serializedBytes: $0) } == request)
    }

    @Test func handBuiltReadRequest() throws {
        // Query{start=1 (0x08 0x01), end=2 (0x10 0x02), matcher{type NEQ (0x08 0x01), name "a" (0x12), value "b" (0x1A)}}
        // then accepted_response_types packed (0x12 len 0x00) and unpacked (0x10 0x01).
        let matcher: [UInt8] = [0x08, 0x01, 0x12, 0x01, 0x61, 0x1A, 0x01, 0x62]
        let query: [UInt8] = [0x08, 0x01, 0x10, 0x02, 0x1A, UInt8(matcher.count)] + matcher
        let bytes: [UInt8] = [0x0A, UInt8(query.count)] + query + [0x12, 0x01, 0x00, 0x10, 0x01]
        let request = try bytes.withUnsafeBytes { try ReadRequest(serializedBytes: $0) }
        #expect(request == ReadRequest(
            queries: [.init(startTimestampMs: 1, endTimestampMs: 2, matchers: [.init(type: .notEqual, name: "a", value: "b")])],
            acceptedResponseTypes: [.samples, .streamedXORChunks]))
    }

    @Test func unknownMatcherTypeIsAnError() {
        let bytes: [UInt8] = [0x0A, 0x04, 0x1A, 0x02, 0x08, 0x09]
        #expect(throws: RemoteWriteError.self) { try bytes.withUnsafeBytes { try ReadRequest(serializedBytes: $0) } }
    }

    @Test func roundTripsAReadResponse() throws {
        var random = SeededRandom(seed: 5)
        let response = ReadResponse(results: [
            .init(timeseries: randomRequest(&random).timeseries),
            .init(timeseries: []),
            .init(timeseries: randomRequest(&random).timeseries),
        ])
        let compressed = response.compressedBody()
        let bytes = try Snappy.decompress(compressed, maxDecodedLength: 1 << 24)
        #expect(try bytes.withUnsafeBytes { try ReadResponse(serializedBytes: $0) } == response)
    }
}
