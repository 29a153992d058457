public import Logging
public import ServiceLifecycle
import Foundation
import Synchronization
import VigilModel
import VigilConfig

/// The embedded Alertmanager: alerts, silences, inhibition, routing, grouping and notification,
/// behind the calls the HTTP API (Alertmanager API v2) makes.
///
/// Thread-safe. Run it as a `Service`: ``run()`` flushes aggregation groups on schedule and does
/// maintenance until graceful shutdown, then writes a final snapshot. ``reload(config:integrations:)``
/// swaps the configuration without losing alerts, silences or the notification log.
public final class Alertmanager: Service, Sendable {
    /// What changes with the configuration.
    private struct Runtime: Sendable {
        var config: AlertmanagerConfiguration
        var root: Route
        var inhibitor: Inhibitor
        var dispatcher: Dispatcher
    }

    private let options: AlertmanagerOptions
    private let clock: any AlertmanagerClock
    private let logger: Logger
    private let store = AlertStore()
    private let marker = AlertMarker()
    private let silenceStore: Silences
    private let notificationLog: NotificationLog
    private let runtime: Mutex<Runtime>
    private let startedAt: Int64
    private let wakeup = Wakeup()
    /// Set when a flush may have logged a notification not yet written to disk.
    private let notificationLogChanged = Atomic<Bool>(false)
    let counters = AlertmanagerCounters()

    /// Starts from `config`, delivering through `integrations` (by receiver name), and restores
    /// silences, the notification log and alerts from the data directory when there is one
    /// (creating it when missing).
    ///
    /// Throws when the directory cannot be created or a snapshot exists but cannot be read; the
    /// error names the file.
    public init(
        config: AlertmanagerConfiguration, integrations: [String: [any Integration]], options: AlertmanagerOptions = .init(),
        clock: any AlertmanagerClock = SystemAlertmanagerClock(), logger: Logger = Logger(label: "vigil.alertmanager")
    ) throws(SnapshotError) {
        self.options = options
        self.clock = clock
        self.logger = logger
        let directory = options.dataDirectory
        if let directory {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw SnapshotError(path: directory, message: "cannot create the data directory \(directory): \(error)")
            }
        }
        silenceStore = Silences(retention: options.retention, snapshotPath: directory.map { $0 + "/silences.json" })
        notificationLog = NotificationLog(retention: options.retention, snapshotPath: directory.map { $0 + "/nflog.json" })
        startedAt = clock.now()
        let now = startedAt
        try silenceStore.loadSnapshot(now: now)
        try notificationLog.loadSnapshot(now: now)
        var restored: [Alert] = []
        if let directory { restored = try store.loadSnapshot(from: directory + "/alerts.json") }
        runtime = Mutex(Self.makeRuntime(
            config: config, integrations: integrations, marker: marker, silences: silenceStore, log: notificationLog,
            clock: clock, externalURL: options.externalURL, counters: counters, logger: logger))
        let inhibitor = runtime.withLock { $0.inhibitor }
        inhibitor.observe(restored)
        pendingReplay.withLock { $0 = restored }
    }

    /// Alerts restored from the snapshot, routed into the dispatcher when ``run()`` starts.
    private let pendingReplay = Mutex<[Alert]>([])

    private static func makeRuntime(
        config: AlertmanagerConfiguration, integrations: [String: [any Integration]], marker: AlertMarker, silences: Silences,
        log: NotificationLog, clock: any AlertmanagerClock, externalURL: String, counters: AlertmanagerCounters,
        logger: Logger
    ) -> Runtime {
        for receiver in config.receivers where !receiver.isEmpty && integrations[receiver.name] == nil {
            logger.warning(
                "Receiver has integrations configured but none were given; its notifications are dropped",
                metadata: ["receiver": "\(receiver.name)"])
        }
        let inhibitor = Inhibitor(rules: config.inhibitRules, marker: marker)
        let pipeline = NotificationPipeline(
            inhibitor: inhibitor, silences: silences, marker: marker, notificationLog: log,
            timeIntervals: config.timeIntervalsByName, clock: clock, externalURL: externalURL, counters: counters,
            logger: logger)
        let root = Route(config.route)
        return Runtime(
            config: config, root: root, inhibitor: inhibitor,
            dispatcher: Dispatcher(root: root, receivers: integrations, pipeline: pipeline))
    }

    private var current: Runtime { runtime.withLock { $0 } }

    /// The current time by the Alertmanager's clock (nanoseconds since the epoch), to judge
    /// silence states against.
    public func now() -> Int64 { clock.now() }

    // MARK: Alerts

    /// Accepts a batch of posted alerts (`POST /api/v2/alerts`): applies defaults, validates,
    /// stores (merging re-sent alerts) and routes them. Returns the refused ones' errors; the
    /// others are kept even when some are refused.
    @discardableResult
    public func putAlerts(_ alerts: [PostableAlert]) async -> [AlertValidationError] {
        let now = clock.now()
        let resolveTimeout = current.config.global.resolveTimeout.milliseconds * 1_000_000
        var accepted: [Alert] = []
        var errors: [AlertValidationError] = []
        for alert in alerts {
            do {
                accepted.append(try alert.accepted(now: now, resolveTimeout: resolveTimeout))
            } catch {
                errors.append(error)
            }
        }
        let firing = accepted.filter { !$0.isResolved(at: now) }.count
        counters.received(firing: firing, resolved: accepted.count - firing, invalid: errors.count)
        let stored = store.put(accepted, now: now)
        let runtime = current
        runtime.inhibitor.observe(stored)
        await runtime.dispatcher.insert(stored)
        // A reload that read the store before these alerts were put must still route them.
        let latest = current
        if latest.dispatcher !== runtime.dispatcher {
            latest.inhibitor.observe(stored)
            await latest.dispatcher.insert(stored)
        }
        wakeup.signal()
        return errors
    }

    /// The unresolved alerts passing `filter`, ordered by fingerprint (`GET /api/v2/alerts`).
    public func alerts(_ filter: AlertFilter) -> [AlertSnapshot] {
        let now = clock.now()
        let runtime = current
        return store.all().compactMap { snapshot(of: $0, filter: filter, runtime: runtime, now: now) }
            .sorted { $0.fingerprint.description < $1.fingerprint.description }
    }

    /// The aggregation groups with their alerts passing `filter` (`GET /api/v2/alerts/groups`),
    /// in Alertmanager's order; groups left without alerts are omitted.
    public func alertGroups(_ filter: AlertFilter) async -> [AlertGroupSnapshot] {
        let now = clock.now()
        let runtime = current
        var result: [AlertGroupSnapshot] = []
        for group in await runtime.dispatcher.groupSummaries() {
            guard filter.admits(receivers: [group.receiver]) else { continue }
            let alerts = AlertOrder.sorted(group.fingerprints.compactMap { store.get($0) })
                .compactMap { snapshot(of: $0, filter: filter, runtime: runtime, now: now) }
            if !alerts.isEmpty {
                result.append(AlertGroupSnapshot(labels: group.labels, receiver: group.receiver, alerts: alerts))
            }
        }
        // `dispatch.AlertGroups` order: by labels (`LabelSet.Before`), then by receiver.
        return result.sorted { lhs, rhs in
            lhs.labels == rhs.labels ? lhs.receiver < rhs.receiver : AlertOrder.before(lhs.labels, rhs.labels)
        }
    }

    private func snapshot(of alert: Alert, filter: AlertFilter, runtime: Runtime, now: Int64) -> AlertSnapshot? {
        let receivers = runtime.root.match(alert.labels).map(\.options.receiver)
        guard filter.admits(receivers: receivers), filter.matchers.allMatch(alert.labels),
            !alert.isResolved(at: now)
        else { return nil }
        let fingerprint = alert.fingerprint
        _ = runtime.inhibitor.mutes(alert.labels, now: now)
        marker.setSilenced(fingerprint, by: silenceStore.activeIDs(matching: alert.labels, now: now))
        let status = marker.status(fingerprint)
        guard filter.admits(status) else { return nil }
        return AlertSnapshot(alert: alert, fingerprint: fingerprint, status: status, receivers: receivers)
    }

    /// Every stored alert (for the self-metrics).
    var storedAlerts: [Alert] { store.all() }

    /// The marker's verdict on an alert (for the self-metrics).
    func markerStatus(_ fingerprint: Fingerprint) -> AlertMarkerStatus { marker.status(fingerprint) }

    // MARK: Silences

    /// Every silence (`GET /api/v2/silences`); judge states with ``now()``.
    public func silences() -> [Silence] { silenceStore.all() }

    /// The silence with this ID (`GET /api/v2/silence/{id}`).
    public func silence(id: String) -> Silence? { silenceStore.get(id: id) }

    /// Creates or updates a silence (`POST /api/v2/silences`); returns its ID, which is new when
    /// the silence had none or could not be updated in place.
    public func createSilence(_ silence: Silence) throws(SilenceError) -> String {
        let now = clock.now()
        if silence.startsAt >= silence.endsAt {
            throw SilenceError(.invalid, "Failed to create silence: start time must be before end time")
        }
        if silence.endsAt < now { throw SilenceError(.invalid, "Failed to create silence: end time can't be in the past") }
        let id = try silenceStore.set(silence, now: now)
        try persistSilences()
        return id
    }

    /// Writes the silences before a change is acknowledged, so a silence the API confirmed
    /// survives a crash (Alertmanager itself snapshots only every 15 minutes).
    private func persistSilences() throws(SilenceError) {
        do {
            try silenceStore.saveSnapshot()
        } catch {
            logger.error("Writing the silences failed", metadata: ["err": "\(error)"])
            throw SilenceError(.storage, "the silence is in force but could not be saved: \(error)")
        }
    }

    /// Expires a silence (`DELETE /api/v2/silence/{id}`).
    public func expireSilence(id: String) throws(SilenceError) {
        try silenceStore.expire(id: id, now: clock.now())
        try persistSilences()
    }

    // MARK: Configuration and status

    /// The receivers' names, in file order (`GET /api/v2/receivers`).
    public var receiverNames: [String] { current.config.receivers.map(\.name) }

    /// The loaded configuration.
    public var config: AlertmanagerConfiguration { current.config }

    /// What `GET /api/v2/status` reports.
    public var status: AlertmanagerStatus {
        AlertmanagerStatus(configOriginal: current.config.original, startedAt: startedAt, version: options.version)
    }

    /// Applies a new configuration: a new routing tree, inhibitor and dispatcher; alerts,
    /// silences and the notification log are kept, so nothing already notified is sent again.
    public func reload(config: AlertmanagerConfiguration, integrations: [String: [any Integration]]) async {
        let next = Self.makeRuntime(
            config: config, integrations: integrations, marker: marker, silences: silenceStore, log: notificationLog,
            clock: clock, externalURL: options.externalURL, counters: counters, logger: logger)
        let alerts = store.all()
        next.inhibitor.observe(alerts)
        await next.dispatcher.insert(alerts)
        runtime.withLock { $0 = next }
        wakeup.signal()
        logger.info("Completed loading of configuration file")
    }

    // MARK: Running

    /// Flushes groups as they fall due and does maintenance until graceful shutdown, then
    /// snapshots silences, the notification log and alerts.
    public func run() async throws {
        let replay = pendingReplay.withLock { alerts in
            defer { alerts = [] }
            return alerts
        }
        await current.dispatcher.insert(replay)
        await cancelWhenGracefulShutdown {
            await self.dispatchUntilCancelled()
        }
        maintain(now: clock.now())
    }

    /// The loop: start due flushes (each in its own child task), run maintenance when due, sleep
    /// until the next thing falls due. Flushes still running when it is cancelled are cancelled too.
    private func dispatchUntilCancelled() async {
        var nextMaintenance = clock.now() + options.maintenanceInterval
        var nextAlertGC = clock.now() + options.alertGCInterval
        var nextLogSave = clock.now()
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let dispatcher = current.dispatcher
                for job in await dispatcher.startDueFlushes() {
                    group.addTask {
                        await dispatcher.perform(job)
                        self.notificationLogChanged.store(true, ordering: .relaxed)
                        self.wakeup.signal()
                    }
                }
                let now = clock.now()
                // What was sent is written within a second, so a crash repeats at most that
                // second's notifications.
                if now >= nextLogSave && notificationLogChanged.exchange(false, ordering: .relaxed) {
                    saveNotificationLog()
                    nextLogSave = now + Self.notificationLogSaveInterval
                }
                if now >= nextAlertGC {
                    collectAlertGarbage(now: now)
                    nextAlertGC = now + options.alertGCInterval
                }
                if now >= nextMaintenance {
                    maintain(now: now)
                    nextMaintenance = now + options.maintenanceInterval
                }
                // Posted alerts, finished flushes and reloads wake the loop early.
                var due = await dispatcher.nextDue() ?? Int64.max
                if notificationLogChanged.load(ordering: .relaxed) { due = min(due, nextLogSave) }
                do {
                    try await wakeup.sleep(on: clock, until: min(due, nextMaintenance, nextAlertGC))
                } catch {
                    group.cancelAll()
                    return
                }
            }
            group.cancelAll()
        }
    }

    /// The least time between two writes of the notification log (ns).
    static let notificationLogSaveInterval: Int64 = 1_000_000_000

    private func saveNotificationLog() {
        do {
            try notificationLog.saveSnapshot()
        } catch {
            logger.error("Writing the notification log failed", metadata: ["err": "\(error)"])
        }
    }

    private func collectAlertGarbage(now: Int64) {
        let removed = store.collectGarbage(now: now)
        marker.delete(removed)
        current.inhibitor.forget(removed)
    }

    /// Garbage-collects silences and the notification log and writes every snapshot.
    private func maintain(now: Int64) {
        silenceStore.collectGarbage(now: now)
        notificationLog.collectGarbage(now: now)
        do {
            try saveSnapshots()
        } catch {
            logger.error("Writing the Alertmanager snapshots failed", metadata: ["err": "\(error)"])
        }
    }

    /// Writes silences, the notification log and alerts to the data directory (no-op without one).
    public func saveSnapshots() throws(SnapshotError) {
        guard let directory = options.dataDirectory else { return }
        try silenceStore.saveSnapshot()
        try notificationLog.saveSnapshot()
        try store.saveSnapshot(to: directory + "/alerts.json")
    }
}
