#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A thread that runs `action` every `interval` until stopped or until `action` returns false;
/// owned by one WAL, stopped by its `close()`.
internal final class IntervalFlusher: Sendable {
    let intervalNanoseconds: Int64
    let action: @Sendable () -> Bool
    let stopped = Atomic<Bool>(false)
    let thread = Mutex<pthread_t?>(nil)

    init(interval: Duration, action: @escaping @Sendable () -> Bool) {
        let (seconds, attoseconds) = interval.components
        intervalNanoseconds = max(1_000_000, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        self.action = action
        var handle = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let result = pthread_create(&handle, nil, { context in
            let flusher = Unmanaged<IntervalFlusher>.fromOpaque(context!).takeRetainedValue()
            flusher.run()
            return nil
        }, context)
        if result == 0 {
            thread.withLock { $0 = handle }
        } else {
            Unmanaged<IntervalFlusher>.fromOpaque(context).release()
        }
    }

    private func run() {
        // Sleep in short steps so stop() never waits a whole interval.
        let step = min(intervalNanoseconds, 20_000_000)
        var slept: Int64 = 0
        while !stopped.load(ordering: .acquiring) {
            var request = timespec(tv_sec: 0, tv_nsec: Int(step))
            nanosleep(&request, nil)
            slept += step
            if slept >= intervalNanoseconds {
                slept = 0
                if !action() { return }
            }
        }
    }

    /// Stops the thread; with `join`, waits for it (never call with `join` from the thread itself).
    func stop(join: Bool) {
        stopped.store(true, ordering: .releasing)
        guard let handle = thread.withLock({ value -> pthread_t? in defer { value = nil }; return value }) else { return }
        if join && pthread_self() != handle {
            pthread_join(handle, nil)
        } else {
            pthread_detach(handle)
        }
    }
}
