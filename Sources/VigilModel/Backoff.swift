/// Exponential backoff with full jitter: each failure doubles the ceiling (from `initial` up to
/// `maximum`) and the wait is drawn uniformly below it, so many clients restarting together do
/// not hit the API server in step. A success resets it.
public struct Backoff: Sendable, Hashable {
    /// The first ceiling.
    public var initial: Duration
    /// The largest ceiling.
    public var maximum: Duration
    private var ceiling: Duration

    /// A backoff from `initial` doubling up to `maximum`.
    public init(initial: Duration = .milliseconds(800), maximum: Duration = .seconds(30)) {
        self.initial = initial
        self.maximum = maximum
        ceiling = initial
    }

    /// The wait before the next attempt; doubles the ceiling for the one after.
    public mutating func next<G: RandomNumberGenerator>(using generator: inout G) -> Duration {
        let current = ceiling
        ceiling = min(ceiling * 2, maximum)
        let nanoseconds = Double(current.components.seconds) * 1e9 + Double(current.components.attoseconds) / 1e9
        // Half fixed, half random: never zero, never more than the ceiling.
        let wait = nanoseconds / 2 + Double.random(in: 0...(nanoseconds / 2), using: &generator)
        return .nanoseconds(Int64(wait))
    }

    /// The wait before the next attempt, with the system's random numbers.
    public mutating func next() -> Duration {
        var generator = SystemRandomNumberGenerator()
        return next(using: &generator)
    }

    /// Back to `initial` after a success.
    public mutating func reset() {
        ceiling = initial
    }
}
