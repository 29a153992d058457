import Foundation
import Logging
import ServiceLifecycle
import Testing
import VigilConfig
import VigilModel
import VigilTestSupport
@testable import VigilLogs

/// Processors inside the pipeline: checkpoints never pass held multiline lines, and what the
/// processors add reaches Loki as stream labels and structured metadata.
@Suite struct ProcessingDeliveryTests {
    func tailer(_ directory: String, checkpoints: [FileCheckpoint], processors: String) throws -> FileTailer {
        var config = FileInputConfig(name: "t", paths: [directory + "/*.log"], readFromHead: true)
        config.processors = try ConfigDecoder.decode([LogProcessorConfig].self, fromYAML: processors, fileName: "t.yml")
        let registry = MetricsRegistry()
        let chain = try LogProcessorChain(
            config.processors, services: LogProcessingServices(), metrics: try ProcessingMetrics(registry: registry, input: "t"))
        return FileTailer(
            config: config, checkpoints: checkpoints, isFirstStart: false,
            metrics: try LogsMetrics(registry: registry).input("t"), chain: chain, logger: Logger(label: "t"))
    }

    /// Reads everything there is at `now`; the records and the last checkpoint.
    func poll(_ tailer: FileTailer, now: ContinuousClock.Instant) -> (lines: [String], checkpoint: FileCheckpoint?) {
        tailer.discover(now: now)
        var lines: [String] = []
        var last: FileCheckpoint?
        var more = true
        while more {
            var chunks: [TailChunk] = []
            more = tailer.read(now: now, frameBytes: 64, budget: 1 << 20, into: &chunks)
            for chunk in chunks {
                lines += chunk.records.map { String(decoding: $0.line, as: UTF8.self) }
                last = chunk.checkpoint
            }
        }
        return (lines, last)
    }

    func append(_ path: String, _ text: String) throws {
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try handle.close()
    }

    @Test func aRestartMidEventRebuildsTheWholeEventFromTheCheckpoint() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/app.log"
        try append(path, "INFO a\nINFO b\njava.lang.Error: x\n\tat one(A.java:1)\n")
        let processors = "- {type: multiline, rule: java}"
        let first = try tailer(directory.path, checkpoints: [], processors: processors)
        let start = ContinuousClock.now
        let before = poll(first, now: start)
        #expect(before.lines == ["INFO a"])
        // The checkpoint stops where the held event starts: after "INFO a\n".
        let checkpoint = try #require(before.checkpoint)
        #expect(checkpoint.offset == 7)
        // SIGKILL: every in-memory state is gone; only the buffered checkpoint survives.
        try append(path, "\tat two(B.java:2)\nINFO c\n")
        let second = try tailer(directory.path, checkpoints: [checkpoint], processors: processors)
        let after = poll(second, now: start)
        #expect(after.lines == ["INFO b\njava.lang.Error: x\n\tat one(A.java:1)\n\tat two(B.java:2)"])
        let flushed = poll(second, now: start + .seconds(3600))
        #expect(flushed.lines == ["INFO c"])
        #expect(flushed.checkpoint?.offset == Int64("INFO a\nINFO b\njava.lang.Error: x\n\tat one(A.java:1)\n\tat two(B.java:2)\nINFO c\n".utf8.count))
    }

    @Test func aFlushedEventReleasesTheCheckpoint() throws {
        let directory = try TemporaryDirectory()
        try append(directory.path + "/app.log", "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n")
        let tailer = try tailer(directory.path, checkpoints: [], processors: "- {type: multiline, rule: go, flush_timeout: 1s}")
        let start = ContinuousClock.now
        let held = poll(tailer, now: start)
        #expect(held.lines.isEmpty)
        #expect(tailer.checkpoints.values.first?.offset == 0)
        let flushed = poll(tailer, now: start + .seconds(1))
        #expect(flushed.lines == ["panic: boom\n\ngoroutine 1 [running]:\nmain.main()"])
        #expect(flushed.checkpoint?.offset == 48)
    }

    @Test(arguments: [LokiOutputConfig.Encoding.json, .protobuf])
    func labelsAndStructuredMetadataReachLoki(encoding: LokiOutputConfig.Encoding) async throws {
        let directory = try TemporaryDirectory()
        try #"{"level":"error","msg":"disk full","trace_id":"abc123"}"#.appending("\nnot json\n")
            .write(toFile: directory.path + "/app.log", atomically: false, encoding: .utf8)
        var input = FileInputConfig(name: "files", paths: [directory.path + "/*.log"], readFromHead: true)
        input.labels = ["job": "api"]
        input.processors = try ConfigDecoder.decode(
            [LogProcessorConfig].self,
            fromYAML: """
                - {type: json, labels: [level]}
                - {type: add, labels: {team: storage}}
                - {type: drop, metadata: [msg]}
                """, fileName: "t.yml")
        let registry = MetricsRegistry()
        let entries = try await LokiSink.with { sink in
            var loki = LokiOutputConfig(url: try ConfigURL(sink.url))
            loki.encoding = encoding
            var output = LogOutputConfig(name: "out", .loki(loki))
            output.batchWait = PromDuration(milliseconds: 20)
            let pipeline = try LogPipeline(
                config: LogsConfig(inputs: [.file(input)], outputs: [output]), dataDirectory: directory.path + "/data", registry: registry,
                logger: Logger(label: "test"))
            let group = ServiceGroup(services: [pipeline], logger: Logger(label: "test"))
            let running = Task { try await group.run() }
            let arrived = await eventually(timeout: .seconds(300)) { sink.entries.count >= 2 }
            #expect(arrived)
            await group.triggerGracefulShutdown()
            try await running.value
            return sink.entries
        }
        let parsed = try #require(entries.first { $0.line.hasPrefix("{") })
        #expect(parsed.labels == ["job": "api", "filename": directory.path + "/app.log", "level": "error", "team": "storage"])
        #expect(parsed.metadata == ["trace_id": "abc123"])
        let failed = try #require(entries.first { $0.line == "not json" })
        #expect(failed.labels["__error__"] == "JSONParserErr")
        #expect(failed.labels["team"] == "storage")
        #expect(failed.metadata["__error_details__"] != nil)
        let parsedCount = try registry.counter(
            name: "vigil_logs_lines_parsed_total", help: "Lines a parser step read into fields.", labels: ["input": "files"])
        #expect(parsedCount.value == 1)
    }
}
