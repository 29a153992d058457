import Logging
import VigilModel

/// One group flush's way to the receiver (`notify.BuildPipeline` for one receiver): inhibition,
/// active and mute time intervals, silences, then per integration concurrently the
/// notification-log dedup, delivery with retries, and logging what was sent.
struct NotificationPipeline: Sendable {
    let inhibitor: Inhibitor
    let silences: Silences
    let marker: AlertMarker
    let notificationLog: NotificationLog
    let timeIntervals: [String: TimeIntervalConfig]
    let clock: any AlertmanagerClock
    let externalURL: String
    let counters: AlertmanagerCounters
    let logger: Logger

    /// Alertmanager's shortest flush deadline (`notify.MinTimeout`).
    static let minimumTimeout: Int64 = 10_000_000_000

    /// Runs the pipeline for one flush; true when every integration succeeded (or had nothing to do).
    func run(_ flush: FlushJob, integrations: [any Integration]) async -> Bool {
        let now = flush.now
        var alerts = flush.alerts.filter { !inhibitor.mutes($0.labels, now: now) }
        if alerts.isEmpty { return true }
        let route = flush.route.options
        if !route.activeTimeIntervals.isEmpty, !inside(route.activeTimeIntervals, now: now) {
            logger.debug("Notifications not sent, route is not within active time", metadata: ["aggrGroup": "\(flush.groupKey)"])
            return true
        }
        if !route.muteTimeIntervals.isEmpty, inside(route.muteTimeIntervals, now: now) {
            logger.debug("Notifications not sent, route is within mute time", metadata: ["aggrGroup": "\(flush.groupKey)"])
            return true
        }
        alerts = alerts.filter { alert in
            let ids = silences.activeIDs(matching: alert.labels, now: now)
            marker.setSilenced(alert.fingerprint, by: ids)
            return ids.isEmpty
        }
        if alerts.isEmpty { return true }
        let firing = alerts.filter { !$0.isResolved(at: now) }.map { Self.hash($0.labels) }
        let resolved = alerts.filter { $0.isResolved(at: now) }.map { Self.hash($0.labels) }
        let delivery = Delivery(
            flush: flush, alerts: alerts, firing: firing, resolved: resolved, pipeline: self)
        return await withTaskGroup(of: Bool.self) { group in
            for integration in integrations {
                group.addTask { await delivery.deliver(through: integration) }
            }
            var succeeded = true
            for await result in group where !result { succeeded = false }
            return succeeded
        }
    }

    private func inside(_ names: [String], now: Int64) -> Bool {
        names.contains { timeIntervals[$0]?.contains(nanoseconds: now) ?? false }
    }

    /// `notify.hashAlert`: xxHash64 of the labels sorted by name, each name and value followed by 0xFF.
    static func hash(_ labels: Labels) -> UInt64 {
        var bytes: [UInt8] = []
        for label in labels {
            bytes += label.name.utf8
            bytes.append(0xFF)
            bytes += label.value.utf8
            bytes.append(0xFF)
        }
        return XXHash64.hash(bytes)
    }
}

/// One flush's alerts on their way through each integration of the receiver.
private struct Delivery: Sendable {
    let flush: FlushJob
    let alerts: [Alert]
    let firing: [UInt64]
    let resolved: [UInt64]
    let pipeline: NotificationPipeline

    func deliver(through integration: any Integration) async -> Bool {
        let receiverKey = NotificationLog.receiverKey(
            receiver: flush.route.options.receiver, integration: integration.name, index: integration.index)
        let entry = pipeline.notificationLog.query(groupKey: flush.groupKey, receiver: receiverKey)
        guard needsUpdate(entry, sendResolved: integration.sendResolved) else { return true }
        let sent = integration.sendResolved ? alerts : alerts.filter { !$0.isResolved(at: flush.now) }
        if !sent.isEmpty {
            let delivered = await send(sent, through: integration)
            pipeline.counters.notification(integration.name, failed: !delivered)
            guard delivered else { return false }
        }
        pipeline.notificationLog.log(
            groupKey: flush.groupKey, receiver: receiverKey, firing: firing, resolved: resolved,
            now: pipeline.clock.now(), expiry: 2 * flush.route.options.repeatInterval)
        return true
    }

    /// `DedupStage.needsUpdate`.
    func needsUpdate(_ entry: NotificationLogEntry?, sendResolved: Bool) -> Bool {
        let firingSet = Set(firing)
        guard let entry else { return !firingSet.isEmpty }
        if !entry.isFiringSubset(firingSet) { return true }
        // All resolved: notify (whatever send_resolved says) so the log forgets the firing ones,
        // unless the receiver never heard of them.
        if firingSet.isEmpty { return !entry.firingAlerts.isEmpty }
        if sendResolved, !entry.isResolvedSubset(Set(resolved)) { return true }
        return entry.timestamp < flush.now - flush.route.options.repeatInterval
    }

    /// Delivers with exponential backoff until it succeeds, fails for good, or the flush's deadline passes.
    private func send(_ sent: [Alert], through integration: any Integration) async -> Bool {
        let data = notificationData(sent)
        let timeout = max(flush.route.options.groupInterval, NotificationPipeline.minimumTimeout)
        let deadline = flush.now + timeout
        var backoff = Backoff()
        var attempts = 0
        var lastError: IntegrationError?
        let logger = pipeline.logger
        while true {
            attempts += 1
            do throws(IntegrationError) {
                try await integration.notify(data)
                pipeline.counters.request(integration.name, failed: false)
                return true
            } catch {
                pipeline.counters.request(integration.name, failed: true)
                if !error.retryable {
                    logger.error("Notify for alerts failed", metadata: [
                        "receiver": "\(flush.route.options.receiver)", "integration": "\(integration.name)[\(integration.index)]",
                        "err": "notify retry canceled due to unrecoverable error after \(attempts) attempts: \(error)",
                    ])
                    return false
                }
                if lastError?.description != error.description {
                    logger.warning("Notify attempt failed, will retry later", metadata: [
                        "receiver": "\(flush.route.options.receiver)", "integration": "\(integration.name)[\(integration.index)]",
                        "attempts": "\(attempts)", "err": "\(error)",
                    ])
                }
                lastError = error
            }
            let next = pipeline.clock.now() + backoff.next()
            if next >= deadline || Task.isCancelled {
                logger.error("Notify for alerts failed", metadata: [
                    "receiver": "\(flush.route.options.receiver)", "integration": "\(integration.name)[\(integration.index)]",
                    "err": "notify retry canceled after \(attempts) attempts: \(lastError?.description ?? "")",
                ])
                return false
            }
            do {
                try await pipeline.clock.sleep(until: next)
            } catch {
                return false
            }
        }
    }

    /// Alertmanager's template data for the alerts an integration is sent.
    private func notificationData(_ sent: [Alert]) -> NotificationData {
        let now = flush.now
        var commonLabels = sent.first?.labels.dictionary ?? [:]
        var commonAnnotations = sent.first?.annotations.dictionary ?? [:]
        for alert in sent.dropFirst() {
            commonLabels = commonLabels.filter { alert.labels[$0.key] == $0.value }
            commonAnnotations = commonAnnotations.filter { alert.annotations[$0.key] == $0.value }
        }
        let anyFiring = sent.contains { !$0.isResolved(at: now) }
        return NotificationData(
            receiver: RegexQuote.quoteMeta(flush.route.options.receiver), status: anyFiring ? .firing : .resolved,
            alerts: sent.map { $0.notificationAlert(at: now) }, groupLabels: flush.groupLabels,
            commonLabels: Labels(dictionary: commonLabels), commonAnnotations: Labels(dictionary: commonAnnotations),
            externalURL: pipeline.externalURL, groupKey: flush.groupKey)
    }
}

/// The retry schedule of Go's `backoff.ExponentialBackOff` defaults: 500ms growing by 1.5 to
/// at most 60s, each randomised by ±50%.
struct Backoff {
    private var interval: Double = 0.5

    /// The next wait, in nanoseconds.
    mutating func next() -> Int64 {
        let randomised = interval * Double.random(in: 0.5...1.5)
        interval = min(interval * 1.5, 60)
        return Int64(randomised * 1_000_000_000)
    }
}

/// Go's `regexp.QuoteMeta`, which Alertmanager applies to the receiver name in template data.
enum RegexQuote {
    static func quoteMeta(_ text: String) -> String {
        var result = ""
        for character in text {
            if "\\.+*?()|[]{}^$".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
