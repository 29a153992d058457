import Foundation
import Logging
import Synchronization
import Testing
import VigilConfig
import VigilModel
import VigilTestSupport
@testable import VigilLogs

/// A failing input is started again, from its newest buffered checkpoint, and counted; only a
/// failure of the buffers themselves ends it.
@Suite struct InputSupervisorTests {
    struct Failure: Error {}

    /// An input that runs `body` with its starting checkpoint.
    struct ScriptedInput: PushedInput {
        let checkpoint: InputCheckpoint?
        let body: @Sendable (InputCheckpoint?) async throws -> Void
        func run() async throws { try await body(checkpoint) }
    }

    static func supervisor(_ harness: InputHarness, restarts: Counter) -> InputSupervisor {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        var supervisor = InputSupervisor(name: "in", writer: harness.writer, restarts: restarts, logger: logger)
        supervisor.initialDelay = .milliseconds(10)
        supervisor.maximumDelay = .milliseconds(40)
        return supervisor
    }

    static func frame(_ line: String, sequence: UInt64) -> FrameWriter.Pending {
        FrameWriter.Pending(
            labels: [("job", "kernel")], records: [LogRecord(timestamp: 1, line: Array(line.utf8))],
            checkpoint: .kmsg(input: "in", bootID: "boot-1", sequence: sequence))
    }

    @Test func aFailedInputStartsAgainFromItsNewestCheckpoint() async throws {
        let directory = try TemporaryDirectory()
        let harness = try InputHarness(directory: directory.path)
        let restarts = try harness.registry.counter(name: "restarts_total", help: "test")
        let starts = Mutex<[InputCheckpoint?]>([])
        let supervisor = Self.supervisor(harness, restarts: restarts)
        try await supervisor.run { checkpoint in
            ScriptedInput(checkpoint: checkpoint) { checkpoint in
                let run = starts.withLock { $0.append(checkpoint); return $0.count }
                try harness.writer.append([Self.frame("line \(run)", sequence: UInt64(run) * 10)])
                // Two failures, then a run that ends (as a journal input without journalctl does).
                if run < 3 { throw Failure() }
            }
        }
        #expect(harness.texts == ["line 1", "line 2", "line 3"])
        #expect(restarts.value == 2)
        let seen = starts.withLock { $0 }
        #expect(seen.count == 3)
        #expect(seen[0] == nil)
        #expect(seen[1] == .kmsg(input: "in", bootID: "boot-1", sequence: 10))
        #expect(seen[2] == .kmsg(input: "in", bootID: "boot-1", sequence: 20))
    }

    @Test func aFailedBufferIsNotRetried() async throws {
        let directory = try TemporaryDirectory()
        let harness = try InputHarness(directory: directory.path)
        let restarts = try harness.registry.counter(name: "restarts_total", help: "test")
        harness.buffer.close()
        let supervisor = Self.supervisor(harness, restarts: restarts)
        await #expect(throws: LogsError.self) {
            try await supervisor.run { checkpoint in
                ScriptedInput(checkpoint: checkpoint) { _ in try harness.writer.append([Self.frame("lost", sequence: 1)]) }
            }
        }
        #expect(harness.writer.hasFailed)
        #expect(restarts.value == 0)
    }

    @Test func cancellingStopsTheRetries() async throws {
        let directory = try TemporaryDirectory()
        let harness = try InputHarness(directory: directory.path)
        let restarts = try harness.registry.counter(name: "restarts_total", help: "test")
        let supervisor = Self.supervisor(harness, restarts: restarts)
        let running = Task {
            try await supervisor.run { checkpoint in ScriptedInput(checkpoint: checkpoint) { _ in throw Failure() } }
        }
        let retried = await eventually { restarts.value >= 3 }
        #expect(retried)
        running.cancel()
        try await running.value
    }

    /// In a pipeline: a kernel-log input that cannot open its device keeps being retried while
    /// the file input beside it ships, and reads once the device is there.
    @Test func oneFailingInputDoesNotStopTheOthers() async throws {
        let directory = try TemporaryDirectory()
        let kmsg = directory.path + "/kmsg"
        let bootID = try directory.write("boot_id", "b1\n")
        try "2026-01-01T00:00:00Z stdout F from a file\n".write(toFile: directory.path + "/app.log", atomically: false, encoding: .utf8)
        let output = directory.path + "/out.log"
        let yaml = """
            logs:
              inputs:
                - {type: kmsg, name: kernel, path: '\(kmsg)', boot_id_path: '\(bootID)'}
                - {name: files, paths: ['\(directory.path)/*.log'], format: cri, read_from_head: true}
              outputs:
                - {type: file, path: '\(output)', batch_wait: 20ms}
            """
        let pipeline = try RunningPipeline(yaml: yaml, dataDirectory: directory.path + "/data")
        let registry = pipeline.registry
        let shipped = { (text: String) in ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").contains(text) }
        let restarts = try registry.counter(
            name: "vigil_logs_input_restarts_total", help: "Times an input (other than files) failed and was started again.",
            labels: ["input": "kernel"])
        #expect(await eventually(timeout: .seconds(300)) { restarts.value >= 1 && shipped("from a file") })
        _ = try directory.write("kmsg", "6,1,10,-;eth0: link up\n")
        #expect(await eventually(timeout: .seconds(300)) { shipped("eth0: link up") })
        try await pipeline.stop()
    }
}
