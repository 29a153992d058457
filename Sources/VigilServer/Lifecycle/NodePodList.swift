import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import VigilCollectors
import VigilConfig
import VigilKubernetes

/// The container collector's names from the API server: this node's pods (`NODE_NAME`, else
/// every pod the account may list), by UID, and their containers, by runtime ID, with the image
/// the kubelet reports — cAdvisor's `image` label, which the node's log layout cannot give.
///
/// The kubelet's log layout (``PodLogDirectory``) stays underneath: a pod the informer has not
/// listed yet, or a container the API no longer shows, is still named from its log directory.
/// Lookups take a lock briefly and never wait for the API server.
final class NodePodList: VigilCollectors.PodMetadataSource, ServiceLifecycle.Service {
    private let known = Mutex(PodDirectory())
    private let layout: any VigilCollectors.PodMetadataSource
    let client: KubernetesClient
    let nodeName: String
    private let logger: Logger

    /// The list for `options`: through `--collector.container.kubeconfig`, else the in-cluster
    /// account when this process runs in a pod; nil outside a cluster without a kubeconfig, in a
    /// pod without a service account token, or when the container collector is off.
    ///
    /// - Throws: when the named kubeconfig cannot be read.
    static func make(
        options: NodeCollectorOptions, environment: [String: String]? = nil, logger: Logger
    ) throws -> NodePodList? {
        guard options.enabled.contains("container") else { return nil }
        let environment = environment ?? ProcessInfo.processInfo.environment
        let named = options.containerKubeconfig.map { KubernetesAPIAccess(kubeconfigFile: $0) }
        guard let access = KubernetesAPIAccess.configuredOrInCluster(named, environment: environment) else { return nil }
        let layout = PodLogDirectory(root: options.paths.root(options.containerPodLogs))
        do {
            return try NodePodList(access: access, nodeName: environment["NODE_NAME"] ?? "", layout: layout, logger: logger)
        } catch where !access.isExplicit {
            // A pod without a service account token still gets its metrics, named from the logs.
            logger.warning("Container labels come from the log layout only: no API server", metadata: ["err": "\(error)"])
            return nil
        }
    }

    /// A list of the pods on `nodeName` (all pods when empty) that `access` reaches, over `layout`.
    init(
        access: KubernetesAPIAccess, nodeName: String, layout: any VigilCollectors.PodMetadataSource, logger: Logger
    ) throws {
        self.client = try KubernetesClient(connection: try KubernetesConnection(access: access), logger: logger)
        self.nodeName = nodeName
        self.layout = layout
        self.logger = logger
    }

    /// The layout's names with the API's on top: the API's pods and containers win, and bring
    /// the image.
    func podDirectory() -> PodDirectory {
        var directory = layout.podDirectory()
        let fromAPI = known.withLock { $0 }
        directory.pods.merge(fromAPI.pods) { _, api in api }
        directory.containers.merge(fromAPI.containers) { _, api in api }
        return directory
    }

    /// The names `pods` give: each pod by UID, each started container (init containers too) by
    /// its runtime ID without the `containerd://`-style scheme.
    static func directory<Pods: Sequence<Pod>>(of pods: Pods) -> PodDirectory {
        var directory = PodDirectory()
        for pod in pods {
            guard !pod.metadata.uid.isEmpty else { continue }
            directory.pods[pod.metadata.uid] = PodDirectory.Pod(namespace: pod.metadata.namespace, name: pod.metadata.name)
            let specImages = Dictionary(
                ((pod.spec?.containers ?? []) + (pod.spec?.initContainers ?? [])).map { ($0.name, $0.image ?? "") },
                uniquingKeysWith: { first, _ in first })
            let statuses = (pod.status?.containerStatuses ?? []) + (pod.status?.initContainerStatuses ?? [])
            for status in statuses {
                guard let id = runtimeID(status.containerID) else { continue }
                let image = status.image.flatMap { $0.isEmpty ? nil : $0 } ?? specImages[status.name] ?? ""
                directory.containers[id] = PodDirectory.Container(name: status.name, image: image)
            }
        }
        return directory
    }

    /// `containerd://0123…` → `0123…`; nil for an empty or missing ID (a container not started).
    static func runtimeID(_ containerID: String?) -> String? {
        guard let containerID, !containerID.isEmpty else { return nil }
        guard let scheme = containerID.range(of: "://") else { return containerID }
        let id = containerID[scheme.upperBound...]
        return id.isEmpty ? nil : String(id)
    }

    /// Follows the node's pods until graceful shutdown.
    func run() async throws {
        let factory = SharedInformerFactory(client: client, logger: logger)
        let informer = factory.informer(
            Pod.self, namespace: nil, options: ListOptions(fieldSelector: nodeName.isEmpty ? "" : "spec.nodeName=\(nodeName)"))
        logger.info("Watching pods for container labels", metadata: ["server": "\(client.connection.server)", "node": "\(nodeName)"])
        await cancelWhenGracefulShutdown {
            for await update in informer.updates() {
                let directory = Self.directory(of: update.store.values)
                self.known.withLock { $0 = directory }
            }
        }
        factory.shutdown()
        await client.shutdown()
    }
}
