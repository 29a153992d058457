import Foundation
import VigilModel
import Synchronization
import VigilConfig

/// The silences store (`silence.Silences`): create, update-or-replace, expire, query by labels,
/// garbage-collect after retention, and persist to a snapshot file.
///
/// Thread-safe. Silences stay for ``retention`` after they end, then are dropped by
/// ``collectGarbage(now:)``.
final class Silences: Sendable {
    private struct Stored {
        var silence: Silence
        var expiresAt: Int64
    }

    private let stored = Mutex<[String: Stored]>([:])
    /// How long a silence is kept after its end, in nanoseconds (Alertmanager's default: 120h).
    public let retention: Int64
    let snapshotLocation: String?

    /// A store keeping expired silences for `retention` nanoseconds, persisted at `snapshotPath` when given.
    public init(retention: Int64 = 120 * 3_600_000_000_000, snapshotPath: String? = nil) {
        self.retention = retention
        self.snapshotLocation = snapshotPath
    }

    /// Creates or updates a silence at `now`; returns its ID.
    ///
    /// With an ID, the silence is updated in place when only what may change at its state
    /// changed (its matchers are unchanged; an active one keeps its start and does not end in
    /// the past; a pending one does not start in the past); otherwise the old one is expired and
    /// a new one with a new ID created. A start in the past is moved to `now`.
    public func set(_ silence: Silence, now: Int64) throws(SilenceError) -> String {
        var silence = silence
        return try stored.withLock { (stored: inout [String: Stored]) throws(SilenceError) -> String in
            if !silence.id.isEmpty {
                guard let previous = stored[silence.id]?.silence else {
                    throw SilenceError(.notFound, "not found")
                }
                if Self.canUpdate(previous, to: silence, now: now) {
                    try store(&silence, now: now, into: &stored)
                    return silence.id
                }
                if previous.state(at: now) != .expired {
                    var expired = previous
                    try Self.expire(&expired, now: now)
                    try store(&expired, now: now, into: &stored)
                }
            }
            silence.id = UUID().uuidString.lowercased()
            if silence.startsAt < now { silence.startsAt = now }
            try store(&silence, now: now, into: &stored)
            return silence.id
        }
    }

    /// Ends the silence with this ID at `now` (a pending one never starts).
    public func expire(id: String, now: Int64) throws(SilenceError) {
        try stored.withLock { (stored: inout [String: Stored]) throws(SilenceError) in
            guard var silence = stored[id]?.silence else { throw SilenceError(.notFound, "silence \(id) not found") }
            try Self.expire(&silence, now: now)
            try store(&silence, now: now, into: &stored)
        }
    }

    /// The silence with this ID.
    public func get(id: String) -> Silence? {
        stored.withLock { $0[id]?.silence }
    }

    /// Every silence, ordered by ID.
    public func all() -> [Silence] {
        stored.withLock { stored in stored.values.map(\.silence).sorted { $0.id < $1.id } }
    }

    /// The IDs of the silences active at `now` whose matchers match `labels`, sorted.
    public func activeIDs(matching labels: Labels, now: Int64) -> [String] {
        stored.withLock { stored in
            stored.values.filter { $0.silence.state(at: now) == .active && $0.silence.matches(labels) }
                .map(\.silence.id).sorted()
        }
    }

    /// Drops silences whose retention has passed; returns how many.
    @discardableResult
    public func collectGarbage(now: Int64) -> Int {
        stored.withLock { stored in
            let gone = stored.filter { $0.value.expiresAt <= now }.map(\.key)
            for id in gone { stored[id] = nil }
            return gone.count
        }
    }

    /// Replaces every silence with `silences` as they are (loading a snapshot).
    func restore(_ silences: [Silence]) {
        stored.withLock { stored in
            stored = Dictionary(
                silences.map { ($0.id, Stored(silence: $0, expiresAt: $0.endsAt + retention)) }, uniquingKeysWith: { $1 })
        }
    }

    private func store(_ silence: inout Silence, now: Int64, into stored: inout [String: Stored]) throws(SilenceError) {
        silence.updatedAt = now
        try Self.validate(silence)
        stored[silence.id] = Stored(silence: silence, expiresAt: silence.endsAt + retention)
    }

    private static func expire(_ silence: inout Silence, now: Int64) throws(SilenceError) {
        switch silence.state(at: now) {
        case .expired: throw SilenceError(.invalid, "silence \(silence.id) already expired")
        case .active: silence.endsAt = now
        case .pending:
            silence.startsAt = now
            silence.endsAt = now
        }
    }

    private static func canUpdate(_ previous: Silence, to next: Silence, now: Int64) -> Bool {
        guard previous.matchers.map(\.alertmanagerDescription) == next.matchers.map(\.alertmanagerDescription)
        else { return false }
        switch previous.state(at: now) {
        case .active: return next.startsAt == previous.startsAt && next.endsAt >= now
        case .pending: return next.startsAt >= now
        case .expired: return false
        }
    }

    /// `silence.validateSilence`, with its messages.
    static func validate(_ silence: Silence) throws(SilenceError) {
        if silence.id.isEmpty { throw SilenceError(.invalid, "ID missing") }
        if silence.matchers.isEmpty { throw SilenceError(.invalid, "at least one matcher required") }
        for (index, matcher) in silence.matchers.enumerated() where !LabelName.isValid(matcher.name) {
            throw SilenceError(.invalid, "invalid label matcher \(index): invalid label name \(GoQuote.quote(matcher.name))")
        }
        if silence.matchers.allSatisfy(\.matchesEmpty) {
            throw SilenceError(.invalid, "at least one matcher must not match the empty string")
        }
        if silence.startsAt == 0 { throw SilenceError(.invalid, "invalid zero start timestamp") }
        if silence.endsAt == 0 { throw SilenceError(.invalid, "invalid zero end timestamp") }
        if silence.endsAt < silence.startsAt { throw SilenceError(.invalid, "end time must not be before start time") }
    }
}
