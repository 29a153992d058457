import Foundation
import Logging
import ServiceLifecycle
import Testing
import VigilConfig
import VigilModel
import VigilTestSupport
@testable import VigilLogs

/// The pipeline as the lead wires it: a `Service` in a `ServiceGroup`, stopped gracefully.
@Suite struct LogPipelineTests {
    func config(_ root: String, url: String, whenFull: LogOutputConfig.WhenFull = .dropOldest) throws -> LogsConfig {
        var input = FileInputConfig(name: "files", paths: [root + "/*.log"], format: .cri, readFromHead: true)
        input.labels = ["job": "test"]
        var output = LogOutputConfig(name: "out", url: try ConfigURL(url))
        output.batchWait = PromDuration(milliseconds: 20)
        output.labels = ["cluster": "c1"]
        output.whenFull = whenFull
        return LogsConfig(inputs: [.file(input)], outputs: [output])
    }

    @Test func shipsLinesAndWritesPositionsOnGracefulShutdown() async throws {
        let directory = try TemporaryDirectory()
        try "2026-01-01T00:00:00.000000001Z stdout F hello\n2026-01-01T00:00:00.5Z stderr P wor\n2026-01-01T00:00:01Z stderr F ld\n"
            .write(toFile: directory.path + "/app.log", atomically: false, encoding: .utf8)
        let registry = MetricsRegistry()
        let (entries, metricsText) = try await LokiSink.with { sink in
            let pipeline = try LogPipeline(
                config: try config(directory.path, url: sink.url), dataDirectory: directory.path + "/data", registry: registry,
                logger: Logger(label: "test"))
            let group = ServiceGroup(services: [pipeline], logger: Logger(label: "test"))
            let running = Task { try await group.run() }
            let arrived = await eventually(timeout: .seconds(300)) { sink.entries.count >= 2 }
            #expect(arrived)
            await group.triggerGracefulShutdown()
            try await running.value
            let families = registry.collect().map(\.name)
            return (sink.entries, families)
        }
        let lines = entries.map(\.line)
        #expect(lines == ["hello", "world"])
        let first = try #require(entries.first)
        #expect(first.timestamp == "1767225600000000001")
        #expect(first.labels == ["job": "test", "cluster": "c1", "stream": "stdout", "filename": directory.path + "/app.log"])
        #expect(metricsText.contains("vigil_logs_lines_sent_total"))
        #expect(metricsText.contains("vigil_logs_lines_read_total"))
        let positions = try String(contentsOfFile: directory.path + "/data/positions/positions", encoding: .utf8)
        #expect(positions.hasPrefix("vigil-log-positions 1\n"))
        #expect(positions.contains(" 115 "))
    }

    @Test func inputsOtherThanFilesRunTheirProcessors() async throws {
        let directory = try TemporaryDirectory()
        let kmsg = try directory.write("kmsg", "6,1,10,-;eth0: link up\n3,2,20,-;Out of memory: Killed process 17 (postgres) total-vm:1kB\n6,3,30,-;noisy heartbeat\n")
        let bootID = try directory.write("boot_id", "b1\n")
        let yaml = """
            logs:
              inputs:
                - type: kmsg
                  path: \(kmsg)
                  boot_id_path: \(bootID)
                  processors:
                    - {type: kernel_problems}
                    - {type: add, labels: {team: infra}}
              outputs:
                - type: file
                  path: \(directory.path)/out.log
                  format: json
                  batch_wait: 20ms
            """
        let pipeline = try RunningPipeline(yaml: yaml, dataDirectory: directory.path + "/data")
        let registry = pipeline.registry
        let written = await eventually(timeout: .seconds(300)) {
            ((try? String(contentsOfFile: directory.path + "/out.log", encoding: .utf8)) ?? "").split(separator: "\n").count == 3
        }
        try await pipeline.stop()
        #expect(written)
        let out = (try? String(contentsOfFile: directory.path + "/out.log", encoding: .utf8)) ?? ""
        #expect(out.split(separator: "\n").allSatisfy { $0.contains(#""team":"infra""#) })
        let oom = try registry.counter(
            name: "problem_counter", help: "Number of times a specific type of problem have occurred.", labels: ["reason": "OOMKilling"])
        #expect(oom.value == 1)
        #expect {
            try PrometheusConfig.parse(yaml: "logs:\n  inputs:\n    - type: syslog\n      processors: [{type: multiline, rule: java}]\n  outputs: [{url: 'http://l/p'}]\n")
        } throws: { "\($0)".contains("multiline is for file inputs only") && "\($0)".contains("processors[0]") }
    }

    @Test func blockModePausesReadingInsteadOfDropping() async throws {
        let directory = try TemporaryDirectory()
        let line = String(repeating: "z", count: 1000)
        var text = ""
        for number in 0..<200 { text += "2026-01-01T00:00:00Z stdout F \(number) \(line)\n" }
        try text.write(toFile: directory.path + "/app.log", atomically: false, encoding: .utf8)
        let registry = MetricsRegistry()
        // Nothing listens here: every push fails and is retried, the buffer fills.
        var logs = try config(directory.path, url: "http://127.0.0.1:9/loki/api/v1/push", whenFull: .block)
        logs.outputs[0].batchSize = ByteSize(bytes: 4096)
        logs.outputs[0].bufferMaxBytes = ByteSize(bytes: 16384)
        if case .file(var input) = logs.inputs[0] {
            input.maxLineSize = ByteSize(bytes: 2048)
            logs.inputs[0] = .file(input)
        }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let pipeline = try LogPipeline(config: logs, dataDirectory: directory.path + "/data", registry: registry, logger: logger)
        let group = ServiceGroup(services: [pipeline], logger: logger)
        let running = Task { try await group.run() }
        let paused = try registry.gauge(name: "vigil_logs_input_paused", help: "1 while reading is paused because an output's buffer is full.")
        let pausedSeen = await eventually(timeout: .seconds(300)) { paused.value == 1 }
        #expect(pausedSeen)
        await group.triggerGracefulShutdown()
        try await running.value
        let dropped = try registry.counter(
            name: "vigil_logs_lines_dropped_total", help: "Log lines an output dropped, by reason.",
            labels: ["output": "out", "reason": "buffer_full"])
        #expect(dropped.value == 0)
        let read = try registry.counter(name: "vigil_logs_lines_read_total", help: "Log lines read by an input.", labels: ["input": "files"])
        #expect(read.value < 200)
    }

    @Test func aFullBufferDropsItsOldestLinesCountedAndDeliversTheRest() async throws {
        let directory = try TemporaryDirectory()
        let line = String(repeating: "z", count: 1000)
        var text = ""
        for number in 0..<200 { text += "\(number) \(line)\n" }
        try text.write(toFile: directory.path + "/app.log", atomically: false, encoding: .utf8)
        // The file output's directory does not exist yet: every write fails and is retried while the buffer fills.
        let target = directory.path + "/out/lines.log"
        var input = FileInputConfig(name: "files", paths: [directory.path + "/*.log"], readFromHead: true)
        input.maxLineSize = ByteSize(bytes: 2048)
        var output = LogOutputConfig(name: "out", .file(FileOutputConfig(path: target)))
        output.batchSize = ByteSize(bytes: 4096)
        output.bufferMaxBytes = ByteSize(bytes: 16384)
        output.batchWait = PromDuration(milliseconds: 10)
        output.minBackoff = PromDuration(milliseconds: 10)
        output.maxBackoff = PromDuration(milliseconds: 50)
        let registry = MetricsRegistry()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let pipeline = try LogPipeline(
            config: LogsConfig(inputs: [.file(input)], outputs: [output]), dataDirectory: directory.path + "/data", registry: registry,
            logger: logger)
        let group = ServiceGroup(services: [pipeline], logger: logger)
        let running = Task { try await group.run() }
        let dropped = try registry.counter(
            name: "vigil_logs_lines_dropped_total", help: "Log lines an output dropped, by reason.",
            labels: ["output": "out", "reason": "buffer_full"])
        let read = try registry.counter(name: "vigil_logs_lines_read_total", help: "Log lines read by an input.", labels: ["input": "files"])
        let sent = try registry.counter(
            name: "vigil_logs_lines_sent_total", help: "Log lines an output's receiver accepted.", labels: ["output": "out"])
        let allRead = await eventually(timeout: .seconds(300)) { read.value == 200 && dropped.value > 0 }
        #expect(allRead)
        try FileManager.default.createDirectory(atPath: directory.path + "/out", withIntermediateDirectories: true)
        // The batch the sender held while its segment was dropped is still delivered (and counted in both).
        let drained = await eventually(timeout: .seconds(300)) { sent.value + dropped.value >= 200 && sent.value > 0 }
        #expect(drained)
        await group.triggerGracefulShutdown()
        try await running.value
        let written = try String(contentsOfFile: target, encoding: .utf8).split(separator: "\n")
        #expect(written.count == Int(sent.value))
        // Lines arrive in order, each once, ending with the newest: what is missing was dropped from the oldest.
        let numbers = written.compactMap { Int($0.prefix { $0 != " " }) }
        #expect(numbers.count == written.count)
        let increasing = zip(numbers, numbers.dropFirst()).allSatisfy { $0 < $1 }
        #expect(increasing)
        #expect(numbers.last == 199)
        #expect(numbers.count < 200)
    }
}
