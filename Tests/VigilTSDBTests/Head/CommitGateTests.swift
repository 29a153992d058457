import Foundation
import Synchronization
import Testing
@testable import VigilTSDB
import VigilTestSupport

/// The gate between commits (log, then apply) and the segment cut that starts a head snapshot.
@Suite struct CommitGateTests {
    /// A closing waits for the pass that entered before it, and a pass entering during the
    /// closing waits for it to end.
    @Test func closingWaitsForRunningPassesAndHoldsNewOnesBack() async throws {
        try await offTheCooperativePool { try checkOrdering() }
    }

    private func checkOrdering() throws {
        let gate = CommitGate()
        let events = Mutex<[String]>([])
        let entered = Atomic(false)
        gate.enter()
        let first = Thread {
            entered.store(true, ordering: .sequentiallyConsistent)
            usleep(50_000)
            events.withLock { $0.append("first pass left") }
            gate.leave()
        }
        first.start()
        while !entered.load(ordering: .sequentiallyConsistent) { usleep(100) }
        let closing = Atomic(false)
        let second = Thread {
            while !closing.load(ordering: .sequentiallyConsistent) { usleep(100) }
            usleep(10_000)  // well inside the closing below, which lasts 60 ms
            gate.enter()
            events.withLock { $0.append("second pass entered") }
            gate.leave()
        }
        second.start()
        gate.closed {
            closing.store(true, ordering: .sequentiallyConsistent)
            events.withLock { $0.append("closed") }
            usleep(60_000)
            events.withLock { $0.append("reopened") }
        }
        while !second.isFinished || !first.isFinished { usleep(1000) }
        #expect(events.withLock { $0 } == ["first pass left", "closed", "reopened", "second pass entered"])
    }
}
