import Foundation
import Logging
import ServiceLifecycle
import VigilConfig
import VigilKubeMetricsAPI
import VigilKubernetes
import VigilMetricsAdapter

/// The API server answering the selectors the metrics APIs receive: `kubectl top pod -l`,
/// the HPA's `labelSelector` for resource metrics (metrics.k8s.io) and for a `Pods` metric
/// (custom.metrics.k8s.io `pods/*`). Each request lists the selected objects' metadata, as
/// metrics-server and prometheus-adapter do, so the API server's selector semantics apply exactly.
///
/// A service only so its connection pool closes at shutdown.
final class KubernetesObjectSelection: ServiceLifecycle.Service, Sendable {
    let client: KubernetesClient
    let logger: Logger

    /// A selection over `access`, or nil when the config names no server and this process is not
    /// in a pod (selectors are then refused with 400).
    static func make(access: KubernetesAPIAccess, logger: Logger) throws -> KubernetesObjectSelection? {
        guard let access = KubernetesAPIAccess.configuredOrInCluster(access) else { return nil }
        return KubernetesObjectSelection(client: try KubernetesClient(connection: try KubernetesConnection(access: access), logger: logger), logger: logger)
    }

    private init(client: KubernetesClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// metrics.k8s.io's selector: the keys of the Nodes or Pods the selectors pick.
    var resourceMetricsSelector: ResourceMetricsAPI.ObjectSelector {
        { resource, namespace, labelSelector, fieldSelector in
            let type = try await self.resource(group: "", name: resource)
            let objects = try await self.list(type, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector)
            return Set(objects.map { $0.namespace.isEmpty ? $0.name : $0.namespace + "/" + $0.name })
        }
    }

    /// The adapter's lister: names of any resource's objects a label selector picks.
    var adapterLister: MetricsAdapter.ObjectLister {
        { groupResource, namespace, labelSelector in
            let type = try await self.resource(group: groupResource.group, name: groupResource.resource)
            return try await self.list(type, namespace: namespace, labelSelector: labelSelector, fieldSelector: "").map(\.name)
        }
    }

    private func resource(group: String, name: String) async throws -> KubernetesResource {
        do {
            return try await client.discoverResource(group: group, name: name)
        } catch {
            throw Self.status(error)
        }
    }

    private func list(
        _ resource: KubernetesResource, namespace: String?, labelSelector: String, fieldSelector: String
    ) async throws -> [ObjectMeta] {
        do {
            return try await client.listMetadata(
                resource, namespace: namespace, options: ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector))
        } catch {
            logger.warning("Listing objects for a selector failed", metadata: ["resource": "\(resource)", "err": "\(error)"])
            throw Self.status(error)
        }
    }

    /// The API server's refusal of a selector (400) reaches the client as such; anything else is
    /// an internal error of this server.
    private static func status(_ error: any Error) -> KubernetesStatus {
        if let error = error as? KubernetesError, let code = error.httpStatusCode, code == 400 || code == 404 {
            return KubernetesStatus(code: code, reason: code == 400 ? "BadRequest" : "NotFound", message: error.status?.message ?? "\(error)")
        }
        return KubernetesStatus(code: 500, reason: "InternalError", message: "Internal error occurred: \(error)")
    }

    func run() async throws {
        try? await gracefulShutdown()
        await client.shutdown()
    }
}
