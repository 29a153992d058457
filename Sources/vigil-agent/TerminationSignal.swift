import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// SIGTERM and SIGINT as something to wait for.
enum TerminationSignal {
    /// Returns on the first SIGTERM or SIGINT, or when the task is cancelled.
    static func wait() async {
        let latch = SignalLatch()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                latch.arm(continuation)
                for number in [SIGTERM, SIGINT] {
                    signal(number, SIG_IGN)
                    let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                    source.setEventHandler { latch.fire() }
                    source.resume()
                    latch.keep(source)
                }
            }
        } onCancel: {
            latch.fire()
        }
    }
}

/// Resumes its continuation once — at the first signal, or at once if fired before it was
/// armed — and keeps the signal sources alive.
final class SignalLatch: Sendable {
    private struct State: @unchecked Sendable {
        var continuation: CheckedContinuation<Void, Never>?
        var fired = false
        var sources: [any DispatchSourceSignal] = []
    }

    private let state = Mutex(State())

    func arm(_ continuation: CheckedContinuation<Void, Never>) {
        let resumeNow = state.withLock { state -> Bool in
            if state.fired { return true }
            state.continuation = continuation
            return false
        }
        if resumeNow { continuation.resume() }
    }

    func keep(_ source: any DispatchSourceSignal) {
        state.withLock { $0.sources.append(source) }
    }

    func fire() {
        let pending = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.fired = true
            defer { state.continuation = nil }
            return state.continuation
        }
        pending?.resume()
    }
}
