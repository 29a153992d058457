import Synchronization

/// Whether an alert is being notified about or held back (`types.AlertState`).
public enum AlertState: String, Sendable, Hashable {
    /// Not yet seen by the pipeline.
    case unprocessed
    /// Neither silenced nor inhibited.
    case active
    /// Silenced or inhibited.
    case suppressed
}

/// What the API reports about an alert's suppression (`types.AlertStatus`).
public struct AlertMarkerStatus: Sendable, Hashable {
    /// Derived from the two lists.
    public var state: AlertState
    /// IDs of the active silences muting the alert.
    public var silencedBy: [String]
    /// Fingerprints of the alerts inhibiting it.
    public var inhibitedBy: [String]
}

/// Remembers, per alert, which silences and inhibitions mute it (`types.MemMarker`).
final class AlertMarker: Sendable {
    private struct Entry {
        var silencedBy: [String] = []
        var inhibitedBy: [String] = []
        var processed = false
    }

    private let entries = Mutex<[Fingerprint: Entry]>([:])

    /// Records the silences muting an alert (empty: none).
    func setSilenced(_ fingerprint: Fingerprint, by ids: [String]) {
        entries.withLock {
            $0[fingerprint, default: Entry()].silencedBy = ids
            $0[fingerprint, default: Entry()].processed = true
        }
    }

    /// Records the alerts inhibiting an alert (empty: none).
    func setInhibited(_ fingerprint: Fingerprint, by fingerprints: [String]) {
        entries.withLock {
            $0[fingerprint, default: Entry()].inhibitedBy = fingerprints
            $0[fingerprint, default: Entry()].processed = true
        }
    }

    /// The alert's status; `unprocessed` when the pipeline has not judged it yet.
    func status(_ fingerprint: Fingerprint) -> AlertMarkerStatus {
        entries.withLock { entries in
            guard let entry = entries[fingerprint], entry.processed else {
                return AlertMarkerStatus(state: .unprocessed, silencedBy: [], inhibitedBy: [])
            }
            let muted = !entry.silencedBy.isEmpty || !entry.inhibitedBy.isEmpty
            return AlertMarkerStatus(
                state: muted ? .suppressed : .active, silencedBy: entry.silencedBy, inhibitedBy: entry.inhibitedBy)
        }
    }

    /// Forgets alerts that were garbage-collected.
    func delete(_ fingerprints: [Fingerprint]) {
        entries.withLock { entries in
            for fingerprint in fingerprints { entries[fingerprint] = nil }
        }
    }
}
