public import Logging
import Synchronization

/// Hands out one ``SharedInformer`` per (resource, namespace, label selector, field selector)
/// for one API server connection, so every consumer of the same objects shares one watch.
///
/// Discovery asks for the informers its roles need; the event watcher and metadata enrichment
/// ask the same factory and get the same informers. ``shutdown()`` stops them all.
public final class SharedInformerFactory: Sendable {
    /// The client every informer uses.
    public let client: KubernetesClient
    let settings: InformerSettings
    let logger: Logger

    private struct Key: Hashable {
        var resource: KubernetesResource
        var namespace: String?
        var labelSelector: String
        var fieldSelector: String
        var keepsObjects: Bool
    }

    private let informers = Mutex<[Key: any Sendable]>([:])

    /// A factory over `client`; every informer gets `settings`.
    public init(client: KubernetesClient, settings: InformerSettings = InformerSettings(), logger: Logger) {
        self.client = client
        self.settings = settings
        self.logger = logger
    }

    /// The informer of `type` in `namespace` (nil: all) selected by `options`, created on first use.
    /// `keepsObjects: false` asks for an informer without a store (see ``SharedInformer``), shared
    /// only with others that ask the same.
    public func informer<Object: KubernetesObject>(
        _ type: Object.Type, namespace: String? = nil, options: ListOptions = ListOptions(), keepsObjects: Bool = true
    ) -> SharedInformer<Object> {
        let key = Key(
            resource: Object.resource, namespace: Object.resource.namespaced ? (namespace.flatMap { $0.isEmpty ? nil : $0 }) : nil,
            labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, keepsObjects: keepsObjects)
        return informers.withLock { informers in
            if let existing = informers[key] as? SharedInformer<Object> { return existing }
            let informer = SharedInformer<Object>(
                client: client, namespace: key.namespace, options: options, settings: settings, keepsObjects: keepsObjects,
                logger: logger)
            informers[key] = informer
            return informer
        }
    }

    /// How many distinct informers exist (each is at most one watch).
    public var count: Int { informers.withLock { $0.count } }

    /// Stops every informer and ends its consumers' streams.
    public func shutdown() {
        let all = informers.withLock { informers in
            defer { informers = [:] }
            return Array(informers.values)
        }
        for informer in all { (informer as? any InformerShutdown)?.shutdown() }
    }
}

/// Lets the factory stop informers of any object type.
protocol InformerShutdown: Sendable {
    func shutdown()
}

extension SharedInformer: InformerShutdown {}
