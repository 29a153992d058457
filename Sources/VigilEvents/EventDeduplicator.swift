/// Remembers which events were already notified so that count bumps are aggregated, not
/// re-sent. Memory is bounded: at most `capacity` entries, each forgotten `maxAge` after it was
/// last touched (kept longer than the API server's event TTL, one hour by default, so a live
/// series is never forgotten while it still changes).
public struct EventDeduplicator: Sendable {
    /// What to do with an observed event.
    public enum Decision: Sendable, Hashable {
        /// First time seen: notify.
        case notify
        /// Seen before with a lower count: `occurrences` new repeats, aggregated, not notified.
        case repeated(occurrences: Int)
        /// Nothing new (same or lower count, or a resync).
        case unchanged
    }

    struct Entry: Sendable {
        var count: Int
        var repeats: Int
        var touched: Int64
    }

    /// The most entries kept.
    public let capacity: Int
    /// How long an untouched entry is kept, in milliseconds.
    public let maxAgeMilliseconds: Int64
    private var entries: [String: Entry] = [:]
    /// Identities in the order they were touched; stale positions are skipped when popped.
    private var order: [(identity: String, touched: Int64)] = []
    private var head = 0

    /// A deduplicator holding at most `capacity` events for `maxAge` after their last change.
    public init(capacity: Int = 100_000, maxAge: Duration = .seconds(7200)) {
        self.capacity = max(capacity, 1)
        let (seconds, attoseconds) = maxAge.components
        maxAgeMilliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// How many events are remembered.
    public var count: Int { entries.count }

    /// Repeats aggregated for `identity` since it was notified.
    public func repeats(of identity: String) -> Int? { entries[identity]?.repeats }

    /// Records that `record` was seen at `now` (ms since the epoch) and says whether to notify.
    public mutating func observe(_ record: KubernetesEventRecord, now: Int64) -> Decision {
        expire(now: now)
        let decision: Decision
        if var entry = entries[record.identity] {
            if record.count > entry.count {
                let occurrences = record.count - entry.count
                entry.repeats += occurrences
                entry.count = record.count
                decision = .repeated(occurrences: occurrences)
            } else {
                decision = .unchanged
            }
            entry.touched = now
            entries[record.identity] = entry
        } else {
            entries[record.identity] = Entry(count: record.count, repeats: 0, touched: now)
            decision = .notify
        }
        order.append((record.identity, now))
        evictOverCapacity()
        return decision
    }

    /// Forgets a deleted event object.
    public mutating func forget(_ identity: String) {
        entries[identity] = nil
    }

    private mutating func expire(now: Int64) {
        while head < order.count {
            let (identity, touched) = order[head]
            guard let entry = entries[identity], entry.touched == touched else {
                head += 1
                continue
            }
            guard now - touched > maxAgeMilliseconds else { break }
            entries[identity] = nil
            head += 1
        }
        compactOrder()
    }

    private mutating func evictOverCapacity() {
        while entries.count > capacity && head < order.count {
            let (identity, touched) = order[head]
            head += 1
            if let entry = entries[identity], entry.touched == touched { entries[identity] = nil }
        }
        compactOrder()
    }

    /// Keeps the order list within a small multiple of the entries, so repeats cannot grow it.
    private mutating func compactOrder() {
        if head > 1024 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
        if order.count - head > 4 * capacity + 1024 {
            order = entries.map { (identity: $0.key, touched: $0.value.touched) }.sorted { $0.touched < $1.touched }
            head = 0
        }
    }
}
