import Foundation
public import Logging
internal import Synchronization
public import VigilKubernetes
public import VigilModel

/// Turns informer updates of events into notifications: one per event object when it first
/// appears, later count bumps aggregated; counts every event in
/// `vigil_kubernetes_events_total{namespace,kind,reason,type}` whether or not the filter passes it,
/// so rules can alert on what the sinks do not show.
public final class KubernetesEventWatcher: Sendable {
    /// The filter deciding what reaches the sinks.
    public let filter: KubernetesEventFilter
    private let deduplicator: Mutex<EventDeduplicator>
    private let metrics: MetricsRegistry
    /// Every replica's sinks (its own store); all sinks when there is no hand-over.
    private let dispatchers: [SinkDispatcher]
    /// The leader's sinks, behind the hand-over.
    private let gated: [SinkDispatcher]
    /// Shares sending with another replica; nil when this one always sends.
    public let handOver: EventHandOver?
    private let logger: Logger

    /// A watcher sending what `filter` passes to `sinks`, remembering events in `deduplicator`.
    public convenience init(
        filter: KubernetesEventFilter, deduplicator: EventDeduplicator = EventDeduplicator(),
        sinks: [any KubernetesEventSink], queue: SinkQueueSettings = SinkQueueSettings(),
        handOver: EventHandOver? = nil, metrics: MetricsRegistry, logger: Logger
    ) {
        self.init(
            filter: filter, deduplicator: deduplicator, routes: sinks.map { KubernetesEventRoute(sink: $0) }, queue: queue,
            handOver: handOver, metrics: metrics, logger: logger)
    }

    /// A watcher sending what `filter` and each route's own filter pass to that route's sink.
    /// With `handOver`, routes not marked ``KubernetesEventRoute/everyReplica`` only get what this
    /// replica sends as the leader.
    public init(
        filter: KubernetesEventFilter, deduplicator: EventDeduplicator = EventDeduplicator(),
        routes: [KubernetesEventRoute], queue: SinkQueueSettings = SinkQueueSettings(),
        handOver: EventHandOver? = nil, metrics: MetricsRegistry, logger: Logger
    ) {
        self.filter = filter
        self.deduplicator = Mutex(deduplicator)
        self.metrics = metrics
        self.logger = logger
        self.handOver = handOver
        dispatchers = routes.filter { handOver == nil || $0.everyReplica }.map {
            SinkDispatcher(sink: $0.sink, filter: $0.filter, settings: queue, metrics: metrics, logger: logger)
        }
        if let handOver {
            gated = routes.filter { !$0.everyReplica }.map {
                SinkDispatcher(
                    sink: $0.sink, filter: $0.filter, settings: queue, metrics: metrics, logger: logger,
                    mayDeliver: { handOver.mayDeliver() }, finishedBatch: { await handOver.batchFinished() },
                    giveBack: { handOver.giveBack($0) })
            }
            handOver.attach(gated)
        } else {
            gated = []
        }
    }

    /// How many event objects the deduplicator remembers.
    public var remembered: Int { deduplicator.withLock { $0.count } }

    /// Repeats aggregated since the first notification of the event with `identity`.
    public func repeats(of identity: String) -> Int? { deduplicator.withLock { $0.repeats(of: identity) } }

    /// Consumes `updates` of core/v1 or events.k8s.io/v1 events until it ends or the task is
    /// cancelled, then lets the sinks drain. Objects last seen before `subscribedAt` (ms since the
    /// epoch), which a synced informer replays to a new consumer, are not notified.
    public func run<Object: KubernetesEventConvertible>(
        _ updates: some AsyncSequence<InformerUpdate<Object>, Never>, subscribedAt: Int64,
        now: @escaping @Sendable () -> Int64 = { currentMilliseconds() }
    ) async {
        await withTaskGroup(of: Void.self) { group in
            for dispatcher in dispatchers + gated { group.addTask { await dispatcher.run() } }
            for await update in updates {
                let records = update.events.map { change -> (InformerChange, KubernetesEventRecord, UInt64) in
                    switch change {
                    case .added(let event): (.added, event.eventRecord, Self.position(event))
                    case .updated(_, let event): (.updated, event.eventRecord, Self.position(event))
                    case .deleted(let event): (.deleted, event.eventRecord, Self.position(event))
                    }
                }
                let notifications = process(records, subscribedAt: subscribedAt, now: now())
                if !notifications.isEmpty {
                    for dispatcher in dispatchers { dispatcher.enqueue(notifications) }
                    handOver?.admit(notifications)
                }
                if Task.isCancelled { break }
            }
            for dispatcher in dispatchers + gated { dispatcher.finish() }
        }
    }

    /// Whether a change added, updated or deleted the event object.
    public enum InformerChange: Sendable { case added, updated, deleted }

    /// Decides, counts and filters one batch of changes; returns what the sinks should get.
    /// `changes` carry each object's position (resource version); notifications come out in
    /// position order, so a relist's batch is sent oldest first and the watermark stays a prefix.
    public func process(
        _ changes: [(InformerChange, KubernetesEventRecord, UInt64)], subscribedAt: Int64, now: Int64
    ) -> [KubernetesEventNotification] {
        var notifications: [KubernetesEventNotification] = []
        var counted: [(KubernetesEventRecord, Int)] = []
        deduplicator.withLock { deduplicator in
            for (change, record, position) in changes {
                if change == .deleted {
                    deduplicator.forget(record.identity)
                    continue
                }
                // Events last seen before the subscription are history the API server replays.
                if let last = record.lastSeenMilliseconds, last < subscribedAt,
                    deduplicator.repeats(of: record.identity) == nil
                {
                    continue
                }
                switch deduplicator.observe(record, now: now) {
                case .notify:
                    counted.append((record, record.count))
                    if filter.passes(record) { notifications.append(KubernetesEventNotification(record: record, position: position)) }
                case .repeated(let occurrences):
                    counted.append((record, occurrences))
                case .unchanged:
                    break
                }
            }
        }
        for (record, occurrences) in counted { count(record, occurrences) }
        notifications.sort { $0.position < $1.position }
        return notifications
    }

    /// An object's resource version as a number; 0 when the server's is not one (etcd's are).
    static func position(_ object: some KubernetesObject) -> UInt64 {
        UInt64(object.metadata.resourceVersion) ?? 0
    }

    private func count(_ record: KubernetesEventRecord, _ occurrences: Int) {
        let labels: Labels = [
            "namespace": record.namespace, "kind": record.kind, "reason": record.reason, "type": record.type,
        ]
        do {
            try metrics.counter(
                name: "vigil_kubernetes_events_total", help: "Kubernetes events seen, repeats included.", labels: labels
            ).increment(by: Double(occurrences))
        } catch {
            logger.error("cannot count event", metadata: ["error": "\(error)"])
        }
    }
}

/// Milliseconds since the epoch, now.
public func currentMilliseconds() -> Int64 {
    Int64((Date().timeIntervalSince1970 * 1000).rounded())
}
