import Logging
import Synchronization
import VigilDiscovery
import VigilTestSupport

/// Keeps every value something sent (a discovery provider's groups, a manager's updates, log
/// lines) so that a test can wait for the one it expects.
final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])

    func record(_ value: Value) {
        values.withLock { $0.append(value) }
    }

    /// Everything recorded, oldest first.
    var all: [Value] { values.withLock { $0 } }

    var last: Value? { values.withLock { $0.last } }

    /// The newest value once it satisfies `predicate`, or `nil` if none does within `timeout`.
    func waitForLast(timeout: Duration = .seconds(120), _ predicate: (Value) -> Bool) async -> Value? {
        var found: Value? = nil
        _ = await eventually(timeout: timeout) {
            guard let last, predicate(last) else { return false }
            found = last
            return true
        }
        return found
    }
}

extension DiscoveryProvider {
    /// Runs the provider while `body` runs; `body` gets what it has sent so far.
    func whileRunning<T>(_ body: (Recorder<[TargetGroup]>) async throws -> T) async throws -> T {
        let sent = Recorder<[TargetGroup]>()
        let task = Task { await run { sent.record($0) } }
        let result: Result<T, any Error>
        do {
            result = .success(try await body(sent))
        } catch {
            result = .failure(error)
        }
        task.cancel()
        await task.value
        return try result.get()
    }
}

/// A `LogHandler` that records each message with its metadata as `message key=value …`
/// (keys sorted), so tests can check what a component reports.
struct RecordingLogHandler: LogHandler {
    let lines: Recorder<String>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String,
        file: String, function: String, line: UInt
    ) {
        let all = metadata.merging(extra ?? [:]) { $1 }
        lines.record(([message.description] + all.keys.sorted().map { "\($0)=\(all[$0]!)" }).joined(separator: " "))
    }

    /// A logger whose lines land in `lines`.
    static func logger(_ lines: Recorder<String>) -> Logger {
        Logger(label: "test") { _ in RecordingLogHandler(lines: lines) }
    }
}

/// A logger that says nothing (the components under test log their failures loudly).
let quietLogger: Logger = {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return logger
}()
