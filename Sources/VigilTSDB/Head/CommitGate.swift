#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Makes "logged to the WAL" and "applied to the head" one step as seen by a head snapshot.
///
/// Commits and deletions log their records and then apply them, between ``enter()`` and ``leave()``. A snapshot
/// starts a new WAL segment inside ``closed(_:)``, which holds new passes back (in ``enter()``) and waits for the
/// running ones to finish, so every record in the segments before the new one is already in the
/// head when the snapshot reads it. A pass costs two atomic additions and a load; a closing is
/// rare (one per snapshot) and lasts one segment cut.
final class CommitGate: Sendable {
    private let running = Atomic<Int>(0)
    private let closing = Atomic<Bool>(false)
    /// One closer at a time.
    private let closers = Mutex<Void>(())

    /// Starts a pass: waits while a ``closed(_:)`` runs. Pair with ``leave()``.
    func enter() {
        while true {
            running.wrappingAdd(1, ordering: .sequentiallyConsistent)
            if !closing.load(ordering: .sequentiallyConsistent) { return }
            running.wrappingSubtract(1, ordering: .sequentiallyConsistent)
            while closing.load(ordering: .sequentiallyConsistent) { usleep(50) }
        }
    }

    /// Ends the pass ``enter()`` started.
    func leave() {
        running.wrappingSubtract(1, ordering: .sequentiallyConsistent)
    }

    /// Runs `body` once no pass is running, holding new passes back (in ``enter()``) until it returns.
    func closed<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        try closers.withLock { _ throws(E) -> R in
            closing.store(true, ordering: .sequentiallyConsistent)
            defer { closing.store(false, ordering: .sequentiallyConsistent) }
            while running.load(ordering: .sequentiallyConsistent) != 0 { usleep(50) }
            return try body()
        }
    }
}
