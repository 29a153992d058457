import Logging
internal import Synchronization
public import VigilKubernetes
public import VigilModel

/// How each sink's queue behaves.
public struct SinkQueueSettings: Sendable, Hashable {
    /// Notifications held per sink while it is slow or failing; more are dropped and counted.
    public var capacity: Int
    /// Most notifications sent in one call.
    public var batchSize: Int
    /// Attempts per batch before it is dropped.
    public var attempts: Int
    /// Backoff between attempts.
    public var backoff: Backoff

    /// Settings: 10,000 queued, batches of 100, 5 attempts, 0.5 s to 30 s backoff.
    public init(capacity: Int = 10_000, batchSize: Int = 100, attempts: Int = 5, backoff: Backoff = Backoff(initial: .milliseconds(500))) {
        self.capacity = max(capacity, 1)
        self.batchSize = max(batchSize, 1)
        self.attempts = max(attempts, 1)
        self.backoff = backoff
    }
}

/// One sink's bounded queue and its sending loop: a failing sink is retried with backoff and,
/// past the attempts, its batch dropped and counted, so one bad sink never blocks the others.
final class SinkDispatcher: Sendable {
    let sink: any KubernetesEventSink
    let filter: KubernetesEventFilter?
    let settings: SinkQueueSettings
    private struct Queue {
        var items: [KubernetesEventNotification] = []
        /// The position of the first notification of the batch being sent, if one is.
        var sending: UInt64?
        var finished = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let queue = Mutex(Queue())
    private let sent: Counter
    private let dropped: Counter
    private let failures: Counter
    private let logger: Logger
    /// Asks before each batch whether this replica may send; nil: always.
    let mayDeliver: (@Sendable () -> Bool)?
    /// Told after each batch finished (sent or dropped).
    let finishedBatch: (@Sendable () async -> Void)?
    /// Takes back a batch that may not be sent any more.
    let giveBack: (@Sendable ([KubernetesEventNotification]) -> Void)?

    init(
        sink: any KubernetesEventSink, filter: KubernetesEventFilter?, settings: SinkQueueSettings, metrics: MetricsRegistry,
        logger: Logger, mayDeliver: (@Sendable () -> Bool)? = nil, finishedBatch: (@Sendable () async -> Void)? = nil,
        giveBack: (@Sendable ([KubernetesEventNotification]) -> Void)? = nil
    ) {
        self.mayDeliver = mayDeliver
        self.finishedBatch = finishedBatch
        self.giveBack = giveBack
        self.sink = sink
        self.filter = filter
        self.settings = settings
        self.logger = logger
        let labels: Labels = ["sink": sink.name]
        func counter(_ name: String, _ help: String) -> Counter {
            (try? metrics.counter(name: name, help: help, labels: labels)) ?? Counter(labels: labels)
        }
        sent = counter("vigil_kubernetes_event_notifications_sent_total", "Event notifications a sink accepted.")
        dropped = counter("vigil_kubernetes_event_notifications_dropped_total", "Event notifications dropped: queue full or attempts exhausted.")
        failures = counter("vigil_kubernetes_event_sink_failures_total", "Failed attempts to send to a sink.")
    }

    func enqueue(_ all: [KubernetesEventNotification]) {
        let notifications = filter.map { filter in all.filter { filter.passes($0.record) } } ?? all
        if notifications.isEmpty { return }
        let (waiter, overflow) = queue.withLock { queue in
            let room = max(settings.capacity - queue.items.count, 0)
            queue.items.append(contentsOf: notifications.prefix(room))
            let waiter = queue.waiter
            queue.waiter = nil
            return (waiter, notifications.count - min(room, notifications.count))
        }
        if overflow > 0 { dropped.increment(by: Double(overflow)) }
        waiter?.resume()
    }

    /// The oldest position queued or being sent, nil when idle.
    var oldestUnfinished: UInt64? {
        queue.withLock { queue in
            [queue.sending, queue.items.first?.position].compactMap { $0 }.min()
        }
    }

    /// Empties the queue, answering what it held (a deposed leader's unsent notifications).
    func reclaim() -> [KubernetesEventNotification] {
        queue.withLock { queue in
            defer { queue.items = [] }
            return queue.items
        }
    }

    func finish() {
        let waiter = queue.withLock { queue in
            queue.finished = true
            let waiter = queue.waiter
            queue.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// The next batch, waiting for one; nil once finished and drained.
    private func nextBatch() async -> [KubernetesEventNotification]? {
        while true {
            enum Step { case batch([KubernetesEventNotification]), done, wait }
            let step: Step = queue.withLock { queue in
                if !queue.items.isEmpty {
                    let batch = Array(queue.items.prefix(min(settings.batchSize, max(sink.maxBatch, 1))))
                    queue.items.removeFirst(batch.count)
                    queue.sending = batch.first?.position
                    return .batch(batch)
                }
                return queue.finished ? .done : .wait
            }
            switch step {
            case .batch(let batch): return batch
            case .done: return nil
            case .wait:
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = queue.withLock { queue in
                        if !queue.items.isEmpty || queue.finished { return true }
                        queue.waiter = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
        }
    }

    func run() async {
        while let batch = await nextBatch() {
            if let mayDeliver, !mayDeliver() {
                giveBack?(batch)
            } else {
                await deliver(batch)
            }
            queue.withLock { $0.sending = nil }
            await finishedBatch?()
        }
    }

    private func deliver(_ batch: [KubernetesEventNotification]) async {
        var backoff = settings.backoff
        for attempt in 1...settings.attempts {
            do {
                try await sink.send(batch)
                sent.increment(by: Double(batch.count))
                return
            } catch {
                failures.increment()
                logger.warning(
                    "event sink failed", metadata: ["sink": "\(sink.name)", "attempt": "\(attempt)", "error": "\(error)"])
                if attempt < settings.attempts { try? await Task.sleep(for: backoff.next()) }
            }
        }
        dropped.increment(by: Double(batch.count))
    }
}
