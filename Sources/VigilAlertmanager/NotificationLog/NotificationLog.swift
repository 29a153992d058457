import Synchronization

/// The notification log (`nflog.Log`): per aggregation group and integration, which alerts the
/// last successful notification carried, so the pipeline sends only what changed and a restart
/// sends no duplicate. Thread-safe; persisted with ``saveSnapshot()``.
final class NotificationLog: Sendable {
    private let entries = Mutex<[String: NotificationLogEntry]>([:])
    /// How long an entry is kept at most, in nanoseconds (Alertmanager's `--data.retention`, 120h).
    let retention: Int64
    let snapshotPath: String?

    init(retention: Int64 = 120 * 3_600_000_000_000, snapshotPath: String? = nil) {
        self.retention = retention
        self.snapshotPath = snapshotPath
    }

    /// `receiver/integration/index`, nflog's receiver key.
    static func receiverKey(receiver: String, integration: String, index: Int) -> String {
        "\(receiver)/\(integration)/\(index)"
    }

    private static func key(groupKey: String, receiver: String) -> String {
        groupKey + ":" + receiver
    }

    /// The entry for a group and integration, if any.
    func query(groupKey: String, receiver: String) -> NotificationLogEntry? {
        entries.withLock { $0[Self.key(groupKey: groupKey, receiver: receiver)] }
    }

    /// Records a notification sent at `now`; it expires after `expiry` when shorter than the retention.
    func log(
        groupKey: String, receiver: String, firing: [UInt64], resolved: [UInt64], now: Int64, expiry: Int64
    ) {
        let key = Self.key(groupKey: groupKey, receiver: receiver)
        entries.withLock { entries in
            if let previous = entries[key], previous.timestamp > now { return }
            let expiresAt = now + (expiry > 0 && retention > expiry ? expiry : retention)
            entries[key] = NotificationLogEntry(
                groupKey: groupKey, receiver: receiver, timestamp: now, firingAlerts: firing,
                resolvedAlerts: resolved, expiresAt: expiresAt)
        }
    }

    /// Drops entries expired at `now`; returns how many.
    @discardableResult
    func collectGarbage(now: Int64) -> Int {
        entries.withLock { entries in
            let gone = entries.filter { $0.value.expiresAt <= now }.map(\.key)
            for key in gone { entries[key] = nil }
            return gone.count
        }
    }

    /// Writes every entry to the snapshot file (no-op without one).
    func saveSnapshot() throws(SnapshotError) {
        guard let snapshotPath else { return }
        let records = entries.withLock { $0.values.sorted { ($0.groupKey, $0.receiver) < ($1.groupKey, $1.receiver) } }
        try SnapshotFile(path: snapshotPath).replace(with: try SnapshotCoding.encode(records, kind: "nflog"))
    }

    /// Loads the snapshot file, dropping entries expired at `now`.
    func loadSnapshot(now: Int64) throws(SnapshotError) {
        guard let snapshotPath, let bytes = try SnapshotFile(path: snapshotPath).contents() else { return }
        let records: [NotificationLogEntry] = try SnapshotCoding.decode(bytes, kind: "nflog", path: snapshotPath)
        entries.withLock { entries in
            for record in records where record.expiresAt > now {
                entries[Self.key(groupKey: record.groupKey, receiver: record.receiver)] = record
            }
        }
    }
}
