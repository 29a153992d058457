import Foundation
public import Logging
public import VigilKubernetes
import Synchronization

/// The process's Kubernetes clients and informer factories, one per API server connection, so
/// that every `kubernetes_sd_configs` entry — and, later, the event watcher — pointing at the same
/// server with the same credentials shares one watch per resource.
public final class KubernetesInformers: Sendable {
    let settings: InformerSettings
    let logger: Logger
    private let factories = Mutex<[KubernetesConnection: SharedInformerFactory]>([:])

    /// A registry whose informers use `settings`.
    public init(settings: InformerSettings = InformerSettings(), logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// The factory for `connection`, created (with its client) on first use.
    public func factory(for connection: KubernetesConnection) throws -> SharedInformerFactory {
        try factories.withLock { factories in
            if let existing = factories[connection] { return existing }
            let client = try KubernetesClient(connection: connection, logger: logger)
            let factory = SharedInformerFactory(client: client, settings: settings, logger: logger)
            factories[connection] = factory
            return factory
        }
    }

    /// Stops every informer and closes every client.
    public func shutdown() async {
        let all = factories.withLock { factories in
            defer { factories = [:] }
            return Array(factories.values)
        }
        for factory in all {
            factory.shutdown()
            await factory.client.shutdown()
        }
    }
}
