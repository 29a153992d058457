#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import Logging
import VigilModel

/// The Pushgateway's groups: pushes, deletes and the consistency rules, kept on disk so every
/// acknowledged change survives a crash.
///
/// Changes are serialised (the Pushgateway has one write queue); each is checked, written to the
/// journal (``PushgatewayFiles``) and only then applied, so a change that cannot be made durable is
/// not made at all. Readers get value snapshots. Semantics are Pushgateway 1.x's:
/// - PUT (`replace`) replaces every family of the group; POST replaces the families with the names
///   it pushes. Either creates the group, adds the grouping labels (overriding the body's) and
///   `instance=""` (when absent) to every metric, sets `push_time_seconds` and keeps
///   `push_failure_time_seconds` (0 for a new group). A push without families only updates the
///   push time.
/// - A push with timestamps, or one that would make the metrics inconsistent (see
///   ``PushgatewayConsistency``), is refused; the group (created if needed, with push time 0) gets
///   `push_failure_time_seconds` = now.
/// - DELETE removes the whole group; deleting a group that does not exist is not an error.
public actor PushgatewayStore {
    private var groups: [GroupingKey: PushedGroup]
    private let files: PushgatewayFiles?
    private let logger: Logger
    private let clock: @Sendable () -> Int64

    /// What loading the files found: groups restored and any damage (already logged).
    public nonisolated let loadReport: LoadReport

    /// The outcome of reading the files at start.
    public struct LoadReport: Sendable {
        /// Groups restored.
        public var groups: Int
        /// Damage found and what was done about it.
        public var problems: [String]
        /// Files renamed out of the way (`<name>.corrupt-<time>`).
        public var movedAside: [String]
    }

    /// A store keeping its files in `directory` (created by the caller), or only in memory when
    /// `directory` is nil. Damaged files are logged, moved aside and never fatal.
    ///
    /// - Parameter clock: the wall clock in nanoseconds since the epoch (tests pass their own).
    public init(directory: String?, logger: Logger, clock: @escaping @Sendable () -> Int64 = PushgatewayStore.wallClock) {
        self.logger = logger
        self.clock = clock
        if let directory {
            let files = PushgatewayFiles(directory: directory)
            let loaded = files.load()
            self.files = files
            groups = loaded.groups
            loadReport = LoadReport(groups: loaded.groups.count, problems: loaded.problems, movedAside: loaded.movedAside)
            for problem in loaded.problems {
                logger.error("Pushgateway files damaged", metadata: ["directory": "\(directory)", "err": "\(problem)"])
            }
            logger.info("Pushed groups restored", metadata: ["groups": "\(loaded.groups.count)", "directory": "\(directory)"])
        } else {
            files = nil
            groups = [:]
            loadReport = LoadReport(groups: 0, problems: [], movedAside: [])
        }
    }

    /// Now, in nanoseconds since the epoch.
    public static let wallClock: @Sendable () -> Int64 = {
        Int64((Date().timeIntervalSince1970 * 1e9).rounded())
    }

    /// Applies a push to the group `key`: PUT when `replace`, POST otherwise.
    ///
    /// - Throws: ``PushgatewayError`` 400 for a push the rules refuse (recorded in
    ///   `push_failure_time_seconds`), 500 when the change could not be written (nothing changed).
    public func push(_ body: PushBody, to key: GroupingKey, replace: Bool) throws(PushgatewayError) {
        let now = clock()
        var problems: [String] = []
        var next = groups
        if body.hasTimestamps {
            problems = ["pushed metrics must not have timestamps"]
        } else {
            let written = apply(body, to: &next, key: key, replace: replace, at: now)
            problems = PushgatewayConsistency.problems(names: written, pushed: key, in: next)
        }
        if !problems.isEmpty {
            recordFailure(for: key, at: now)
            let message = PushgatewayConsistency.message(problems)
            logger.debug("Push refused", metadata: ["group": "\(key)", "err": "\(message)"])
            throw .rejected(message)
        }
        try commit(next, changed: key)
    }

    /// Removes the group `key`, if there is one.
    ///
    /// - Throws: ``PushgatewayError`` 500 when the deletion could not be written (nothing changed).
    public func delete(_ key: GroupingKey) throws(PushgatewayError) {
        guard groups[key] != nil else { return }
        var next = groups
        next[key] = nil
        try commit(next, changed: key)
    }

    /// Removes every group (the Pushgateway's admin `wipe`).
    ///
    /// - Throws: ``PushgatewayError`` 500 when the files could not be rewritten (nothing changed).
    public func wipe() throws(PushgatewayError) {
        try files?.writeSnapshot([PushedGroup]())
        groups = [:]
    }

    /// Every group, sorted by grouping key.
    public var snapshot: [PushedGroup] {
        groups.values.sorted { $0.key < $1.key }
    }

    /// Everything pushed, merged as the Pushgateway's `/metrics` shows it.
    public func exposition() -> PushgatewayExposition {
        PushgatewayExposition(groups: groups.values)
    }

    /// The Pushgateway's `processWriteRequest`: returns the family names written.
    private func apply(_ body: PushBody, to state: inout [GroupingKey: PushedGroup], key: GroupingKey, replace: Bool, at now: Int64) -> [String] {
        var group = state[key] ?? PushedGroup(key: key)
        if replace {
            group.families = group.families.filter {
                $0.key == PushedGroup.pushTimeName || $0.key == PushedGroup.pushFailureTimeName
            }
        }
        var written: [String: PushedFamily] = [:]
        for family in body.families {
            var sanitized = family
            for index in sanitized.metrics.indices {
                sanitized.metrics[index].labels = group.sanitized(sanitized.metrics[index].labels)
            }
            written[family.name] = sanitized
        }
        written[PushedGroup.pushTimeName] = group.timeGauge(PushedGroup.pushTimeName, nanoseconds: now)
        if group.families[PushedGroup.pushFailureTimeName] == nil {
            written[PushedGroup.pushFailureTimeName] = group.timeGauge(PushedGroup.pushFailureTimeName, nanoseconds: nil)
        }
        for (name, family) in written {
            group.families[name] = .init(family: family, updated: now)
        }
        state[key] = group
        return Array(written.keys)
    }

    /// The Pushgateway's `setPushFailedTimestamp`; a failure to write it is logged, not thrown.
    private func recordFailure(for key: GroupingKey, at now: Int64) {
        var next = groups
        var group = next[key] ?? PushedGroup(key: key)
        group.families[PushedGroup.pushFailureTimeName] = .init(
            family: group.timeGauge(PushedGroup.pushFailureTimeName, nanoseconds: now), updated: now
        )
        if group.families[PushedGroup.pushTimeName] == nil {
            group.families[PushedGroup.pushTimeName] = .init(
                family: group.timeGauge(PushedGroup.pushTimeName, nanoseconds: nil), updated: now
            )
        }
        next[key] = group
        do {
            try commit(next, changed: key)
        } catch {
            groups = next
            logger.error("Recording a failed push", metadata: ["group": "\(key)", "err": "\(error)"])
        }
    }

    /// Writes the change to `key` durably, then makes `next` the state.
    private func commit(_ next: [GroupingKey: PushedGroup], changed key: GroupingKey) throws(PushgatewayError) {
        if let files {
            let entry = next[key].map { PushgatewayRecords.JournalEntry(group: PushgatewayRecords.record($0)) }
                ?? PushgatewayRecords.JournalEntry(delete: key.dictionary)
            do {
                try files.append(entry)
            } catch {
                logger.error("Writing pushed groups failed", metadata: ["group": "\(key)", "err": "\(error)"])
                throw error
            }
        }
        groups = next
        if let files, files.needsCompaction {
            do {
                try files.writeSnapshot(next.values)
            } catch {
                // The change is in the journal; the next change tries again.
                logger.error("Compacting the pushed groups journal failed", metadata: ["err": "\(error)"])
            }
        }
    }
}
