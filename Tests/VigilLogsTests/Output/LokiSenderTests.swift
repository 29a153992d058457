import Foundation
import HTTPTypes
import Logging
import Testing
import VigilConfig
import VigilHTTPClient
import VigilModel
import VigilTestSupport
@testable import VigilLogs

@Suite struct LokiSenderTests {
    func frame(_ sequence: UInt64, _ line: String) -> BufferFrame {
        BufferFrame(
            sequence: sequence,
            checkpoint: FileCheckpoint(
                input: "in", identity: FileIdentity(device: 1, inode: 2, fingerprint: 3, fingerprintLength: 4), offset: 0,
                path: "/p", labelPath: "/p"),
            labels: [(name: "filename", value: "/p")], records: [LogRecord(timestamp: Int64(sequence), line: Array(line.utf8))])
    }

    func run(_ statuses: [Int], lines: [String], encoding: LokiOutputConfig.Encoding = .json) async throws -> (entries: [LokiSink.Entry], metrics: LogsMetrics.Output, requests: Int) {
        let directory = try TemporaryDirectory()
        return try await LokiSink.with { sink in
            sink.answer(statuses.map { .init(code: $0) })
            var config = LokiOutputConfig(url: try ConfigURL(sink.url))
            config.minBackoff = PromDuration(milliseconds: 10)
            config.batchWait = PromDuration(milliseconds: 10)
            config.tenantID = "t1"
            config.encoding = encoding
            let buffer = try DiskBuffer(directory: directory.path + "/q", segmentSize: 1 << 20, maxBytes: 1 << 30)
            for (index, line) in lines.enumerated() {
                let sequence = UInt64(index + 1)
                try buffer.append(frame(sequence, line).encoded(), sequence: sequence, lines: 1)
            }
            let client = try ConfiguredHTTPClient(config: config.httpConfig)
            let metrics = try LogsMetrics(registry: MetricsRegistry()).output("loki")
            let sender = LokiSender(config: config, buffer: buffer, client: client, metrics: metrics, logger: Logger(label: "t"))
            let task = Task { await sender.run() }
            let sent = lines.count
            let done = await eventually(timeout: .seconds(300)) {
                buffer.sentPosition.offset > 0 && Int(metrics.linesSent.value + metrics.droppedRejected.value) >= sent
            }
            task.cancel()
            await task.value
            await client.shutdown()
            #expect(done)
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
        #expect(entries.first?.timestamp == "1")
        #expect(metrics.linesSent.value == 2)
    }

    @Test func dropsAndCountsWhatTheReceiverRejects() async throws {
        let (entries, metrics, _) = try await run([400], lines: ["bad"])
        #expect(entries.isEmpty)
        #expect(metrics.droppedRejected.value == 1)
        #expect(metrics.linesSent.value == 0)
    }
}
