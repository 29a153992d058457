import Synchronization

/// Wakes the dispatch loop early: when alerts arrive (a new group may fall due before the loop's
/// planned wake-up) or a flush ends. One waiter at a time; a signal with no waiter is remembered.
final class Wakeup: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Wakes the waiter, or the next one to wait.
    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns at the next signal (at once if one is pending) or when the task is cancelled.
    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            signal()
        }
    }

    /// Sleeps on `clock` until `time`, or less if signalled; throws when the task is cancelled.
    func sleep(on clock: any AlertmanagerClock, until time: Int64) async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await clock.sleep(until: time) }
            group.addTask { await self.wait() }
            await group.next()
            group.cancelAll()
        }
        try Task.checkCancellation()
    }
}
