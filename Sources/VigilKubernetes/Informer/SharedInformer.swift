public import Logging
import Synchronization
import VigilModel

/// One list-and-watch of one resource (in one namespace, with one pair of selectors) shared by
/// any number of consumers: discovery, the event watcher, metadata enrichment.
///
/// The loop lists (following continue tokens), then watches from the list's resource version
/// with bookmarks. It lists again — and reconciles the new list against its store, so that each
/// consumer sees every change exactly once — when the version expired (HTTP 410, or an ERROR
/// event with a 410 Status), when a watch closes early without sending anything, and when a
/// watch stalls. Other failures are retried with exponential backoff and jitter. Events whose
/// object has the resource version the store already holds are dropped, so a replay after a
/// reconnect never doubles a change.
///
/// The loop runs while at least one consumer iterates ``updates()``; it stops, and forgets its
/// store, when the last one goes away.
public final class SharedInformer<Object: KubernetesObject>: Sendable {
    /// The namespace watched; nil for all namespaces (and for cluster-scoped resources).
    public let namespace: String?
    /// The selectors.
    public let options: ListOptions
    let client: KubernetesClient
    let settings: InformerSettings
    /// Whether the store holds the objects; see ``init(client:namespace:options:settings:keepsObjects:logger:)``.
    let keepsObjects: Bool
    let logger: Logger

    private struct State: Sendable {
        var store: [ObjectKey: Object] = [:]
        var synced = false
        var resourceVersion: String? = nil
        var subscribers: [Int: Subscriber] = [:]
        var nextID = 0
        var task: Task<Void, Never>? = nil
        var statistics = InformerStatistics()
        /// Bumped for every loop started, so a cancelled loop still finishing cannot touch the store.
        var generation = 0
    }

    private struct Subscriber: Sendable {
        var continuation: AsyncStream<InformerUpdate<Object>>.Continuation
        var wantsStore: Bool
    }

    private let state = Mutex(State())

    /// An informer of `Object` in `namespace` selected by `options` (its `limit` is ignored:
    /// pages follow `settings.pageSize`). Nothing runs until someone asks for ``updates()``.
    ///
    /// `keepsObjects: false` keeps no store, so memory does not grow with the objects on the
    /// server (a cluster's events: every one of the last hour). Then a list reports every item as
    /// `added`, a watch's MODIFIED is an `updated` whose `old` is the new object, deletions come
    /// only from the watch, and unchanged objects are not filtered out: the consumer deduplicates
    /// (the event watcher's bounded deduplicator does).
    public init(
        client: KubernetesClient, namespace: String?, options: ListOptions = ListOptions(),
        settings: InformerSettings = InformerSettings(), keepsObjects: Bool = true, logger: Logger
    ) {
        self.client = client
        self.keepsObjects = keepsObjects
        self.namespace = Object.resource.namespaced ? namespace : nil
        var options = options
        options.limit = settings.pageSize
        self.options = options
        self.settings = settings
        self.logger = logger
    }

    /// The changes from now on. If the informer has synced, the first update replays the store as
    /// `added` events; otherwise the first update is the initial list. The stream ends when the
    /// informer is shut down; stop iterating (cancel) to unsubscribe.
    ///
    /// `withStore: false` leaves each update's ``InformerUpdate/store`` empty: a consumer that
    /// only needs the changes (the event watcher) then holds no reference to the store, which
    /// the next change would otherwise copy whole (copy-on-write), making a busy watch quadratic.
    public func updates(withStore: Bool = true) -> AsyncStream<InformerUpdate<Object>> {
        let (stream, continuation) = AsyncStream.makeStream(of: InformerUpdate<Object>.self)
        let id: Int = state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.subscribers[id] = Subscriber(continuation: continuation, wantsStore: withStore)
            if state.synced {
                let events = state.store.keys.sorted().map { InformerEvent.added(state.store[$0]!) }
                continuation.yield(InformerUpdate(events: events, store: withStore ? state.store : [:]))
            }
            if state.task == nil {
                state.generation += 1
                let generation = state.generation
                state.task = Task { await self.run(generation: generation) }
            }
            return id
        }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
        return stream
    }

    private func unsubscribe(_ id: Int) {
        let task: Task<Void, Never>? = state.withLock { state in
            state.subscribers[id] = nil
            guard state.subscribers.isEmpty, let task = state.task else { return nil }
            state.task = nil
            state.store = [:]
            state.synced = false
            state.resourceVersion = nil
            return task
        }
        task?.cancel()
    }

    /// Ends every consumer's stream and stops the loop.
    public func shutdown() {
        let (subscribers, task) = state.withLock { state in
            let result = (Array(state.subscribers.values), state.task)
            state.subscribers = [:]
            state.task = nil
            return result
        }
        task?.cancel()
        for subscriber in subscribers { subscriber.continuation.finish() }
    }

    /// The objects held now, by `namespace/name`.
    public var store: [ObjectKey: Object] { state.withLock { $0.store } }

    /// Whether the first list has been applied.
    public var hasSynced: Bool { state.withLock { $0.synced } }

    /// What the loop has done so far.
    public var statistics: InformerStatistics { state.withLock { $0.statistics } }

    /// Lists and watches until cancelled.
    func run(generation: Int) async {
        var backoff = settings.backoff
        var generator = SystemRandomNumberGenerator()
        let resource = "\(Object.resource)" + (namespace.map { " in \($0)" } ?? "")
        while !Task.isCancelled {
            do {
                if state.withLock({ $0.resourceVersion }) == nil {
                    let (items, version) = try await client.list(Object.self, namespace: namespace, options: options)
                    if Task.isCancelled { return }
                    reconcile(items, resourceVersion: version, generation: generation)
                }
                guard let version = state.withLock({ $0.resourceVersion }) else { continue }
                let timeout = Int.random(in: settings.watchTimeoutSeconds, using: &generator)
                let started = ContinuousClock.now
                state.withLock { $0.statistics.watches += 1 }
                let end = try await client.watch(
                    Object.self, namespace: namespace, options: options, resourceVersion: version, timeoutSeconds: timeout,
                    stallTimeout: .seconds(timeout) + settings.stallGrace
                ) { event in self.apply(event, generation: generation) }
                if Task.isCancelled { return }
                if ContinuousClock.now - started < .seconds(timeout) {
                    if end.events == 0 {
                        // A stream that ends at once with nothing in it is how a server with a
                        // stale cache says "too old": only a fresh list is safe.
                        logger.debug("watch closed early without events; relisting", metadata: ["resource": "\(resource)"])
                        state.withLock {
                            $0.statistics.silentCloses += 1
                            $0.resourceVersion = nil
                        }
                    }
                    try await Task.sleep(for: backoff.next(using: &generator))
                } else {
                    backoff.reset()
                }
            } catch is CancellationError {
                return
            } catch let error as KubernetesError where error.isGone {
                logger.debug("resource version expired; relisting", metadata: ["resource": "\(resource)", "err": "\(error)"])
                state.withLock {
                    $0.statistics.expired += 1
                    $0.resourceVersion = nil
                }
            } catch {
                if Task.isCancelled { return }
                let stalled = (error as? KubernetesError)?.isStall ?? false
                state.withLock {
                    if stalled {
                        $0.statistics.stalls += 1
                        $0.resourceVersion = nil
                    } else {
                        $0.statistics.failures += 1
                    }
                }
                logger.warning("list/watch failed", metadata: ["resource": "\(resource)", "err": "\(error)"])
                try? await Task.sleep(for: backoff.next(using: &generator))
            }
        }
    }

    /// Applies a full list: adds, updates (changed resource version) and deletes (absent from the
    /// list) against the store, then tells every consumer.
    func reconcile(_ items: [Object], resourceVersion: String, generation: Int) {
        state.withLock { state in
            guard state.generation == generation, state.task != nil else { return }
            if !keepsObjects {
                let first = !state.synced
                state.synced = true
                state.resourceVersion = resourceVersion
                state.statistics.lists += 1
                if first || !items.isEmpty { Self.publish(items.map { .added($0) }, store: [:], to: state.subscribers.values) }
                return
            }
            var events: [InformerEvent<Object>] = []
            var fresh: [ObjectKey: Object] = [:]
            fresh.reserveCapacity(items.count)
            for item in items {
                let key = ObjectKey(item.metadata)
                fresh[key] = item
                if let old = state.store[key] {
                    if old.metadata.resourceVersion != item.metadata.resourceVersion { events.append(.updated(old: old, new: item)) }
                } else {
                    events.append(.added(item))
                }
            }
            for key in state.store.keys.sorted() where fresh[key] == nil {
                events.append(.deleted(state.store[key]!))
            }
            let first = !state.synced
            state.store = fresh
            state.synced = true
            state.resourceVersion = resourceVersion
            state.statistics.lists += 1
            if first || !events.isEmpty {
                Self.publish(events, store: fresh, to: state.subscribers.values)
            }
        }
    }

    /// Applies one watch event, dropping what the store already reflects.
    func apply(_ event: WatchEvent<Object>, generation: Int) {
        state.withLock { state in
            guard state.generation == generation, state.task != nil else { return }
            state.resourceVersion = event.resourceVersion
            let change: InformerEvent<Object>
            if !keepsObjects {
                switch event {
                case .bookmark: return
                case .added(let object): change = .added(object)
                case .modified(let object): change = .updated(old: object, new: object)
                case .deleted(let object): change = .deleted(object)
                }
                Self.publish([change], store: [:], to: state.subscribers.values)
                return
            }
            switch event {
            case .bookmark:
                return
            case .added(let object), .modified(let object):
                let key = ObjectKey(object.metadata)
                if let old = state.store[key] {
                    guard old.metadata.resourceVersion != object.metadata.resourceVersion else { return }
                    change = .updated(old: old, new: object)
                } else {
                    change = .added(object)
                }
                state.store[key] = object
            case .deleted(let object):
                let key = ObjectKey(object.metadata)
                guard state.store.removeValue(forKey: key) != nil else { return }
                change = .deleted(object)
            }
            Self.publish([change], store: state.store, to: state.subscribers.values)
        }
    }

    /// Yields `events` to every subscriber, with `store` to those that asked for it.
    private static func publish(
        _ events: [InformerEvent<Object>], store: [ObjectKey: Object], to subscribers: some Collection<Subscriber>
    ) {
        let full = InformerUpdate(events: events, store: store)
        let bare = InformerUpdate(events: events, store: [:])
        for subscriber in subscribers { subscriber.continuation.yield(subscriber.wantsStore ? full : bare) }
    }
}
