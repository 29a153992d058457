public import Logging
public import VigilConfig
import VigilKubernetes
import Synchronization

/// `kubernetes_sd_configs`: targets from the Kubernetes API for one role (node, pod, service,
/// endpoints, endpointslice, ingress), with Prometheus 2.42's `__meta_kubernetes_*` labels and
/// group sources.
///
/// The API server comes from `api_server` (with the config's HTTP client options),
/// `kubeconfig_file` (its current context), or the pod's service account. Objects come from
/// shared informers (``KubernetesInformers``): one watch per resource, namespace and selector
/// pair, whoever else uses it. Nothing is sent until every informer the role needs has synced;
/// after that every change rebuilds the groups and sends them if they differ.
public struct KubernetesDiscovery: DiscoveryProvider {
    /// The config this provider follows.
    public let config: KubernetesSDConfig
    let informers: KubernetesInformers
    let logger: Logger
    let environment: [String: String]?
    let serviceAccountDirectory: String

    /// A provider for `config` taking its informers from `informers`. `environment` and
    /// `serviceAccountDirectory` locate the in-cluster config (defaults: the process's).
    public init(
        _ config: KubernetesSDConfig, informers: KubernetesInformers, logger: Logger, environment: [String: String]? = nil,
        serviceAccountDirectory: String? = nil
    ) {
        self.config = config
        self.informers = informers
        self.logger = logger
        self.environment = environment
        self.serviceAccountDirectory = serviceAccountDirectory ?? KubernetesConnection.serviceAccountDirectory
    }

    /// Always `kubernetes`.
    public var mechanism: String { "kubernetes" }

    /// The API server connection the config asks for.
    func connection() throws -> KubernetesConnection {
        if let server = config.apiServer {
            return KubernetesConnection(server: server.string, httpClient: config.httpClient)
        }
        if !config.kubeconfigFile.isEmpty {
            return try KubeConfig.load(path: config.kubeconfigFile).connection()
        }
        return try KubernetesConnection.inCluster(environment: environment, serviceAccountDirectory: serviceAccountDirectory)
    }

    /// The namespaces to watch: nil means all (Prometheus's `getNamespaces`).
    static func namespaces(_ config: KubernetesSDConfig, own: String) -> [String?] {
        var names = config.namespaces.names
        if config.namespaces.ownNamespace, !own.isEmpty, !names.contains(own) { names.append(own) }
        return names.isEmpty ? [nil] : names
    }

    func options(for role: KubernetesRole) -> ListOptions {
        let selector = config.selectors.first { $0.role == role }
        return ListOptions(labelSelector: selector?.label ?? "", fieldSelector: selector?.field ?? "")
    }

    /// Discovers until cancelled; a connection that cannot be set up is retried every 10 s.
    public func run(send: @escaping @Sendable ([TargetGroup]) async -> Void) async {
        var factory: SharedInformerFactory? = nil
        var namespaceOfPod = ""
        while factory == nil && !Task.isCancelled {
            do {
                let connection = try connection()
                namespaceOfPod = connection.namespace
                factory = try informers.factory(for: connection)
            } catch {
                logger.error("Cannot set up Kubernetes discovery", metadata: ["role": "\(config.role.rawValue)", "err": "\(error)"])
                try? await Task.sleep(for: .seconds(10))
            }
        }
        guard let factory else { return }
        let namespaces = Self.namespaces(config, own: namespaceOfPod)
        let stores = RoleStores()
        let (changes, changed) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        await withTaskGroup(of: Void.self) { group in
            func follow<Object: KubernetesObject>(_ informer: SharedInformer<Object>, _ slot: Int) {
                stores.expect(slot)
                group.addTask {
                    for await update in informer.updates() {
                        stores.set(slot, update.store)
                        changed.yield()
                    }
                }
            }
            var slot = 0
            func next() -> Int {
                defer { slot += 1 }
                return slot
            }
            var plan = RolePlan()
            switch config.role {
            case .node:
                plan.nodes = next()
                follow(factory.informer(Node.self, options: options(for: .node)), plan.nodes!)
            case .pod, .service, .endpoints, .endpointSlice, .ingress:
                if config.attachMetadata.node && [.pod, .endpoints, .endpointSlice].contains(config.role) {
                    plan.nodes = next()
                    follow(factory.informer(Node.self, options: options(for: .node)), plan.nodes!)
                }
                for namespace in namespaces {
                    switch config.role {
                    case .pod:
                        plan.pods.append(next())
                        follow(factory.informer(Pod.self, namespace: namespace, options: options(for: .pod)), plan.pods.last!)
                    case .service:
                        plan.services.append(next())
                        follow(factory.informer(Service.self, namespace: namespace, options: options(for: .service)), plan.services.last!)
                    case .ingress:
                        plan.ingresses.append(next())
                        follow(factory.informer(Ingress.self, namespace: namespace, options: options(for: .ingress)), plan.ingresses.last!)
                    case .endpoints, .endpointSlice:
                        plan.pods.append(next())
                        follow(factory.informer(Pod.self, namespace: namespace, options: options(for: .pod)), plan.pods.last!)
                        plan.services.append(next())
                        follow(factory.informer(Service.self, namespace: namespace, options: options(for: .service)), plan.services.last!)
                        if config.role == .endpoints {
                            plan.endpoints.append(next())
                            follow(
                                factory.informer(Endpoints.self, namespace: namespace, options: options(for: .endpoints)),
                                plan.endpoints.last!)
                        } else {
                            plan.slices.append(next())
                            follow(
                                factory.informer(EndpointSlice.self, namespace: namespace, options: options(for: .endpointSlice)),
                                plan.slices.last!)
                        }
                    case .node:
                        break
                    }
                }
            }
            let role = config.role
            let finalPlan = plan
            group.addTask {
                var last: [TargetGroup]? = nil
                for await _ in changes {
                    guard let snapshot = stores.snapshotIfSynced() else { continue }
                    let groups = Self.groups(role: role, plan: finalPlan, snapshot: snapshot)
                    if groups != last {
                        last = groups
                        await send(groups)
                    }
                }
            }
            await withTaskCancellationHandler {
                await group.next()
            } onCancel: {
                changed.finish()
            }
            group.cancelAll()
        }
    }

    /// Builds every group of `role` from the informers' stores; sorted by source.
    static func groups(role: KubernetesRole, plan: RolePlan, snapshot: [Int: any Sendable]) -> [TargetGroup] {
        func merged<Object: KubernetesObject>(_ slots: [Int], as type: Object.Type) -> [ObjectKey: Object] {
            var all: [ObjectKey: Object] = [:]
            for slot in slots {
                if let store = snapshot[slot] as? [ObjectKey: Object] { all.merge(store) { $1 } }
            }
            return all
        }
        let nodes = plan.nodes.map { merged([$0], as: Node.self) }
        var groups: [TargetGroup] = []
        switch role {
        case .node:
            groups = (nodes ?? [:]).values.compactMap { KubernetesTargets.node($0) }
        case .pod:
            groups = merged(plan.pods, as: Pod.self).values.map { KubernetesTargets.pod($0, nodes: nodes) }
        case .service:
            groups = merged(plan.services, as: Service.self).values.map { KubernetesTargets.service($0) }
        case .ingress:
            groups = merged(plan.ingresses, as: Ingress.self).values.map { KubernetesTargets.ingress($0) }
        case .endpoints, .endpointSlice:
            let context = EndpointContext(
                pods: merged(plan.pods, as: Pod.self), services: merged(plan.services, as: Service.self), nodes: nodes)
            if role == .endpoints {
                groups = merged(plan.endpoints, as: Endpoints.self).values.map { KubernetesTargets.endpoints($0, context: context) }
            } else {
                groups = merged(plan.slices, as: EndpointSlice.self).values.map {
                    KubernetesTargets.endpointSlice($0, context: context)
                }
            }
        }
        return groups.sorted { $0.source < $1.source }
    }
}

/// Which informer slots hold which kind of object for one discovery.
struct RolePlan: Sendable {
    var nodes: Int? = nil
    var pods: [Int] = []
    var services: [Int] = []
    var endpoints: [Int] = []
    var slices: [Int] = []
    var ingresses: [Int] = []
}

/// The latest store of each informer a discovery follows, by slot.
final class RoleStores: Sendable {
    private let state = Mutex<(expected: Set<Int>, stores: [Int: any Sendable])>(([], [:]))

    func expect(_ slot: Int) {
        state.withLock { _ = $0.expected.insert(slot) }
    }

    func set(_ slot: Int, _ store: any Sendable) {
        state.withLock { $0.stores[slot] = store }
    }

    /// Every store, once each expected informer has synced.
    func snapshotIfSynced() -> [Int: any Sendable]? {
        state.withLock { state in
            state.expected.isSubset(of: Set(state.stores.keys)) ? state.stores : nil
        }
    }
}
