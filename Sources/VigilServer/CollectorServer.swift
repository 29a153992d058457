public import VigilNodeAgent
public import Logging
import Hummingbird
import NIOCore
import ServiceLifecycle
import UnixSignals
public import VigilCollectors
public import VigilModel

/// `vigil agent` without a config: a node exporter and nothing else. Serves the node
/// collector's metrics (node_exporter's, cAdvisor's container metrics, GPUs) together with
/// Vigil's process metrics at `/metrics`, the kubelet's `/metrics/resource`, `/-/healthy`
/// and `/-/ready`; keeps no data and scrapes nothing, so it costs only what a scrape costs.
public struct CollectorServer: Sendable {
    /// Where it listens.
    public let listen: ListenAddress
    /// The node collector's options.
    public let collectorOptions: NodeCollectorOptions
    /// The registry `/metrics` serves (process and build metrics, and the node collector).
    public let registry: MetricsRegistry
    private let logger: Logger

    /// A server for `collectorOptions` on `listen`; nothing starts until ``run(onReady:)``.
    public init(listen: ListenAddress, collectorOptions: NodeCollectorOptions, logger: Logger) {
        self.listen = listen
        self.collectorOptions = collectorOptions
        self.logger = logger
        self.registry = MetricsRegistry()
    }

    /// Serves until SIGTERM/SIGINT or until the calling task is cancelled.
    ///
    /// - Throws: ``ServerStartError/collector(_:)`` when a collector pattern does not compile;
    ///   whatever the HTTP server throws.
    public func run(onReady: @escaping @Sendable (ListenAddress) async -> Void = { _ in }) async throws {
        guard let (exporter, podList) = try NodeMetrics.exporter(collectorOptions, logger: logger) else { return }
        ProcessMetrics.register(on: registry)
        try BuildInfoMetric.register(on: registry)

        let readiness = Readiness()
        let router = Router()
        router.add(middleware: NotFoundMiddleware())
        ManagementRoutes(readiness: readiness, configManager: nil).register(on: router)
        MetricsRoute(registry: registry, node: exporter).register(on: router)
        MetricsRoute(path: RouterPath(NodeMetrics.resourcePath)) { exporter.resource.collect() }.register(on: router)
        let logger = self.logger
        let listen = self.listen
        let application = HTTPApplication.make(
            router: router, listen: listen, readiness: readiness, logger: logger, readyMessage: "Serving node metrics",
            onReady: onReady)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: application)]
        // Without the API server the labels come from the log layout: its failure stops nothing.
        if let podList { services.append(.init(service: podList, failureTerminationBehavior: .ignore)) }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
    }
}
