import VigilModel

/// The time source rule groups evaluate by; tests supply their own to drive evaluations
/// without sleeping.
public protocol RuleClock: Sendable {
    /// The current time in milliseconds since the epoch.
    func now() -> Int64
    /// Returns once the clock reaches `time` (ms); throws `CancellationError` when the task is cancelled.
    func sleep(until time: Int64) async throws
}

/// The wall clock.
public struct SystemRuleClock: RuleClock {
    /// The wall clock.
    public init() {}

    /// `Timestamps.now()`.
    public func now() -> Int64 { Timestamps.now() }

    /// Sleeps for the time left until `time`.
    public func sleep(until time: Int64) async throws {
        let remaining = time - now()
        if remaining > 0 { try await Task.sleep(for: .milliseconds(remaining)) }
        try Task.checkCancellation()
    }
}
