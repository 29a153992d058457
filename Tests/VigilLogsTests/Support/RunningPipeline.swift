import Logging
import ServiceLifecycle
import VigilConfig
import VigilModel
@testable import VigilLogs

/// A ``LogPipeline`` built from a config file's `logs:` section and running in its own
/// `ServiceGroup`, quiet, with its metrics on ``registry``.
struct RunningPipeline {
    let registry = MetricsRegistry()
    let group: ServiceGroup
    let task: Task<Void, any Error>

    /// Starts the pipeline `yaml` (a whole config with a `logs:` section) describes, its state
    /// under `dataDirectory`.
    init(yaml: String, dataDirectory: String) throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let pipeline = try LogPipeline(
            config: try PrometheusConfig.parse(yaml: yaml).logs, dataDirectory: dataDirectory, registry: registry, logger: logger)
        let group = ServiceGroup(services: [pipeline], logger: logger)
        self.group = group
        task = Task { try await group.run() }
    }

    /// Shuts the pipeline down gracefully and waits for it.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }
}
