import Logging
import Synchronization
import VigilModel
@testable import VigilScrape

/// A clock the tests move by hand: 1 s per reading, starting at 1_000 s.
final class StepClock: Sendable {
    private let nanoseconds = Atomic<Int64>(999_000_000_000)

    var read: @Sendable () -> Int64 {
        { [self] in nanoseconds.add(1_000_000_000, ordering: .relaxed).newValue }
    }
}

/// Helpers shared by the Pushgateway store suites.
enum PushgatewayFixtures {
    static var quietLogger: Logger {
        var logger = Logger(label: "pushgateway-test")
        logger.logLevel = .critical
        return logger
    }

    static func key(_ path: String) throws -> GroupingKey {
        try GroupingKey.parse(path: path)
    }

    static func body(_ text: String) throws -> PushBody {
        try PushBody.decode(Array(text.utf8))
    }

    /// The exposition without the push time gauges, whose values move.
    static func text(_ store: PushgatewayStore) async -> String {
        String(decoding: await store.exposition().text, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("push_time_seconds") && !$0.contains("push_failure_time_seconds") }
            .joined(separator: "\n")
    }

    /// `push(_:to:replace:)`, returning the error instead of throwing it.
    static func push(_ store: PushgatewayStore, _ path: String, _ text: String, replace: Bool = true) async throws -> PushgatewayError? {
        let key = try key(path)
        let body = try body(text)
        do {
            try await store.push(body, to: key, replace: replace)
            return nil
        } catch {
            return error
        }
    }
}
