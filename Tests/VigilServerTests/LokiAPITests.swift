import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
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
            #expect(badSelector.text.contains("parse error at byte 4"))
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
