import Foundation
public import Logging
public import ServiceLifecycle
public import VigilConfig
import VigilKubernetes
import VigilModel
public import VigilLogs

/// The log pipeline's connection to the API server (`logs.kubernetes`, or the in-cluster one):
/// the pod cache the `kubernetes` processors read (this node's pods, `NODE_NAME`, else all), and
/// the writer that posts each `kernel_problems` finding as a Warning Event on the Node, as
/// node-problem-detector does. Made only when a processor needs one of them.
public final class LogKubernetesLink: ServiceLifecycle.Service, Sendable {
    /// The cache the pipeline reads; nil when no input has a `kubernetes` processor.
    public let cache: InformerPodCache?
    /// Whether kernel problems are posted as Events.
    public let postsKernelProblems: Bool
    let client: KubernetesClient
    let nodeName: String
    let logger: Logger

    /// The link for `logs`, or nil when no processor needs the API server, or when the section
    /// names no API server and this process is not in a pod (then path metadata and metrics only).
    public static func make(logs: LogsConfig, logger: Logger) throws -> LogKubernetesLink? {
        guard logs.usesPodMetadata || logs.findsKernelProblems else { return nil }
        guard let access = KubernetesAPIAccess.configuredOrInCluster(logs.kubernetes) else {
            logger.warning(
                "Log processors run without the Kubernetes API: no logs.kubernetes and not in a pod; no pod cache, no Node events")
            return nil
        }
        let client = try KubernetesClient(connection: try KubernetesConnection(access: access), logger: logger)
        return LogKubernetesLink(
            cache: logs.usesPodMetadata ? InformerPodCache() : nil, postsKernelProblems: logs.findsKernelProblems, client: client,
            nodeName: ProcessInfo.processInfo.environment["NODE_NAME"] ?? "", logger: logger)
    }

    private init(
        cache: InformerPodCache?, postsKernelProblems: Bool, client: KubernetesClient, nodeName: String, logger: Logger
    ) {
        self.cache = cache
        self.postsKernelProblems = postsKernelProblems
        self.client = client
        self.nodeName = nodeName
        self.logger = logger
    }

    /// What the pipeline is given: the cache and, if wanted, the Event writer.
    public var services: LogProcessingServices {
        var report: (@Sendable (KernelProblem) async -> Void)? = nil
        if postsKernelProblems {
            report = { @Sendable problem in await self.post(problem) }
        }
        return LogProcessingServices(pods: cache, nodeName: nodeName, kernelProblems: report)
    }

    /// Posts `problem` as an Event on its Node in `default`, where node-problem-detector puts
    /// them (`kubectl get events --field-selector involvedObject.kind=Node`); a failure is logged.
    func post(_ problem: KernelProblem) async {
        let node = problem.nodeName.isEmpty ? nodeName : problem.nodeName
        guard !node.isEmpty else {
            logger.warning("A kernel problem has no node to report on (set NODE_NAME)", metadata: ["reason": "\(problem.reason)"])
            return
        }
        let time = RFC3339.format(milliseconds: problem.timestamp / 1_000_000)
        var event = Event(metadata: ObjectMeta(name: "\(node).\(String(UInt64(bitPattern: problem.timestamp), radix: 16))", namespace: "default"))
        event.involvedObject = ObjectReference(kind: "Node", name: node, uid: node)
        event.reason = problem.reason
        event.message = problem.message
        event.type = "Warning"
        event.source = Event.Source(reportedBy: "kernel-monitor", on: node)
        event.firstTimestamp = time
        event.lastTimestamp = time
        event.count = 1
        event.reportingComponent = "vigil-kernel-monitor"
        event.reportingInstance = node
        do {
            _ = try await client.create(event)
        } catch {
            logger.warning("Posting a kernel problem as a Node event failed", metadata: ["reason": "\(problem.reason)", "err": "\(error)"])
        }
    }

    public func run() async throws {
        if let cache {
            let factory = SharedInformerFactory(client: client, logger: logger)
            let informer = factory.informer(
                Pod.self, namespace: nil, options: ListOptions(fieldSelector: nodeName.isEmpty ? "" : "spec.nodeName=\(nodeName)"))
            logger.info("Watching pods for log metadata", metadata: ["server": "\(client.connection.server)", "node": "\(nodeName)"])
            await cancelWhenGracefulShutdown { await cache.run(informer) }
            factory.shutdown()
        } else {
            try? await gracefulShutdown()
        }
        await client.shutdown()
    }
}
