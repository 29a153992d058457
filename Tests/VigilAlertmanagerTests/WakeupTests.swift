import Testing
@testable import VigilAlertmanager

@Suite("Dispatch loop wake-ups")
struct WakeupTests {
    @Test("a signal before the wait is kept; a signal ends a long sleep early")
    func signals() async throws {
        let wakeup = Wakeup()
        wakeup.signal()
        await wakeup.wait()  // returns at once: the signal was pending
        let clock = ManualClock(t0)
        let sleeper = Task { try await wakeup.sleep(on: clock, until: t0 + 3600 * second) }
        try await Task.sleep(for: .milliseconds(20))
        wakeup.signal()
        try await sleeper.value
        #expect(clock.now() == t0)
    }

    @Test("cancellation ends the wait and the sleep throws")
    func cancellation() async {
        let wakeup = Wakeup()
        let sleeper = Task { try await wakeup.sleep(on: ManualClock(t0), until: t0 + second) }
        sleeper.cancel()
        let result = await sleeper.result
        #expect(throws: CancellationError.self) { try result.get() }
    }
}
