import Foundation

/// Runs blocking `body` (polling a child process, `waitUntilExit`, reading a pipe) on a thread of
/// its own and awaits its result.
///
/// Swift concurrency's pool has one thread per core — two on a CI machine — and swift-testing
/// runs suites in parallel: two tests that block their threads for seconds stall every other
/// test's tasks for as long, until unrelated waits time out.
public func onDedicatedThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.start()
    }
}
