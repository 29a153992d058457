import Hummingbird
import NIOCore
import VigilModel
import VigilRemote
import VigilTSDB

/// `POST /api/v1/read`: remote read 1.0 with the sampled response type (a snappy-compressed
/// `ReadResponse`), as Prometheus answers clients that accept `SAMPLES`; 400 for a body that does
/// not decode, a matcher that does not compile or a client that accepts only streamed chunks.
struct RemoteReadRoute {
    let tsdb: TSDB
    let maxBodyBytes: Int
    /// Upper bound on samples one read may return, so a careless query cannot exhaust memory.
    var maxSamples = 50_000_000

    func register(on router: Router<BasicRequestContext>) {
        router.post("/api/v1/read") { request, _ in
            try await handle(request)
        }
    }

    func handle(_ request: Request) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await RequestBody.collect(request, upTo: maxBodyBytes)
        } catch let error as RequestBody.TooLarge {
            return error.response
        }
        let readRequest: ReadRequest
        do {
            let decoded = try body.withUnsafeReadableBytes { bytes throws(SnappyError) in
                try Snappy.decompress(bytes, maxDecodedLength: maxBodyBytes * 8)
            }
            readRequest = try decoded.withUnsafeBytes { bytes throws(RemoteWriteError) in
                try ReadRequest(serializedBytes: bytes)
            }
        } catch {
            return PlainText.response(.badRequest, "\(error)\n")
        }
        let accepted = readRequest.acceptedResponseTypes
        guard accepted.isEmpty || accepted.contains(.samples) else {
            return PlainText.response(.badRequest, "server does not support any of the requested response types: \(accepted)\n")
        }
        var results: [ReadResponse.QueryResult] = []
        var samples = 0
        do {
            for query in readRequest.queries {
                let matchers = try query.matchers.map { matcher throws(LabelMatcherError) in
                    try LabelMatcher(Self.type(matcher.type), matcher.name, matcher.value)
                }
                var timeseries: [TimeSeries] = []
                for series in try tsdb.querier(mint: query.startTimestampMs, maxt: query.endTimestampMs)
                    .select(matchers, mint: query.startTimestampMs, maxt: query.endTimestampMs) {
                    let points = series.samples()
                    samples += points.count
                    guard samples <= maxSamples else {
                        return PlainText.response(
                            .badRequest, "exceeded sample limit (\(maxSamples)) in remote read; narrow the query\n"
                        )
                    }
                    timeseries.append(TimeSeries(
                        labels: series.labels.map { Label(name: $0.name, value: $0.value) },
                        samples: points.map { .init(value: $0.value, timestamp: $0.timestamp) }
                    ))
                }
                results.append(.init(timeseries: timeseries))
            }
        } catch let error as LabelMatcherError {
            return PlainText.response(.badRequest, "\(error)\n")
        } catch {
            return PlainText.response(.internalServerError, "\(error)\n")
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/x-protobuf", .contentEncoding: "snappy"],
            body: .init(byteBuffer: ByteBuffer(bytes: ReadResponse(results: results).compressedBody()))
        )
    }

    private static func type(_ type: ReadRequest.Query.Matcher.MatchType) -> LabelMatcher.MatchType {
        switch type {
        case .equal: .equal
        case .notEqual: .notEqual
        case .regexMatch: .regexMatch
        case .regexNoMatch: .regexNoMatch
        }
    }
}
