/// The notifier's bounded queue: when full, the oldest alerts make room for newer ones, as
/// Prometheus's notifier does (a newer state of an alert supersedes an older one).
struct NotifierQueue {
    private(set) var alerts: [NotifierAlert] = []
    private var head = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { alerts.count - head }

    /// Appends `incoming`; returns how many alerts were dropped to stay within capacity.
    mutating func push(_ incoming: [NotifierAlert]) -> Int {
        var dropped = 0
        var newest = incoming[...]
        if newest.count > capacity {
            dropped += newest.count - capacity
            newest = newest.suffix(capacity)
        }
        let overflow = count + newest.count - capacity
        if overflow > 0 {
            head += overflow
            dropped += overflow
        }
        compactIfNeeded()
        alerts.append(contentsOf: newest)
        return dropped
    }

    /// Removes and returns up to `limit` of the oldest alerts.
    mutating func pop(_ limit: Int) -> [NotifierAlert] {
        let end = min(head + limit, alerts.count)
        let batch = Array(alerts[head..<end])
        head = end
        compactIfNeeded()
        return batch
    }

    private mutating func compactIfNeeded() {
        if head > 0 && head * 2 >= alerts.count {
            alerts.removeFirst(head)
            head = 0
        }
    }
}
