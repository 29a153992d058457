import AsyncHTTPClient
public import Logging
import NIOCore
import NIOHTTP1
public import ServiceLifecycle
import Synchronization
public import VigilConfig
import VigilDiscovery
import VigilHTTPClient
public import VigilModel
import VigilScrape

/// Sends alerts to Alertmanagers as Prometheus's notifier does: a bounded queue, batches of up
/// to 64 alerts posted to every discovered Alertmanager of every `alerting.alertmanagers` entry
/// at once, external labels and `alert_relabel_configs` applied on the way.
///
/// ``send(_:)`` only queues, so rule evaluation never waits for an Alertmanager. A batch no
/// Alertmanager accepted is dropped and counted; a newer state of an alert is sent with the next
/// evaluation anyway. Runs as a `Service`: discovery and sending happen while ``run()`` runs, and
/// a graceful shutdown sends what is queued first (see ``NotifierOptions/drainOnShutdown``).
public final class Notifier: Service, Sendable {
    private struct AlertmanagerSet: Sendable {
        var config: AlertmanagerConfig
        var client: ConfiguredHTTPClient
        var relabeler: Relabeler
        var endpoints = AlertmanagerEndpoints()
    }

    private struct State: Sendable {
        var queue: NotifierQueue
        var sets: [String: AlertmanagerSet] = [:]
        var setOrder: [String] = []
        var externalLabels: [String: String] = [:]
        var relabeler = Relabeler([])
        /// Whether the local Alertmanager gets alerts under the configuration in force.
        var localInUse = false
    }

    private let options: NotifierOptions
    private let logger: Logger
    private let metrics: NotifierMetrics
    private let local: LocalAlertmanager?
    private let state: Mutex<State>
    private let discovery: DiscoveryManager
    private let (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))

    /// A notifier with no Alertmanagers until ``apply(_:)``, delivering also to `local` if given.
    public init(
        options: NotifierOptions = NotifierOptions(), local: LocalAlertmanager? = nil, logger: Logger,
        registry: MetricsRegistry? = nil
    ) {
        self.options = options
        self.local = local
        self.logger = logger
        metrics = NotifierMetrics(registry: registry, capacity: options.queueCapacity)
        state = Mutex(State(queue: NotifierQueue(capacity: options.queueCapacity)))
        discovery = DiscoveryManager(logger: logger, registry: nil)
    }

    /// Puts `config`'s `alerting` section and external labels in force. Entries whose settings
    /// did not change keep their HTTP client and discovered Alertmanagers.
    public func apply(_ config: PrometheusConfig) async throws(NotifierError) {
        var built: [String: AlertmanagerSet] = [:]
        var order: [String] = []
        var created: [ConfiguredHTTPClient] = []
        let current = state.withLock { $0.sets }
        for (index, entry) in config.alerting.alertmanagers.enumerated() {
            let key = "config-\(index)"
            order.append(key)
            if let existing = current[key], existing.config == entry {
                built[key] = existing
                continue
            }
            do {
                if entry.sigv4 != nil {
                    throw NotifierError("sigv4 authentication is not supported by Vigil")
                }
                let client = try ConfiguredHTTPClient(config: entry.httpClient)
                created.append(client)
                built[key] = AlertmanagerSet(config: entry, client: client, relabeler: Relabeler(entry.alertRelabelConfigs))
            } catch {
                for client in created { await client.shutdown() }
                throw NotifierError("alerting.alertmanagers[\(index)]: \(error)")
            }
        }
        let retired = current.compactMap { key, set in built[key]?.client === set.client ? nil : set.client }
        let externalLabels = config.global.externalLabels
        state.withLock { state in
            state.sets = built
            state.setOrder = order
            state.externalLabels = externalLabels
            state.relabeler = Relabeler(config.alerting.alertRelabelConfigs)
            state.localInUse = local.map { $0.use == .always || config.alerting.alertmanagers.isEmpty } ?? false
        }
        var jobs: [String: ServiceDiscoveryConfigs] = [:]
        for (key, set) in built { jobs[key] = set.config.serviceDiscovery }
        await discovery.apply(jobs)
        updateEndpoints(await discovery.snapshot())
        // A request in flight on a replaced client may still be running: close it once that
        // request has had time to time out.
        let grace = Duration.milliseconds(current.values.map(\.config.timeout.milliseconds).max() ?? 0)
        for client in retired {
            Task {
                try? await Task.sleep(for: grace)
                await client.shutdown()
            }
        }
    }

    /// Queues `alerts` for sending, after adding the external labels they lack and applying
    /// `alerting.alert_relabel_configs`. When the queue is full the oldest alerts are dropped.
    public func send(_ alerts: [NotifierAlert]) {
        let dropped = state.withLock { state -> Int in
            var relabeled: [NotifierAlert] = []
            relabeled.reserveCapacity(alerts.count)
            for var alert in alerts {
                if !state.externalLabels.isEmpty {
                    var builder = LabelsBuilder(alert.labels)
                    for (name, value) in state.externalLabels where alert.labels[name] == nil {
                        builder.set(name, value)
                    }
                    alert.labels = builder.build()
                }
                guard let labels = state.relabeler.process(alert.labels) else { continue }
                alert.labels = labels
                relabeled.append(alert)
            }
            guard !relabeled.isEmpty else { return 0 }
            let dropped = state.queue.push(relabeled)
            metrics.queueLength?.set(Double(state.queue.count))
            return dropped
        }
        if dropped > 0 {
            metrics.dropped?.increment(by: Double(dropped))
            logger.warning("Alert notification queue full, dropping alerts", metadata: ["num_dropped": "\(dropped)"])
        }
        wake.yield()
    }

    /// The Alertmanagers alerts go to and the ones relabeling dropped, as `/api/v1/alertmanagers`
    /// lists them (the local one first).
    public var alertmanagers: AlertmanagerEndpoints {
        var all = AlertmanagerEndpoints()
        state.withLock { state in
            if let local, state.localInUse { all.active.append(local.url) }
            for key in state.setOrder {
                guard let set = state.sets[key] else { continue }
                all.active += set.endpoints.active
                all.dropped += set.endpoints.dropped
            }
        }
        return all
    }

    /// Runs discovery and sends queued alerts until a graceful shutdown, then sends what is left.
    public func run() async throws {
        let discovery = self.discovery
        let discoveryTask = Task { [self] in
            await discovery.run { groups in self.updateEndpoints(groups) }
        }
        await withGracefulShutdownHandler {
            for await _ in wakeups {
                _ = await drain(stopOnFailure: false)
            }
        } onGracefulShutdown: { [wake] in
            wake.finish()
        }
        if options.drainOnShutdown {
            _ = await drain(stopOnFailure: true)
        }
        discoveryTask.cancel()
        await discovery.shutdown()
        for set in state.withLock({ Array($0.sets.values) }) { await set.client.shutdown() }
    }

    private func updateEndpoints(_ groups: [String: [TargetGroup]]) {
        state.withLock { state in
            for (key, var set) in state.sets {
                set.endpoints = AlertmanagerEndpoints(groups: groups[key] ?? [], config: set.config)
                state.sets[key] = set
            }
            metrics.discovered?.set(Double(state.sets.values.reduce(0) { $0 + $1.endpoints.active.count }))
        }
    }

    /// Sends batches until the queue is empty; with `stopOnFailure`, stops at the first batch no
    /// Alertmanager took (shutting down should not wait on every batch's timeout).
    private func drain(stopOnFailure: Bool) async -> Bool {
        while true {
            let batch = state.withLock { state in
                let batch = state.queue.pop(options.batchSize)
                metrics.queueLength?.set(Double(state.queue.count))
                return batch
            }
            if batch.isEmpty { return true }
            if await !sendAll(batch) {
                metrics.dropped?.increment(by: Double(batch.count))
                if stopOnFailure { return false }
            }
        }
    }

    /// Posts `batch` to every Alertmanager at once; true if at least one took it.
    private func sendAll(_ batch: [NotifierAlert]) async -> Bool {
        let (sets, localInUse) = state.withLock { state in (state.setOrder.compactMap { state.sets[$0] }, state.localInUse) }
        let clock = ContinuousClock()
        return await withTaskGroup(of: Bool.self) { group in
            if let local, localInUse {
                group.addTask {
                    let start = clock.now
                    let delivered = await local.deliver(batch)
                    self.metrics.recordSend(
                        url: local.url, alerts: batch.count, seconds: Self.seconds(clock.now - start), failed: !delivered)
                    return delivered
                }
            }
            for set in sets where !set.endpoints.active.isEmpty {
                let alerts = set.relabeler.isEmpty ? batch : batch.compactMap { alert -> NotifierAlert? in
                    guard let labels = set.relabeler.process(alert.labels) else { return nil }
                    var relabeled = alert
                    relabeled.labels = labels
                    return relabeled
                }
                if alerts.isEmpty { continue }
                let payload = AlertPayload.encode(alerts, version: set.config.apiVersion)
                for url in set.endpoints.active {
                    group.addTask {
                        let start = clock.now
                        let failure = await self.post(payload, to: url, set: set)
                        self.metrics.recordSend(
                            url: url, alerts: alerts.count, seconds: Self.seconds(clock.now - start), failed: failure != nil)
                        if let failure {
                            self.logger.error(
                                "Error sending alerts", metadata: ["alertmanager": "\(url)", "count": "\(alerts.count)", "err": "\(failure)"])
                        }
                        return failure == nil
                    }
                }
            }
            var delivered = false
            for await accepted in group where accepted { delivered = true }
            return delivered
        }
    }

    /// Posts one payload; nil when the Alertmanager answered 2xx, else why not.
    private func post(_ payload: [UInt8], to url: String, set: AlertmanagerSet) async -> String? {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        do {
            request.headers = try set.client.requestHeaders()
        } catch {
            return "\(error)"
        }
        request.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        request.headers.replaceOrAdd(name: "User-Agent", value: "Vigil")
        request.body = .bytes(ByteBuffer(bytes: payload))
        do {
            let response = try await set.client.client(for: request.url).execute(request, timeout: .milliseconds(set.config.timeout.milliseconds))
            _ = try? await response.body.collect(upTo: 1 << 16)
            guard (200..<300).contains(Int(response.status.code)) else {
                return "bad response status \(response.status.code) \(response.status.reasonPhrase)"
            }
            return nil
        } catch {
            return "\(error)"
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
