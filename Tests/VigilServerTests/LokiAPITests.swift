import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VigilHTTPClient
import VigilLogStore
import VigilRemote
import VigilServer
import VigilTestSupport

/// Loki's push and metadata routes on the real server: bodies as Promtail and Fluent Bit send
/// them, answers in Loki's shapes, limits as 429s with Loki's messages, data surviving a restart.
@Suite struct LokiAPITests {
    static let tenantHeader = HTTPField.Name("X-Scope-OrgID")!

    static func nowNanoseconds() -> Int64 { LogStore.wallClock() }

    static func jsonPush(_ labels: String, _ lines: [String], at start: Int64) -> ByteBuffer {
        let values = lines.enumerated().map { #"["\#(start + Int64($0.offset))",\#(quoted($0.element))]"# }.joined(separator: ",")
        return ByteBuffer(string: #"{"streams":[{"stream":\#(labels),"values":[\#(values)]}]}"#)
    }

    static func quoted(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }

    /// `logproto.PushRequest` with one stream, snappy-compressed, from push.proto's field numbers.
    static func protobufPush(_ labels: String, _ line: String, at ns: Int64, metadata: (String, String)) -> ByteBuffer {
        func varint(_ value: UInt64, _ out: inout [UInt8]) {
            var rest = value
            while rest >= 0x80 { out.append(UInt8(truncatingIfNeeded: rest) | 0x80); rest >>= 7 }
            out.append(UInt8(rest))
        }
        func field(_ number: UInt64, _ payload: [UInt8], _ out: inout [UInt8]) {
            varint(number << 3 | 2, &out)
            varint(UInt64(payload.count), &out)
            out += payload
        }
        var timestamp: [UInt8] = []
        varint(8, &timestamp)
        varint(UInt64(ns / 1_000_000_000), &timestamp)
        varint(16, &timestamp)
        varint(UInt64(ns % 1_000_000_000), &timestamp)
        var pair: [UInt8] = []
        field(1, Array(metadata.0.utf8), &pair)
        field(2, Array(metadata.1.utf8), &pair)
        var entry: [UInt8] = []
        field(1, timestamp, &entry)
        field(2, Array(line.utf8), &entry)
        field(3, pair, &entry)
        var stream: [UInt8] = []
        field(1, Array(labels.utf8), &stream)
        field(2, entry, &stream)
        var request: [UInt8] = []
        field(1, stream, &request)
        return ByteBuffer(bytes: Snappy.compress(request))
    }

    @Test func pushesAnswer204AndMetadataRoutesAnswerInLokisShapes() async throws {
        let temp = try TemporaryDirectory()
        let now = Self.nowNanoseconds()
        try await withRunningServer(configPath: nil, dataDirectory: temp.path + "/data") { client, _ in
            let json = try await client.post(
                "/loki/api/v1/push", headers: [.contentType: "application/json"],
                body: Self.jsonPush(#"{"app":"api","env":"prod"}"#, ["GET /orders 200", "POST /pay 500"], at: now))
            #expect(json.status == .noContent, "\(json.text)")
            let proto = try await client.post(
                "/loki/api/v1/push", headers: [.contentType: "application/x-protobuf"],
                body: Self.protobufPush(#"{app="db", env="dev"}"#, "slow query", at: now, metadata: ("trace_id", "t-1")))
            #expect(proto.status == .noContent, "\(proto.text)")
            // No Content-Type: protobuf, as Loki reads it; another tenant.
            let other = try await client.post(
                "/loki/api/v1/push", headers: [Self.tenantHeader: "team-b"],
                body: Self.protobufPush(#"{app="billing"}"#, "invoice sent", at: now, metadata: ("k", "v")))
            #expect(other.status == .noContent, "\(other.text)")

            let answer1 = try await client.get("/loki/api/v1/labels").text
            #expect(answer1 == #"{"status":"success","data":["app","env"]}"#)
            let answer2 = try await client.get("/loki/api/v1/labels", headers: [Self.tenantHeader: "team-b"]).text
            #expect(answer2 == #"{"status":"success","data":["app"]}"#)
            let answer3 = try await client.get("/loki/api/v1/label/app/values").text
            #expect(answer3 == #"{"status":"success","data":["api","db"]}"#)
            let answer4 = try await client.get("/loki/api/v1/label/app/values?query=%7Benv%3D%22dev%22%7D").text
            #expect(answer4 == #"{"status":"success","data":["db"]}"#)
            let answer5 = try await client.get("/loki/api/v1/series?match[]=%7Bapp%3D~%22a.%2A%22%7D").text
            #expect(answer5 == #"{"status":"success","data":[{"app":"api","env":"prod"}]}"#)
            let stats = try await client.get("/loki/api/v1/index/stats?query=%7Benv%3D~%22.%2B%22%7D")
            #expect(stats.text == #"{"streams":2,"chunks":2,"bytes":38,"entries":3}"#)
            // Outside the window: nothing.
            let answer6 = try await client.get("/loki/api/v1/labels?start=1000&end=2000").text
            #expect(answer6 == #"{"status":"success","data":[]}"#)
            // Bad input names the problem.
            let badSelector = try await client.get("/loki/api/v1/series?match[]=%7Bapp%7D")
            #expect(badSelector.status == .badRequest)
            #expect(badSelector.text.hasPrefix("parse error at line 1, col "), "\(badSelector.text)")
            let numberTimestamp = try await client.post(
                "/loki/api/v1/push", headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"streams":[{"stream":{"a":"b"},"values":[[1,"x"]]}]}"#))
            #expect(numberTimestamp.status == .badRequest)
            #expect(numberTimestamp.text.contains("timestamp must be a string"))
        }
        // The pushes survive a restart (the store sealed and wrote its chunks on shutdown).
        try await withRunningServer(configPath: nil, dataDirectory: temp.path + "/data") { client, _ in
            let answer7 = try await client.get("/loki/api/v1/label/app/values").text
            #expect(answer7 == #"{"status":"success","data":["api","db"]}"#)
        }
    }

    /// Promtail and Fluent Bit may gzip their pushes; Loki also reads raw deflate.
    @Test func compressedPushesAreDecodedAndBadEncodingsRefused() async throws {
        let temp = try TemporaryDirectory()
        let now = Self.nowNanoseconds()
        try await withRunningServer(configPath: nil, dataDirectory: temp.path + "/data") { client, _ in
            let json = Self.jsonPush(#"{"app":"gz"}"#, ["zipped line one", "zipped line two"], at: now)
            let gzipped = ByteBuffer(bytes: Zlib.deflate(Array(buffer: json), format: .gzip))
            let pushed = try await client.post(
                "/loki/api/v1/push", headers: [.contentType: "application/json", .contentEncoding: "gzip"], body: gzipped)
            #expect(pushed.status == .noContent, "\(pushed.text)")
            let proto = Self.protobufPush(#"{app="deflated"}"#, "deflated line", at: now, metadata: ("k", "v"))
            let deflated = ByteBuffer(bytes: Zlib.deflate(Array(buffer: proto), format: .raw))
            let pushedProto = try await client.post(
                "/loki/api/v1/push", headers: [.contentType: "application/x-protobuf", .contentEncoding: "deflate"], body: deflated)
            #expect(pushedProto.status == .noContent, "\(pushedProto.text)")
            let values = try await client.get("/loki/api/v1/label/app/values").text
            #expect(values == #"{"status":"success","data":["deflated","gz"]}"#)

            let brotli = try await client.post(
                "/loki/api/v1/push", headers: [.contentType: "application/json", .contentEncoding: "br"],
                body: ByteBuffer(string: "{}"))
            #expect(brotli.status == .unsupportedMediaType)
            #expect(brotli.text.contains(#"Content-Encoding "br" not supported"#), "\(brotli.text)")
            let corrupt = try await client.post(
                "/loki/api/v1/push", headers: [.contentType: "application/json", .contentEncoding: "gzip"],
                body: ByteBuffer(bytes: Array(buffer: gzipped).prefix(20)))
            #expect(corrupt.status == .badRequest)
            #expect(corrupt.text.hasPrefix("invalid gzip body"), "\(corrupt.text)")
        }
    }

    @Test func queryAndQueryRangeAnswerWithTheLogQLEngine() async throws {
        let temp = try TemporaryDirectory()
        let now = Self.nowNanoseconds()
        try await withRunningServer(configPath: nil, dataDirectory: temp.path + "/data") { client, _ in
            let lines = ["GET /orders 200", "POST /pay 500", "GET /health 200", "POST /pay 500 ✗"]
            let pushed = try await client.post(
                "/loki/api/v1/push", headers: [.contentType: "application/json"],
                body: Self.jsonPush(#"{"app":"api"}"#, lines, at: now))
            #expect(pushed.status == .noContent, "\(pushed.text)")
            let other = try await client.post(
                "/loki/api/v1/push", headers: [.contentType: "application/json", Self.tenantHeader: "team-b"],
                body: Self.jsonPush(#"{"app":"api"}"#, ["POST /pay 500 elsewhere"], at: now))
            #expect(other.status == .noContent, "\(other.text)")
            let window = "start=\(now - 60_000_000_000)&end=\(now + 60_000_000_000)"

            // A log query: newest first by default, filtered on bytes, with the tenant's streams only.
            let logs = try await client.get("/loki/api/v1/query_range?query=%7Bapp%3D%22api%22%7D%20%7C%3D%20%22500%22&\(window)")
            #expect(logs.status == .ok, "\(logs.text)")
            let logData = try #require(Self.data(logs.text))
            #expect(logData["resultType"] as? String == "streams")
            let streams = try #require(logData["result"] as? [[String: Any]])
            #expect(streams.count == 1)
            #expect(streams.first?["stream"] as? [String: String] == ["app": "api"])
            let values = try #require(streams.first?["values"] as? [[String]])
            #expect(values.map { $0[1] } == ["POST /pay 500 ✗", "POST /pay 500"])
            #expect(values.map { $0[0] } == ["\(now + 3)", "\(now + 1)"])
            #expect(logData["stats"] is [String: Any])

            // Forward with a limit.
            let forward = try await client.get("/loki/api/v1/query_range?query=%7Bapp%3D%22api%22%7D&direction=forward&limit=2&\(window)")
            let forwardValues = (Self.data(forward.text)?["result"] as? [[String: Any]])?.first?["values"] as? [[String]]
            #expect(forwardValues?.map { $0[1] } == ["GET /orders 200", "POST /pay 500"])

            // A metric range query and an instant query.
            let count = "query=sum%28count_over_time%28%7Bapp%3D%22api%22%7D%20%7C%3D%20%22500%22%20%5B5m%5D%29%29"
            let matrix = try await client.get("/loki/api/v1/query_range?\(count)&step=30s&\(window)")
            let matrixData = try #require(Self.data(matrix.text), "\(matrix.text)")
            #expect(matrixData["resultType"] as? String == "matrix")
            let points = ((matrixData["result"] as? [[String: Any]])?.first?["values"] as? [[Any]]) ?? []
            #expect(points.last?[1] as? String == "2")
            let vector = try await client.get("/loki/api/v1/query?\(count)&time=\(now + 1_000_000_000)")
            let vectorData = try #require(Self.data(vector.text), "\(vector.text)")
            #expect(vectorData["resultType"] as? String == "vector")
            let sample = (vectorData["result"] as? [[String: Any]])?.first?["value"] as? [Any]
            #expect(sample?[1] as? String == "2")
            let otherTenant = try await client.get(
                "/loki/api/v1/query?\(count)&time=\(now + 1_000_000_000)", headers: [Self.tenantHeader: "team-b"])
            let otherSample = ((Self.data(otherTenant.text)?["result"] as? [[String: Any]])?.first?["value"] as? [Any])
            #expect(otherSample?[1] as? String == "1")

            // Errors: Loki's plain text with a position, and Loki's refusals.
            let badQuery = try await client.get("/loki/api/v1/query_range?query=%7Bapp%3D%22api%22%7D%20%7C%3D&\(window)")
            #expect(badQuery.status == .badRequest)
            #expect(badQuery.text.hasPrefix("parse error at line 1, col "), "\(badQuery.text)")
            let instantLogs = try await client.get("/loki/api/v1/query?query=%7Bapp%3D%22api%22%7D")
            #expect(instantLogs.status == .badRequest)
            #expect(instantLogs.text.contains("log queries are not supported as an instant query type"))
            let missing = try await client.get("/loki/api/v1/query_range")
            #expect(missing.status == .badRequest)
            let badStep = try await client.get("/loki/api/v1/query_range?\(count)&step=-1&\(window)")
            #expect(badStep.status == .badRequest)
            #expect(badStep.text.contains("zero or negative query resolution step"))
            let badDirection = try await client.get("/loki/api/v1/query_range?query=%7Bapp%3D%22api%22%7D&direction=up")
            #expect(badDirection.status == .badRequest)
        }
    }

    /// The `data` object of a Loki success envelope.
    static func data(_ text: String) -> [String: Any]? {
        let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        guard object?["status"] as? String == "success" else { return nil }
        return object?["data"] as? [String: Any]
    }

    @Test func limitsAnswer429WithLokisMessages() async throws {
        let temp = try TemporaryDirectory()
        let config = try temp.write("vigil.yml", """
            log_store:
              ingestion_rate: 100B
              ingestion_burst_size: 100B
              max_global_streams_per_user: 1
            """)
        let now = Self.nowNanoseconds()
        try await withRunningServer(configPath: config, dataDirectory: temp.path + "/data") { client, _ in
            let tooMuch = try await client.post(
                "/loki/api/v1/push", headers: [.contentType: "application/json"],
                body: Self.jsonPush(#"{"app":"api"}"#, [String(repeating: "x", count: 150)], at: now))
            #expect(tooMuch.status == .tooManyRequests)
            #expect(tooMuch.text.hasPrefix("Ingestion rate limit exceeded for user fake (limit: 100 bytes/sec) while attempting to ingest '1' lines totaling '150' bytes"))
            let first = try await client.post(
                "/loki/api/v1/push", headers: [.contentType: "application/json"], body: Self.jsonPush(#"{"app":"api"}"#, ["ok"], at: now))
            #expect(first.status == .noContent)
            let second = try await client.post(
                "/loki/api/v1/push", headers: [.contentType: "application/json"], body: Self.jsonPush(#"{"app":"other"}"#, ["no"], at: now))
            #expect(second.status == .tooManyRequests)
            #expect(second.text.hasPrefix("Maximum active stream limit exceeded when trying to create stream {app=\"other\"}"))
        }
    }
}
