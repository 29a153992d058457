public import VigilNodeAgent
public import Logging
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

        // The same server `vigil-agent` runs, so both answer alike.
        let server = NodeAgentServer(listen: listen, exporter: exporter, registry: registry, logger: logger)
        let logger = self.logger
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: NodeAgentService(server: server, onReady: onReady))
        ]
        // Without the API server the labels come from the log layout: its failure stops nothing.
        if let podList { services.append(.init(service: podList, failureTerminationBehavior: .ignore)) }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
    }
}

/// A ``NodeAgentServer`` as a service of the process's group: it stops at graceful shutdown.
private struct NodeAgentService: Service {
    let server: NodeAgentServer
    let onReady: @Sendable (ListenAddress) async -> Void

    func run() async throws {
        try await server.run(onReady: onReady, until: { try? await gracefulShutdown() })
    }
}
