import Testing
import VigilConfig
import VigilHTTPClient
import VigilModel
import VigilTestSupport
@testable import VigilLogs

@Suite struct ElasticsearchOutputTests {
    func make(_ url: String, index: String = "logs-%Y.%m.%d") throws -> (ElasticsearchOutput, LogOutputConfig, ConfiguredHTTPClient) {
        var elasticsearch = ElasticsearchOutputConfig(url: try ConfigURL(url))
        elasticsearch.index = index
        let config = SenderHarness.config(.elasticsearch(elasticsearch))
        let client = try ConfiguredHTTPClient(config: elasticsearch.httpConfig)
        let transport = HTTPOutputTransport(client: client, compression: .none, timeout: config.timeout, maximumResponseBytes: 1 << 20)
        return (ElasticsearchOutput(config: elasticsearch, transport: transport), config, client)
    }

    static func item(_ status: Int, _ error: String? = nil) -> String {
        if let error { return "{\"index\":{\"_index\":\"x\",\"status\":\(status),\"error\":{\"type\":\"\(error)\",\"reason\":\"failed to parse\"}}}" }
        return "{\"index\":{\"_index\":\"x\",\"status\":\(status)}}"
    }

    @Test func sendsNDJSONIndexActionsWithDatedIndexAndECSFields() async throws {
        try await RecordingServer.with(defaultBody: "{\"took\":1,\"errors\":false,\"items\":[]}") { server in
            let (output, config, client) = try make(server.base + "/")
            defer { Task { await client.shutdown() } }
            let metrics = try await SenderHarness.run(output, config: config, lines: ["hello \"world\"", "second"])
            #expect(metrics.linesSent.value == 2)
            let request = try #require(server.requests.first)
            #expect(request.path == "/_bulk")
            #expect(request.headers["content-type"] == "application/x-ndjson")
            let expected = """
                {"index":{"_index":"logs-2026.11.27"}}
                {"@timestamp":"2026-11-27T20:00:00.000000000Z","message":"hello \\"world\\"","labels":{"cluster":"c1","filename":"/p"}}
                {"index":{"_index":"logs-2026.11.27"}}
                {"@timestamp":"2026-11-27T20:00:01.000000001Z","message":"second","labels":{"cluster":"c1","filename":"/p"}}

                """
            #expect(request.body == expected)
        }
    }

    @Test func retriesOnlyTheItemsThatFailedRetryably() async throws {
        let first = "{\"took\":1,\"errors\":true,\"items\":[\(Self.item(201)),\(Self.item(429, "es_rejected_execution_exception")),\(Self.item(400, "mapper_parsing_exception")),\(Self.item(503, "unavailable_shards_exception"))]}"
        let second = "{\"took\":1,\"errors\":true,\"items\":[\(Self.item(201)),\(Self.item(500, "x"))]}"
        let third = "{\"took\":1,\"errors\":false,\"items\":[\(Self.item(201))]}"
        try await RecordingServer.with { server in
            server.answer(200, first)
            server.answer(200, second)
            server.answer(200, third)
            let (output, config, client) = try make(server.base, index: "logs")
            defer { Task { await client.shutdown() } }
            let metrics = try await SenderHarness.run(output, config: config, lines: ["a", "b", "c", "d"])
            let messages = server.requests.map { request in
                request.body.split(separator: "\n").filter { $0.contains("message") }.map { line in
                    String(line.split(separator: "\"message\":\"")[1].prefix(1))
                }
            }
            #expect(messages == [["a", "b", "c", "d"], ["b", "d"], ["d"]])
            #expect(metrics.linesSent.value == 3)
            #expect(metrics.droppedRejected.value == 1)
            #expect(metrics.linesRetried.value == 3)
        }
    }

    @Test func retriesTheWholeBatchOnAServerErrorAndDropsAfterMaxRetries() async throws {
        try await RecordingServer.with { server in
            for _ in 0..<3 { server.answer(503, "busy") }
            let (output, baseConfig, client) = try make(server.base, index: "logs")
            defer { Task { await client.shutdown() } }
            var config = baseConfig
            config.maxRetries = 2
            let metrics = try await SenderHarness.run(output, config: config, lines: ["a", "b"])
            #expect(server.requests.count == 3)
            #expect(metrics.droppedRetriesExhausted.value == 2)
            #expect(metrics.linesSent.value == 0)
        }
    }

    @Test func parsesBulkResponses() throws {
        let body = Array("{\"took\":3,\"errors\":true,\"items\":[{\"create\":{\"status\":201}},{\"index\":{\"status\":400,\"error\":\"old style\"}}]}".utf8)
        let (errors, items) = try ElasticsearchOutput.parseBulkResponse(body)
        #expect(errors)
        #expect(items == [.accepted, .rejected("status 400: old style")])
        let short = ElasticsearchOutput.interpret(.init(status: 200, body: Array("{\"errors\":true,\"items\":[]}".utf8)), count: 2)
        #expect(short == .retry("Elasticsearch answered 0 items for 2 actions"))
        #expect(ElasticsearchOutput.interpret(.init(status: 413, body: []), count: 1) == .rejected("Elasticsearch returned HTTP status 413: "))
    }

    @Test func malformedBulkResponsesAreRetriedNeverTrusted() {
        var generator = SplitMix64(seed: 10)
        let valid = Array("{\"took\":3,\"errors\":true,\"items\":[{\"index\":{\"status\":201}},{\"index\":{\"status\":429}}]}".utf8)
        for _ in 0..<2000 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[position] = UInt8.random(in: 0...255, using: &generator)
                case 1: bytes.remove(at: position)
                default: bytes.insert(UInt8.random(in: 0...255, using: &generator), at: position)
                }
            }
            let outcome = ElasticsearchOutput.interpret(.init(status: 200, body: bytes), count: 2)
            switch outcome {
            case .accepted, .retry, .items: break
            case .rejected: Issue.record("a 200 answer dropped a batch")
            }
        }
    }
}
