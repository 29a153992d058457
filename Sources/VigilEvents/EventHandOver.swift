internal import Synchronization

/// What lets two replicas share one watch's notifications so that exactly one sends them and a
/// hand-over neither drops nor repeats one.
///
/// Every notification carries its position: the event object's resource version when it was
/// first seen (etcd's revision, increasing). Both replicas watch and deduplicate the same events.
/// The leader sends and, after each batch every sink finished, publishes its delivery watermark
/// (the newest position all sinks finished) on the Lease. A follower holds what it would have
/// sent in `pending`, dropping what the leader's watermark covers each time it reads the Lease;
/// when it takes over it drops what the final watermark covers and sends the rest, in order.
/// A crash between a sink accepting a batch and the watermark write repeats that one batch.
public final class EventHandOver: Sendable {
    struct State {
        var leading = false
        var pending: [KubernetesEventNotification] = []
        var watermark: UInt64 = 0
        var published: UInt64 = 0
        /// The newest position handed to the sinks.
        var offered: UInt64 = 0
        var overflow = 0
    }

    /// The Lease annotation holding the watermark.
    public static let annotation = "vigil.dev/events-delivered-through"

    /// Most notifications a follower holds; older ones go first (the leader sent them long ago).
    public let capacity: Int
    let state = Mutex(State())
    let publish: @Sendable (UInt64) async throws -> Void
    /// The leader-only sinks, attached once by the watcher.
    private let dispatchers = Mutex<[SinkDispatcher]>([])

    /// A hand-over starting as a follower; `publish` writes a watermark to the Lease.
    public init(capacity: Int = 10_000, publish: @escaping @Sendable (UInt64) async throws -> Void) {
        self.capacity = max(capacity, 1)
        self.publish = publish
    }

    /// Whether this replica sends now.
    public var isLeading: Bool { state.withLock { $0.leading } }

    /// Notifications a follower holds now.
    public var pendingCount: Int { state.withLock { $0.pending.count } }

    /// The watermark read from an annotation value; 0 when absent or unreadable.
    public static func watermark(in annotations: [String: String]) -> UInt64 {
        annotations[annotation].flatMap { UInt64($0) } ?? 0
    }

    /// The notifications a follower dropped because it held more than ``capacity``.
    public var overflowed: Int { state.withLock { $0.overflow } }

    func attach(_ gated: [SinkDispatcher]) {
        dispatchers.withLock { $0 = gated }
    }

    /// Queued to the sinks inside the state lock, so a take-over's backlog goes before anything newer.
    private func send(_ notifications: [KubernetesEventNotification], state: inout State) {
        for dispatcher in dispatchers.withLock({ $0 }) { dispatcher.enqueue(notifications) }
        state.offered = max(state.offered, notifications.map(\.position).max() ?? 0)
    }

    /// The leader sends `notifications`; a follower keeps them until the leader's watermark covers them.
    public func admit(_ notifications: [KubernetesEventNotification]) {
        state.withLock { state in
            if state.leading {
                send(notifications, state: &state)
                return
            }
            let watermark = state.watermark
            state.pending += notifications.filter { $0.position == 0 || $0.position > watermark }
            if state.pending.count > capacity {
                state.overflow += state.pending.count - capacity
                state.pending.removeFirst(state.pending.count - capacity)
            }
        }
    }

    /// Applies what the Lease showed: a follower trims what the leader's watermark covers; a new
    /// leader trims by the final watermark and sends the rest; a deposed leader takes back what
    /// its sinks have not started (`reclaim`) and waits.
    public func observe(isLeader: Bool, watermark: UInt64) {
        state.withLock { state in
            if !state.leading {
                let covered = max(state.watermark, watermark)
                state.watermark = covered
                state.pending.removeAll { $0.position != 0 && $0.position <= covered }
                if isLeader {
                    state.leading = true
                    let backlog = state.pending
                    state.pending = []
                    state.published = max(state.published, state.watermark)
                    state.offered = max(state.offered, state.watermark)
                    if !backlog.isEmpty { send(backlog, state: &state) }
                }
            } else if !isLeader {
                state.leading = false
                let taken = dispatchers.withLock { $0 }.flatMap { $0.reclaim() }
                state.pending = Self.merged(taken + state.pending)
            }
        }
    }

    /// Whether a sink may send its next batch.
    func mayDeliver() -> Bool { isLeading }

    /// A batch a sink took but may not send any more: held again as a follower's.
    func giveBack(_ batch: [KubernetesEventNotification]) {
        state.withLock { state in state.pending = Self.merged(batch + state.pending) }
    }

    /// In position order, each event once (several sinks may give the same one back).
    static func merged(_ notifications: [KubernetesEventNotification]) -> [KubernetesEventNotification] {
        var seen = Set<String>()
        return notifications.sorted { $0.position < $1.position }.filter { seen.insert($0.record.identity).inserted }
    }

    /// After a sink finished a batch: the newest position every sink finished is published.
    func batchFinished() async {
        // Read what was offered first: anything offered later has a higher position.
        let offered = state.withLock { $0.offered }
        let oldest = dispatchers.withLock { $0 }.compactMap(\.oldestUnfinished).min()
        await delivered(through: min(offered, oldest.map { $0 > 0 ? $0 - 1 : 0 } ?? offered))
    }

    /// Publishes `watermark` if this replica leads and it moved; fenced by the Lease's version.
    func delivered(through watermark: UInt64) async {
        let moved = state.withLock { state -> Bool in
            guard state.leading, watermark > state.published else { return false }
            state.published = watermark
            state.watermark = max(state.watermark, watermark)
            return true
        }
        if moved { try? await publish(watermark) }
    }
}
