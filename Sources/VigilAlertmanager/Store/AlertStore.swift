import Synchronization

/// Every alert the Alertmanager knows, keyed by fingerprint (`provider/mem`).
///
/// Thread-safe; operations take whole batches under one lock.
final class AlertStore: Sendable {
    private let alerts = Mutex<[Fingerprint: Alert]>([:])

    /// Stores alerts, merging each with the stored alert of the same labels when their activity
    /// overlaps (as `mem.Alerts.Put`); returns what was stored.
    func put(_ batch: [Alert], now: Int64) -> [Alert] {
        alerts.withLock { alerts in
            batch.map { incoming in
                let fingerprint = incoming.fingerprint
                var stored = incoming
                if let old = alerts[fingerprint] {
                    let oldEnd = old.endsAt ?? Int64.min
                    let newEnd = incoming.endsAt ?? Int64.min
                    let endsInside = newEnd > old.startsAt && newEnd < oldEnd
                    let startsInside = incoming.startsAt > old.startsAt && incoming.startsAt < oldEnd
                    if endsInside || startsInside { stored = old.merged(with: incoming, now: now) }
                }
                alerts[fingerprint] = stored
                return stored
            }
        }
    }

    /// The alert with this fingerprint.
    func get(_ fingerprint: Fingerprint) -> Alert? {
        alerts.withLock { $0[fingerprint] }
    }

    /// Every alert, in fingerprint order.
    func all() -> [Alert] {
        alerts.withLock { alerts in
            alerts.sorted { $0.key < $1.key }.map(\.value)
        }
    }

    /// Removes the alerts resolved at `now`; returns their fingerprints.
    func collectGarbage(now: Int64) -> [Fingerprint] {
        alerts.withLock { alerts in
            let resolved = alerts.filter { $0.value.isResolved(at: now) }.map(\.key)
            for fingerprint in resolved { alerts[fingerprint] = nil }
            return resolved
        }
    }

    /// Replaces the contents (loading a snapshot).
    func replaceAll(with restored: [Alert]) {
        alerts.withLock { alerts in
            alerts = Dictionary(restored.map { ($0.fingerprint, $0) }, uniquingKeysWith: { $1 })
        }
    }
}
