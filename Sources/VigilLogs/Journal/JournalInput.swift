#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging
import VigilModel
import VigilCollectors
import VigilConfig

/// A `type: journal` input: runs `journalctl -o export -f` from the checkpointed cursor (or
/// `--since now` the first time), parses the export stream (``JournalExportParser``), and
/// checkpoints each buffered entry's `__CURSOR` the way a file input checkpoints an offset.
///
/// Without `journalctl` the input logs that it is skipped and does nothing. When `journalctl`
/// exits it is started again (after a second) from the newest buffered cursor.
struct JournalInput: PushedInput {
    let config: JournalInputConfig
    let context: InputContext
    let startCursor: String?
    /// A batch this large is written without waiting for the stream to pause.
    static let flushBytes = 1 << 20
    static let restartDelay = Duration.seconds(1)

    init(config: JournalInputConfig, context: InputContext, checkpoint: InputCheckpoint?) {
        self.config = config
        self.context = context
        if case .journal(_, let cursor) = checkpoint { startCursor = cursor } else { startCursor = nil }
    }

    /// `journalctl`'s arguments when resuming after `cursor` (nil: from now).
    func arguments(after cursor: String?) -> [String] {
        var arguments = ["--output=export", "--follow", "--no-pager"]
        if let cursor { arguments.append("--after-cursor=" + cursor) } else { arguments.append("--since=now") }
        if let directory = config.directory { arguments.append("--directory=" + directory) }
        for unit in config.units { arguments.append("--unit=" + unit) }
        return arguments
    }

    func run() async throws {
        guard let executable = Subprocess.find(config.journalctl) else {
            context.logger.warning("journalctl not found; the journal input is skipped", metadata: [
                "input": "\(config.name)", "journalctl": "\(config.journalctl)",
            ])
            return
        }
        var cursor = startCursor
        while !Task.isCancelled {
            let arguments = arguments(after: cursor)
            context.logger.info("Journal input started", metadata: [
                "input": "\(config.name)", "command": "\(([executable] + arguments).joined(separator: " "))",
            ])
            cursor = try await follow(executable, arguments, from: cursor)
            guard !Task.isCancelled else { break }
            try? await Task.sleep(for: Self.restartDelay)
        }
    }

    /// Runs one `journalctl` until it exits or the task is cancelled; returns the newest cursor buffered.
    private func follow(_ executable: String, _ arguments: [String], from cursor: String?) async throws -> String? {
        var cursor = cursor
        let process: StreamingProcess
        do {
            process = try StreamingProcess(executable, arguments)
        } catch {
            context.logger.error("Cannot start journalctl", metadata: ["input": "\(config.name)", "err": "\(error)"])
            return cursor
        }
        defer { process.terminate() }
        var parser = JournalExportParser(maxEntrySize: Int(config.maxEntrySize.bytes))
        var batch = RecordBatch(baseLabels: config.labels, ordered: true, chain: context.chain)
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while !Task.isCancelled {
            let count = process.read(into: &chunk)
            if count > 0 {
                parser.append(chunk[0..<count])
                do {
                    while let entry = try parser.next() {
                        guard let entryCursor = entry.text("__CURSOR") else {
                            context.reject("malformed", "a journal entry has no __CURSOR")
                            continue
                        }
                        cursor = entryCursor
                        let checkpoint = InputCheckpoint.journal(input: config.name, cursor: entryCursor)
                        guard !entry.isOversized else {
                            context.reject("too_large", "journal entry \(entryCursor) exceeds max_entry_size")
                            // Still carry the cursor forward, so the entry is not read again.
                            if batch.isEmpty {
                                await context.waitUntilWritable()
                                try context.writer.append([
                                    FrameWriter.Pending(labels: [], records: [], checkpoint: checkpoint),
                                ])
                            }
                            continue
                        }
                        let (record, labels) = Self.record(entry)
                        context.metrics.linesRead.increment()
                        batch.add(record, labels: labels, checkpoint: checkpoint)
                    }
                } catch {
                    context.reject("malformed", "journalctl output: \(error); restarting it")
                    break
                }
                if batch.bytes < Self.flushBytes { continue }
            }
            if !batch.isEmpty {
                await context.waitUntilWritable()
                try context.writer.append(batch.take())
            }
            if count == 0 {
                let status = process.exitStatus()
                context.logger.warning("journalctl exited; restarting it", metadata: [
                    "input": "\(config.name)", "status": "\(status)",
                ])
                return cursor
            }
            if count < 0 { try? await Task.sleep(for: .milliseconds(200)) }
        }
        if !batch.isEmpty { try context.writer.append(batch.take()) }
        return cursor
    }

    /// The line is `MESSAGE`; labels `unit`, `hostname`, `app_name` (`SYSLOG_IDENTIFIER`),
    /// `severity` and `facility` (from `PRIORITY` and `SYSLOG_FACILITY`); the time is
    /// `__REALTIME_TIMESTAMP`.
    static func record(_ entry: JournalExportParser.Entry) -> (LogRecord, [String: String]) {
        var labels: [String: String] = [:]
        if let unit = entry.text("_SYSTEMD_UNIT") { labels["unit"] = unit }
        if let hostname = entry.text("_HOSTNAME") { labels["hostname"] = hostname }
        if let identifier = entry.text("SYSLOG_IDENTIFIER") { labels["app_name"] = identifier }
        if let priority = entry.text("PRIORITY").flatMap({ Int($0) }), (0...7).contains(priority) {
            labels["severity"] = SyslogPriority.severityNames[priority]
        }
        if let facility = entry.text("SYSLOG_FACILITY").flatMap({ Int($0) }), (0..<SyslogPriority.facilityNames.count).contains(facility) {
            labels["facility"] = SyslogPriority.facilityNames[facility]
        }
        let micros = entry.text("__REALTIME_TIMESTAMP").flatMap({ Int64($0) })
        let timestamp = micros.map { $0 * 1000 } ?? WallClock.nanoseconds()
        return (LogRecord(timestamp: timestamp, line: entry.value("MESSAGE") ?? []), labels)
    }
}

/// A child process whose standard output is read without blocking; standard input and error are
/// `/dev/null`. Terminated (SIGTERM, then reaped) by ``terminate()``.
final class StreamingProcess {
    let pid: pid_t
    private let output: Int32
    private var reaped = false
    private var status: Int32 = 0

    init(_ executable: String, _ arguments: [String]) throws(LogsError) {
        var ends: [Int32] = [0, 0]
        // Both ends close on exec: a write end inherited by some other child would keep the pipe
        // open after journalctl exits, and its end would never be seen. The child's dup2 to
        // standard output clears the flag on its copy.
        guard pipe(&ends) == 0 else { throw LogsError("pipe: \(PosixFile.errorText())") }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[0], F_SETFL, O_NONBLOCK)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, ends[1])
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        Glibc.close(ends[1])
        guard spawned == 0 else {
            Glibc.close(ends[0])
            throw LogsError("cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
        self.output = ends[0]
    }

    /// Bytes read into `buffer`: > 0 data, 0 end of output, < 0 nothing available now.
    func read(into buffer: inout [UInt8]) -> Int {
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(output, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            return count < 0 ? -1 : count
        }
    }

    /// Waits for the process to exit and returns its wait status.
    func exitStatus() -> Int32 {
        if !reaped {
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            reaped = true
        }
        return status
    }

    func terminate() {
        if !reaped {
            kill(pid, SIGTERM)
            _ = exitStatus()
        }
        Glibc.close(output)
    }
}
