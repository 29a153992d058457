import Foundation
public import Logging
public import ServiceLifecycle
public import VigilConfig
import VigilKubernetes

/// The pod informer behind the log pipeline's `kubernetes` processors: pods of this node
/// (`NODE_NAME`, else every pod) watched from the API server `logs.kubernetes` names, or the
/// in-cluster one, into an ``InformerPodCache``. Made only when a processor wants it.
public struct PodCacheService: ServiceLifecycle.Service {
    /// The cache the pipeline reads.
    public let cache: InformerPodCache
    let connection: KubernetesConnection
    let nodeName: String
    let logger: Logger

    /// The service for `logs`, or nil when no input has a `kubernetes` processor, or when the
    /// section names no API server and this process is not in a pod (then only path metadata).
    public static func make(logs: LogsConfig, logger: Logger) throws -> PodCacheService? {
        guard logs.usesPodMetadata else { return nil }
        let environment = ProcessInfo.processInfo.environment
        guard let access = logs.kubernetes ?? ((environment["KUBERNETES_SERVICE_HOST"] ?? "").isEmpty ? nil : KubernetesAPIAccess())
        else {
            logger.warning("A kubernetes log processor runs without a pod cache: no logs.kubernetes and not in a pod; path metadata only")
            return nil
        }
        return PodCacheService(
            cache: InformerPodCache(), connection: try KubernetesConnection(access: access),
            nodeName: environment["NODE_NAME"] ?? "", logger: logger)
    }

    public func run() async throws {
        let client = try KubernetesClient(connection: connection, logger: logger)
        let factory = SharedInformerFactory(client: client, logger: logger)
        let informer = factory.informer(
            Pod.self, namespace: nil, options: ListOptions(fieldSelector: nodeName.isEmpty ? "" : "spec.nodeName=\(nodeName)"))
        logger.info("Watching pods for log metadata", metadata: ["server": "\(connection.server)", "node": "\(nodeName)"])
        await cancelWhenGracefulShutdown { await cache.run(informer) }
        factory.shutdown()
        await client.shutdown()
    }
}
