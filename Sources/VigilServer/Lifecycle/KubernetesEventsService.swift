import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import VigilConfig
import VigilDiscovery
import VigilEvents
import VigilKubernetes
import VigilModel

/// The `kubernetes_events:` section at work: one watch of core/v1 events through a shared
/// informer, each event sent once to the sinks and kept in the event store, which
/// `GET /api/v1/events` searches. Read at start; a reload does not change it.
struct KubernetesEventsService: ServiceLifecycle.Service {
    let config: KubernetesEventsConfig
    let watcher: KubernetesEventWatcher
    let store: KubernetesEventStore?
    /// Where the hand-over publishes its watermark, once the API connection exists.
    let elector: ElectorSlot
    let logger: Logger

    /// Builds the watcher, its sinks (kube-eventer `--sink=` values) and the store under `directory`.
    static func make(
        config: KubernetesEventsConfig, directory: @autoclosure () throws -> String, registry: MetricsRegistry,
        logger: Logger
    ) throws -> KubernetesEventsService {
        var routes = try config.sinks.map { try KubernetesEventSinkArgument.parse($0) }
        var store: KubernetesEventStore?
        if config.store.enabled {
            let opened = try KubernetesEventStore(
                directory: URL(fileURLWithPath: try directory()), retention: .milliseconds(config.store.retention.milliseconds))
            // Each replica keeps its own searchable history, leader or not.
            routes.append(KubernetesEventRoute(sink: KubernetesEventStoreSink(store: opened), everyReplica: true))
            store = opened
        }
        let filter = try KubernetesEventFilter(
            namespaces: Set(config.filter.namespaces), excludeNamespaces: Set(config.filter.excludeNamespaces),
            kinds: Set(config.filter.kinds), excludeKinds: Set(config.filter.excludeKinds), reasons: Set(config.filter.reasons),
            excludeReasons: Set(config.filter.excludeReasons), minimumType: config.filter.level,
            message: config.filter.message, excludeMessage: config.filter.excludeMessage)
        let elector = ElectorSlot()
        let handOver: EventHandOver? = config.leaderElection.enabled
            ? EventHandOver { watermark in try await elector.publish(EventHandOver.annotation, String(watermark)) } : nil
        let watcher = KubernetesEventWatcher(
            filter: filter, deduplicator: EventDeduplicator(capacity: config.dedupCapacity), routes: routes,
            queue: SinkQueueSettings(capacity: config.queueCapacity), handOver: handOver, metrics: registry, logger: logger)
        return KubernetesEventsService(config: config, watcher: watcher, store: store, elector: elector, logger: logger)
    }

    /// `GET /api/v1/events`: the store searched by namespace, kind, object, reason, type and time.
    func register(on router: Router<BasicRequestContext>) {
        guard let store else { return }
        router.get("/api/v1/events") { request, _ in
            var parameters: [String: String] = [:]
            for (name, value) in request.uri.queryParameters { parameters[String(name)] = String(value) }
            let (status, body) = await KubernetesEventsAPI.respond(to: parameters, store: store)
            return Response(
                status: .init(code: status), headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
    }

    func run() async throws {
        let informers = KubernetesInformers(logger: logger)
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await watch(informers) }
                if let store { group.addTask { await enforceRetention(store) } }
            }
        }
        await informers.shutdown()
    }

    private func watch(_ informers: KubernetesInformers) async {
        while !Task.isCancelled {
            let factory: SharedInformerFactory
            do {
                factory = try informers.factory(for: try connection())
            } catch {
                logger.error("Cannot connect to the Kubernetes API for events; retrying in 10s", metadata: ["err": "\(error)"])
                try? await Task.sleep(for: .seconds(10))
                continue
            }
            // No store: the watcher's bounded deduplicator is the memory of which events were seen.
            let informer = factory.informer(
                Event.self, namespace: config.namespace.isEmpty ? nil : config.namespace, keepsObjects: false)
            logger.info("Watching Kubernetes events", metadata: ["server": "\(factory.client.connection.server)"])
            guard let handOver = watcher.handOver else {
                // Returns when cancelled; the informer itself relists and reconnects.
                await watcher.run(informer.updates(withStore: false), subscribedAt: currentMilliseconds())
                return
            }
            let elector = LeaderElector(client: factory.client, settings: electionSettings(), logger: logger)
            self.elector.set(elector)
            logger.info(
                "Electing the event sender", metadata: ["lease": "\(elector.settings.leaseNamespace)/\(elector.settings.leaseName)",
                "identity": "\(elector.settings.identity)"])
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await watcher.run(informer.updates(withStore: false), subscribedAt: currentMilliseconds()) }
                group.addTask {
                    await elector.run { lease in
                        handOver.observe(isLeader: lease.isLeader, watermark: EventHandOver.watermark(in: lease.annotations))
                    }
                }
            }
            // Graceful: the sinks drained above; the holder is emptied (with the last watermark)
            // so the other replica takes over at its next try. The release must outlive the
            // cancellation that brought us here.
            await Task { await elector.release() }.value
            return
        }
    }

    /// The election settings, with the identity and namespace of this pod when not configured.
    private func electionSettings() -> LeaderElectionSettings {
        let election = config.leaderElection
        let environment = ProcessInfo.processInfo.environment
        var identity = election.identity
        if identity.isEmpty { identity = environment["POD_NAME"] ?? "" }
        if identity.isEmpty { identity = ProcessInfo.processInfo.hostName }
        var namespace = election.leaseNamespace
        if namespace.isEmpty { namespace = environment["POD_NAMESPACE"] ?? "" }
        if namespace.isEmpty {
            let file = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"
            namespace = ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if namespace.isEmpty { namespace = "default" }
        return LeaderElectionSettings(
            leaseName: election.leaseName, leaseNamespace: namespace, identity: identity,
            leaseDuration: .milliseconds(election.leaseDuration.milliseconds),
            renewDeadline: .milliseconds(election.renewDeadline.milliseconds),
            retryPeriod: .milliseconds(election.retryPeriod.milliseconds))
    }

    private func connection() throws -> KubernetesConnection {
        try KubernetesConnection(access: config.api)
    }

    private func enforceRetention(_ store: KubernetesEventStore) async {
        while !Task.isCancelled {
            do {
                let removed = try await store.enforceRetention(now: currentMilliseconds())
                if removed > 0 { logger.info("Event store retention", metadata: ["removed_files": "\(removed)"]) }
            } catch {
                logger.error("Event store retention failed", metadata: ["err": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(3600))
        }
    }
}

/// The elector, known once the API connection is made; the hand-over publishes through it.
final class ElectorSlot: Sendable {
    private let elector = Mutex<LeaderElector?>(nil)

    func set(_ elector: LeaderElector) { self.elector.withLock { $0 = elector } }

    /// Writes an annotation on the Lease; fails when there is no elector yet or it is not the leader.
    func publish(_ key: String, _ value: String) async throws {
        guard let elector = elector.withLock({ $0 }) else { throw KubernetesError.configuration("no leader election yet") }
        try await elector.setAnnotation(key, value)
    }
}
