import Logging
import VigilCollectors

/// Building the node collector from the command line's options.
enum NodeMetrics {
    /// Where `vigil server` serves the node collector (its own `/metrics` stays self-metrics).
    static let serverPath = "/metrics/node"
    /// Where the agent and the server serve the kubelet's resource metrics (metrics-server's input).
    static let resourcePath = "/metrics/resource"

    /// The exporter `options` describe, or nil when the collector is off.
    ///
    /// - Throws: ``ServerStartError/collector(_:)`` when a pattern does not compile.
    static func exporter(_ options: NodeCollectorOptions?, logger: Logger) throws(ServerStartError) -> NodeExporter? {
        guard let options else { return nil }
        do {
            let exporter = try NodeExporter(options: options, logger: logger)
            logger.info("Node collector enabled", metadata: ["collectors": "\(exporter.collectors.map(\.name).joined(separator: ","))"])
            return exporter
        } catch {
            throw .collector(error)
        }
    }
}
