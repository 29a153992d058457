import Logging
import VigilCollectors

/// Building the node collector from the command line's options.
enum NodeMetrics {
    /// Where `vigil server` serves the node collector (its own `/metrics` stays self-metrics).
    static let serverPath = "/metrics/node"
    /// Where the agent and the server serve the kubelet's resource metrics (metrics-server's input).
    static let resourcePath = "/metrics/resource"

    /// The exporter `options` describe, or nil when the collector is off; with the API server's
    /// pod list feeding its container labels when there is one to reach (a service to run).
    ///
    /// - Throws: ``ServerStartError/collector(_:)`` when a pattern does not compile or the
    ///   kubeconfig cannot be read.
    static func exporter(
        _ options: NodeCollectorOptions?, logger: Logger
    ) throws(ServerStartError) -> (exporter: NodeExporter, podList: NodePodList?)? {
        guard let options else { return nil }
        do {
            let podList = try NodePodList.make(options: options, logger: logger)
            let exporter = try NodeExporter(options: options, logger: logger, podMetadata: podList)
            logger.info("Node collector enabled", metadata: ["collectors": "\(exporter.collectors.map(\.name).joined(separator: ","))"])
            return (exporter, podList)
        } catch {
            throw .collector(error)
        }
    }
}
