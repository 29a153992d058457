import Foundation
import HTTPTypes
import Logging
import Testing
import VigilConfig
import VigilHTTPClient
import VigilModel
import VigilTestSupport
@testable import VigilLogs

@Suite struct LokiOutputTests {
    func run(_ statuses: [Int], lines: [String], encoding: LokiOutputConfig.Encoding = .json) async throws -> (entries: [LokiSink.Entry], metrics: LogsMetrics.Output, requests: Int) {
        try await LokiSink.with { sink in
            sink.answer(statuses.map { .init(code: $0) })
            var loki = LokiOutputConfig(url: try ConfigURL(sink.url))
            loki.tenantID = "t1"
            loki.encoding = encoding
            var config = SenderHarness.config(.loki(loki))
            config.labels = [:]
            let client = try ConfiguredHTTPClient(config: loki.httpConfig)
            let transport = HTTPOutputTransport(client: client, compression: .none, timeout: config.timeout, maximumResponseBytes: 4096)
            let metrics = try await SenderHarness.run(LokiOutput(config: loki, transport: transport), config: config, lines: lines)
            await client.shutdown()
            return (sink.entries, metrics, sink.requests)
        }
    }

    @Test func retriesServerErrorsAndRateLimits() async throws {
        let (entries, metrics, requests) = try await run([500, 429, 503], lines: ["a", "b"])
        #expect(entries.map(\.line) == ["a", "b"])
        #expect(entries.first?.labels == ["filename": "/p"])
        #expect(requests == 4)
        #expect(metrics.linesRetried.value == 6)
        #expect(metrics.linesSent.value == 2)
    }

    @Test func sendsProtobufWithSnappy() async throws {
        let (entries, metrics, _) = try await run([], lines: ["a", "b \"q\""], encoding: .protobuf)
        let lines = entries.map(\.line)
        #expect(lines == ["a", "b \"q\""])
        #expect(entries.first?.labels == ["filename": "/p"])
        #expect(entries.first?.timestamp == "1795809600000000000")
        #expect(metrics.linesSent.value == 2)
    }

    @Test func dropsAndCountsWhatTheReceiverRejects() async throws {
        let (entries, metrics, _) = try await run([400], lines: ["bad"])
        #expect(entries.isEmpty)
        #expect(metrics.droppedRejected.value == 1)
        #expect(metrics.linesSent.value == 0)
    }
}
