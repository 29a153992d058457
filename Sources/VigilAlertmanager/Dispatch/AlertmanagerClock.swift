import VigilModel

/// The time source the dispatcher, silences and notification log go by; tests supply their own
/// to move time by hand instead of sleeping. Times are nanoseconds since the epoch.
public protocol AlertmanagerClock: Sendable {
    /// The current time.
    func now() -> Int64
    /// Returns once the clock reaches `time`; throws `CancellationError` when the task is cancelled.
    func sleep(until time: Int64) async throws
}

/// The wall clock.
public struct SystemAlertmanagerClock: AlertmanagerClock {
    /// The wall clock.
    public init() {}

    /// Now, in nanoseconds since the epoch.
    public func now() -> Int64 { Timestamps.now() * 1_000_000 }

    /// Sleeps for the time left until `time`.
    public func sleep(until time: Int64) async throws {
        let remaining = time - now()
        if remaining > 0 { try await Task.sleep(for: .nanoseconds(remaining)) }
        try Task.checkCancellation()
    }
}
