import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import Testing
import VigilConfig
import VigilHTTPClient
import VigilModel
import VigilTestSupport
@testable import VigilLogs

@Suite struct ClickHouseOutputTests {
    func make(_ url: String, _ change: (inout ClickHouseOutputConfig) -> Void = { _ in }) throws
        -> (ClickHouseOutput, LogOutputConfig, ConfiguredHTTPClient)
    {
        var clickhouse = ClickHouseOutputConfig(url: try ConfigURL(url))
        change(&clickhouse)
        let config = SenderHarness.config(.clickhouse(clickhouse))
        let client = try ConfiguredHTTPClient(config: clickhouse.httpConfig)
        let transport = HTTPOutputTransport(
            client: client, compression: clickhouse.compression, timeout: config.timeout, maximumResponseBytes: 1 << 16)
        return (ClickHouseOutput(config: clickhouse, transport: transport), config, client)
    }

    @Test func insertsJSONEachRowWithMapLabelsAndDateTime64() async throws {
        let directory = try TemporaryDirectory()
        try "pw\n".write(toFile: directory.path + "/password", atomically: false, encoding: .utf8)
        try await RecordingServer.with { server in
            let (output, config, client) = try make(server.base) {
                $0.database = "obs"
                $0.table = "lines"
                $0.user = "vigil"
                $0.passwordFile = directory.path + "/password"
            }
            defer { Task { await client.shutdown() } }
            let metrics = try await SenderHarness.run(output, config: config, lines: ["a \"q\"", "b"])
            #expect(metrics.linesSent.value == 2)
            let request = try #require(server.requests.first)
            #expect(request.path == "/")
            #expect(request.query == "query=INSERT%20INTO%20obs.lines%20%28timestamp%2C%20labels%2C%20line%29%20FORMAT%20JSONEachRow")
            #expect(request.headers["authorization"] == "Basic " + Data("vigil:pw".utf8).base64EncodedString())
            #expect(request.body == """
                {"timestamp":"2026-11-27 20:00:00.000000000","labels":{"cluster":"c1","filename":"/p"},"line":"a \\"q\\""}
                {"timestamp":"2026-11-27 20:00:01.000000001","labels":{"cluster":"c1","filename":"/p"},"line":"b"}

                """)
        }
    }

    @Test func legacyColumnsAndGzip() async throws {
        let bodies = Mutex<[[UInt8]]>([])
        let router = Router()
        router.post("/") { request, _ -> Response in
            #expect(request.headers[.contentEncoding] == "gzip")
            let body = try await request.body.collect(upTo: 1 << 20)
            let plain = try ContentDecoding.decode(Array(buffer: body), contentEncoding: "gzip", maxBytes: 1 << 20)
            bodies.withLock { $0.append(plain) }
            return Response(status: .ok)
        }
        try await LoopbackHTTPServer.run(router) { port in
            let (output, config, client) = try make("http://127.0.0.1:\(port)") {
                $0.timestampFormat = .unixNanos
                $0.labelsFormat = .jsonString
                $0.compression = .gzip
            }
            defer { Task { await client.shutdown() } }
            _ = try await SenderHarness.run(output, config: config, lines: ["x"])
        }
        let text = bodies.withLock { $0 }.map { String(decoding: $0, as: UTF8.self) }
        #expect(text == ["{\"timestamp\":1795809600000000000,\"labels\":\"{\\\"cluster\\\":\\\"c1\\\",\\\"filename\\\":\\\"/p\\\"}\",\"line\":\"x\"}\n"])
    }

    @Test func serverErrorsAreRetriedAndBadRequestsDropped() async throws {
        try await RecordingServer.with { server in
            server.answer(500, "Code: 252, Too many parts")
            server.answer(400, "Code: 27, Cannot parse input")
            let (output, config, client) = try make(server.base)
            defer { Task { await client.shutdown() } }
            let metrics = try await SenderHarness.run(output, config: config, lines: ["a"])
            #expect(server.requests.count == 2)
            #expect(metrics.linesRetried.value == 1)
            #expect(metrics.droppedRejected.value == 1)
        }
    }
}
