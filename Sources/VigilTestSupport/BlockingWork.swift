import Foundation

/// Runs `body`, CPU-heavy synchronous test work (fuzzing, codec round trips), on threads of its
/// own instead of Swift concurrency's cooperative pool, and returns its result.
///
/// The pool has one thread per core, two on a CI machine, and swift-testing runs every test as a
/// task on it: two long synchronous tests hold both threads, and every other test's tasks (a
/// lease renewal, an `eventually` poll) wait for them, until timing-bound tests fail at random.
/// Here the body runs in the same task, so `#expect` still reports to the running test, but on
/// one of ``BlockingWorkExecutor/shared``'s threads, which the kernel schedules beside the pool's.
public func offTheCooperativePool<T, Failure: Error>(_ body: () throws(Failure) -> T) async throws(Failure) -> T {
    try await withTaskExecutorPreference(BlockingWorkExecutor.shared) { () async throws(Failure) -> T in
        // The operation inherits the caller's executor; only a call to a concurrent function
        // moves the task to the preferred one.
        try await onPreferredExecutor(body)
    }
}

@concurrent
private func onPreferredExecutor<T, Failure: Error>(_ body: () throws(Failure) -> T) async throws(Failure) -> T {
    try body()
}

/// A task executor with a fixed number of threads of its own, for blocking work that must not
/// occupy the cooperative pool; see ``offTheCooperativePool(_:)``.
public final class BlockingWorkExecutor: TaskExecutor, @unchecked Sendable {
    /// Two threads: heavy tests run two at a time beside the pool, as many as the CI machine has cores.
    public static let shared = BlockingWorkExecutor(threads: 2)

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var next = 0

    /// Starts `threads` worker threads, which live as long as the process.
    public init(threads: Int) {
        for index in 0..<threads {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "blocking-work-\(index)"
            thread.stackSize = 16 << 20
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while next == jobs.count { condition.wait() }
            let job = jobs[next]
            next += 1
            if next == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                next = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
