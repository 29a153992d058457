import Logging
import VigilModel

/// Sorts alerts into aggregation groups by the routing tree and flushes each group through the
/// notification pipeline on Alertmanager's schedule (`dispatch.Dispatcher`): `group_wait` after
/// the group appears (at once for alerts older than that), then every `group_interval`.
///
/// Time only moves through the clock: ``flushDue()`` runs the flushes due now, and the service's
/// loop calls it whenever the next one falls due.
actor Dispatcher {
    private let root: Route
    private let receivers: [String: [any Integration]]
    private let pipeline: NotificationPipeline
    private let clock: any AlertmanagerClock
    private var groups: [String: AggregationGroup] = [:]

    init(root: Route, receivers: [String: [any Integration]], pipeline: NotificationPipeline) {
        self.root = root
        self.receivers = receivers
        self.pipeline = pipeline
        clock = pipeline.clock
    }

    /// Routes alerts (as stored, after merging) into their groups.
    func insert(_ alerts: [Alert]) {
        let now = clock.now()
        for alert in alerts {
            for route in root.match(alert.labels) {
                let labels = route.groupLabels(of: alert.labels)
                let id = route.id + "\u{0}" + GroupKey.labelSetDescription(labels)
                groups[id, default: AggregationGroup(route: route, labels: labels, now: now)].insert(alert, now: now)
            }
        }
    }

    /// The earliest time a group falls due, nil when there are no groups.
    func nextDue() -> Int64? {
        groups.values.filter { !$0.flushing }.map(\.nextFlush).min()
    }

    /// Takes the groups due at the clock's now, schedules their next flush, and returns their jobs.
    func startDueFlushes() -> [FlushJob] {
        let now = clock.now()
        var jobs: [FlushJob] = []
        // Only the due groups are sorted (by key, so flushes start in a stable order): with
        // thousands of groups, most wake-ups find few or none due.
        var due: [String] = []
        for (id, group) in groups where !group.flushing && group.nextFlush <= now { due.append(id) }
        for id in due.sorted() {
            guard var group = groups[id] else { continue }
            group.flushing = true
            group.hasFlushed = true
            group.nextFlush = now + group.route.options.groupInterval
            groups[id] = group
            jobs.append(FlushJob(
                groupID: id, groupKey: group.key, groupLabels: group.labels, route: group.route,
                alerts: group.snapshot(now: now), now: now))
        }
        return jobs
    }

    /// Runs one flush through the pipeline and records its outcome.
    func perform(_ job: FlushJob) async {
        let integrations = receivers[job.route.options.receiver] ?? []
        let succeeded = await pipeline.run(job, integrations: integrations)
        finish(job, succeeded: succeeded)
    }

    private func finish(_ job: FlushJob, succeeded: Bool) {
        guard var group = groups[job.groupID] else { return }
        group.flushing = false
        if succeeded { group.removeNotifiedResolved(job.alerts, now: job.now) }
        groups[job.groupID] = group.alerts.isEmpty ? nil : group
    }

    /// Runs every flush due now and waits for them (what the service loop does each tick).
    func flushDue() async {
        let jobs = startDueFlushes()
        await withTaskGroup(of: Void.self) { group in
            for job in jobs {
                group.addTask { await self.perform(job) }
            }
        }
    }

    /// The aggregation groups for the API: per group its labels, route and alert fingerprints.
    func groupSummaries() -> [AlertGroupSummary] {
        groups.values.sorted { $0.key < $1.key }.map { group in
            AlertGroupSummary(
                labels: group.labels, receiver: group.route.options.receiver, routeID: group.route.id,
                groupKey: group.key, fingerprints: group.alerts.keys.sorted())
        }
    }
}

/// One aggregation group as the API lists it (`GET /api/v2/alerts/groups`).
struct AlertGroupSummary: Sendable, Hashable {
    /// The group's `group_by` label values.
    public var labels: Labels
    /// The receiver the group notifies.
    public var receiver: String
    /// The route's ID.
    public var routeID: String
    /// The group key.
    public var groupKey: String
    /// The group's alerts.
    public var fingerprints: [Fingerprint]
}
