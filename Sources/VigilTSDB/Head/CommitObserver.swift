public import VigilModel
import Synchronization

/// Receives every sample the head stores, right after the commit that stored it: the feed of the
/// remote-write queues.
///
/// ``didCommit(_:)`` runs on the committing task, after the WAL write and before `commit()`
/// returns, so a sample acknowledged to a client has been handed to every observer. Keep it
/// short: append to a buffer or log, never wait on the network.
public protocol CommitObserver: Sendable {
    /// The samples one commit stored, in commit order.
    func didCommit(_ samples: CommittedSamples)
}

/// The samples of one commit, each with its series' ref and labels.
public struct CommittedSamples {
    let series: [MemSeries]
    let samples: [RefSample]

    /// How many samples were stored.
    public var count: Int { samples.count }

    /// Calls `body` with each sample's series ref, labels, timestamp (ms) and value.
    public func forEach(_ body: (SeriesRef, Labels, Int64, Double) throws -> Void) rethrows {
        for index in samples.indices {
            let sample = samples[index]
            try body(sample.ref, series[index].labels, sample.timestamp, sample.value)
        }
    }
}

/// The observers of one head, read on every commit.
final class CommitObservers: Sendable {
    private let observers = Mutex<[(id: Int, observer: any CommitObserver)]>([])
    private let nextID = Atomic<Int>(0)
    private let active = Atomic<Bool>(false)

    var isEmpty: Bool { !active.load(ordering: .relaxed) }

    func add(_ observer: any CommitObserver) -> Int {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).newValue
        observers.withLock {
            $0.append((id, observer))
            active.store(true, ordering: .relaxed)
        }
        return id
    }

    func remove(_ id: Int) {
        observers.withLock {
            $0.removeAll { $0.id == id }
            active.store(!$0.isEmpty, ordering: .relaxed)
        }
    }

    func notify(_ samples: CommittedSamples) {
        for entry in observers.withLock({ $0 }) { entry.observer.didCommit(samples) }
    }
}

extension TSDB {
    /// Starts feeding `observer` every committed sample; returns a token for ``removeCommitObserver(_:)``.
    public func addCommitObserver(_ observer: any CommitObserver) -> Int {
        head.commitObservers.add(observer)
    }

    /// Stops feeding the observer registered under `token`.
    public func removeCommitObserver(_ token: Int) {
        head.commitObservers.remove(token)
    }
}
