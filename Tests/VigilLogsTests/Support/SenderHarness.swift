import Logging
import VigilConfig
import VigilModel
import VigilTestSupport
@testable import VigilLogs

/// Runs an ``OutputSender`` over a fresh buffer holding one frame per line until every line is
/// sent or dropped, for the output tests.
enum SenderHarness {
    /// The timestamp of line `index` (0-based): 2026-11-27T20:00:00Z plus `index` seconds and `index` ns.
    static func timestamp(_ index: Int) -> Int64 { 1_795_809_600_000_000_000 + Int64(index) * 1_000_000_001 }

    static func frame(_ sequence: UInt64, _ line: String, stream: LogRecord.Stream = .none) -> BufferFrame {
        BufferFrame(
            sequence: sequence,
            checkpoint: FileCheckpoint(
                input: "in", identity: FileIdentity(device: 1, inode: 2, fingerprint: 3, fingerprintLength: 4), offset: 0,
                path: "/p", labelPath: "/p"),
            labels: [(name: "filename", value: "/p")],
            records: [LogRecord(timestamp: timestamp(Int(sequence) - 1), stream: stream, line: Array(line.utf8))])
    }

    /// A config for `destination` with quick batching and backoff.
    static func config(_ destination: LogOutputConfig.Destination) -> LogOutputConfig {
        var config = LogOutputConfig(name: "out", destination)
        config.minBackoff = PromDuration(milliseconds: 10)
        config.maxBackoff = PromDuration(milliseconds: 40)
        config.batchWait = PromDuration(milliseconds: 10)
        config.labels = ["cluster": "c1"]
        return config
    }

    /// Sends `lines` through `output`; returns the output's metrics once every line was sent or dropped.
    static func run<Output: LogOutput>(_ output: Output, config: LogOutputConfig, lines: [String]) async throws -> LogsMetrics.Output {
        let directory = try TemporaryDirectory()
        let buffer = try DiskBuffer(directory: directory.path + "/q", segmentSize: 1 << 20, maxBytes: 1 << 30)
        for (index, line) in lines.enumerated() {
            let sequence = UInt64(index + 1)
            try buffer.append(frame(sequence, line).encoded(), sequence: sequence, lines: 1)
        }
        let metrics = try LogsMetrics(registry: MetricsRegistry()).output(config.name)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let sender = OutputSender(config: config, output: output, buffer: buffer, metrics: metrics, logger: logger)
        let task = Task { await sender.run() }
        let total = lines.count
        let done = await eventually(timeout: .seconds(300)) {
            Int(metrics.linesSent.value + metrics.droppedRejected.value + metrics.droppedRetriesExhausted.value) >= total
                && buffer.sentPosition.offset > 0
        }
        task.cancel()
        await task.value
        guard done else { throw HarnessTimeout() }
        return metrics
    }

    struct HarnessTimeout: Error {}
}
