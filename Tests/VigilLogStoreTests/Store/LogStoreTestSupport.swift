import Synchronization
import VigilLogQL
import VigilLogStore
import VigilModel

/// A settable clock in nanoseconds for stores under test.
final class TestClock: Sendable {
    let now: Atomic<Int64>

    init(_ start: Int64 = 1_700_000_000_000_000_000) {
        now = Atomic(start)
    }

    func advance(seconds: Int64) { now.add(seconds * 1_000_000_000, ordering: .relaxed) }

    var current: Int64 { now.load(ordering: .relaxed) }

    var function: @Sendable () -> Int64 { { [self] in now.load(ordering: .relaxed) } }
}

extension LogStore {
    /// Every entry of the default tenant's streams matching `matchers`, per stream, forward.
    func entries(_ matchers: [LabelMatcher], start: Int64 = .min, end: Int64 = .max, substrings: [[UInt8]] = [], direction: LogDirection = .forward) throws -> [Labels: [LogEntry]] {
        var result: [Labels: [LogEntry]] = [:]
        try select(LogSelection(matchers: matchers, start: start, end: end, direction: direction, requiredSubstrings: substrings), tenant: options.defaultTenant) { batch in
            result[batch.labels, default: []].append(contentsOf: batch.entries)
            return true
        }
        return result
    }
}

/// Options with rate limits off and age checks relative to the test clock.
func testOptions() -> LogStoreOptions {
    var options = LogStoreOptions()
    options.walSync = false
    options.ingestionRate = 0
    options.perStreamRate = 0
    return options
}
