import Synchronization
public import VigilLogQL

extension LogStore {
    /// Entries appended to `tenant`'s streams from now on, one batch per stream per push, for
    /// Loki's `tail`. The stream ends when the store closes or the caller stops iterating.
    ///
    /// A slow reader loses the oldest batches beyond `buffer` (the tail API reports them as
    /// dropped); pushes never wait for readers.
    public func subscribe(tenant: String? = nil, buffer: Int = 1024) -> AsyncStream<LogStreamBatch> {
        let tenant = tenant ?? options.defaultTenant
        let (stream, continuation) = AsyncStream<LogStreamBatch>.makeStream(bufferingPolicy: .bufferingNewest(buffer))
        let id: UInt64? = state.withLock { state in
            guard !state.closed else { return nil }
            let id = state.nextSubscriber
            state.nextSubscriber += 1
            state.subscribers[id] = Subscriber(tenant: tenant, continuation: continuation)
            return id
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }
}
