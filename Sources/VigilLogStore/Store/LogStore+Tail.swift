import Synchronization
public import VigilLogQL
public import VigilModel

extension LogStore {
    /// Entries appended to `tenant`'s streams from now on, one batch per stream per push, for
    /// Loki's `tail`. The stream ends when the store closes or the caller stops iterating.
    ///
    /// A slow reader loses the oldest batches beyond `buffer`; pushes never wait for readers.
    public func subscribe(tenant: String? = nil, buffer: Int = 1024) -> AsyncStream<LogStreamBatch> {
        subscribeCountingDrops(tenant: tenant, buffer: buffer).batches
    }

    /// ``subscribe(tenant:buffer:)`` with a record of the entries lost because the reader fell
    /// more than `buffer` batches behind, which the tail API reports as `dropped_entries`.
    public func subscribeCountingDrops(tenant: String? = nil, buffer: Int = 1024)
        -> (batches: AsyncStream<LogStreamBatch>, drops: LogTailDrops)
    {
        let tenant = tenant ?? options.defaultTenant
        let drops = LogTailDrops()
        let (stream, continuation) = AsyncStream<LogStreamBatch>.makeStream(bufferingPolicy: .bufferingNewest(buffer))
        let id: UInt64? = state.withLock { state in
            guard !state.closed else { return nil }
            let id = state.nextSubscriber
            state.nextSubscriber += 1
            state.subscribers[id] = Subscriber(tenant: tenant, continuation: continuation, drops: drops)
            return id
        }
        guard let id else {
            continuation.finish()
            return (stream, drops)
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
        }
        return (stream, drops)
    }
}

/// Entries a tail subscriber lost by falling behind: each one's stream labels and timestamp, as
/// Loki's `dropped_entries` lists them. Keeps at most `capacity` (the newest) between reads, and
/// counts the rest, so a stalled reader cannot make it grow without bound.
public final class LogTailDrops: Sendable {
    /// Most dropped entries kept between two ``take()`` calls.
    public static let capacity = 1_000

    private struct State {
        var entries: [(labels: Labels, timestamp: Int64)] = []
        var total = 0
    }
    private let state = Mutex(State())

    init() {}

    func record(_ batch: LogStreamBatch) {
        state.withLock { state in
            state.total += batch.entries.count
            for entry in batch.entries.suffix(Self.capacity) {
                state.entries.append((batch.labels, entry.timestamp))
            }
            if state.entries.count > Self.capacity { state.entries.removeFirst(state.entries.count - Self.capacity) }
        }
    }

    /// Entries dropped since the last call, oldest first.
    public func take() -> [(labels: Labels, timestamp: Int64)] {
        state.withLock { state in
            defer { state.entries = [] }
            return state.entries
        }
    }

    /// Entries dropped since the subscription began, including those beyond ``capacity``.
    public var total: Int { state.withLock { $0.total } }
}
