import Synchronization
import Testing
@testable import VigilServer

/// Counters shared by the concurrent tasks of a test.
private final class GateCounters: Sendable {
    let inside = Atomic<Int>(0)
    let peak = Atomic<Int>(0)
    let finished = Atomic<Int>(0)
}

@Suite struct ConcurrentQueryLimitTests {
    @Test func admitsAtMostTheLimitAtOnceAndRunsAll() async throws {
        let gate = QueryGate(limit: 3)
        let counters = GateCounters()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<24 {
                group.addTask {
                    _ = try await gate.run { () throws(APIError) -> Int in
                        let now = counters.inside.wrappingAdd(1, ordering: .relaxed).newValue
                        var seen = counters.peak.load(ordering: .relaxed)
                        while now > seen {
                            let (exchanged, original) = counters.peak.compareExchange(expected: seen, desired: now, ordering: .relaxed)
                            if exchanged { break }
                            seen = original
                        }
                        // Hold the slot long enough for others to pile up behind it.
                        var spin = 0
                        for index in 0..<200_000 { spin &+= index }
                        counters.inside.wrappingSubtract(1, ordering: .relaxed)
                        counters.finished.wrappingAdd(1, ordering: .relaxed)
                        return spin
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(counters.finished.load(ordering: .relaxed) == 24)
        #expect(counters.peak.load(ordering: .relaxed) <= 3)
        #expect(counters.peak.load(ordering: .relaxed) >= 1)
    }

    @Test func errorsPassThroughAndFreeTheSlot() async throws {
        let gate = QueryGate(limit: 1)
        await #expect(throws: APIError.self) {
            try await gate.run { () throws(APIError) -> Int in throw APIError(.badData, "no") }
        }
        #expect(try await gate.run { () throws(APIError) -> Int in 7 } == 7)
    }
}
