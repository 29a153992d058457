import VigilNodeAgent
import ArgumentParser
import Logging
import ServiceLifecycle
import UnixSignals
import VigilConfig
import VigilLogs
import VigilModel
import VigilServer

/// `vigil logs`: LogQL queries against a server (`vigil logs QUERY`) and the log pipeline on its own.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Query logs (the default) or ship them.",
        subcommands: [LogsQueryCommand.self, LogsShipCommand.self],
        defaultSubcommand: LogsQueryCommand.self
    )
}

/// `vigil logs ship`: tails the `logs:` inputs of a config file and ships them to its outputs,
/// until SIGTERM or SIGINT (see docs/LOGS.md).
struct LogsShipCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ship",
        abstract: "Tail the files of the config's logs: section and ship them to its outputs.",
        discussion: """
            FILE is checked whole, as vigil check config does; only its logs: section is run.
            Checkpoints and the outputs' buffers live under --data-dir; after a crash, every line
            is delivered at least once.
            """
    )

    @Option(name: .long, help: "The config file holding a logs: section.")
    var config: String

    @Option(name: .customLong("data-dir"), help: "Where checkpoints and output buffers are kept.")
    var dataDir: String = "./data"

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.bootstrap(label: "vigil.logs")
        // One malloc arena per core: batches freed on one thread and allocated on another
        // otherwise strand memory in idle arenas.
        ProcessMemory.limitArenasToCores()
        let logsConfig: LogsConfig
        do {
            logsConfig = try PrometheusConfig.load(path: config).logs
        } catch {
            StandardError.write("vigil: \(error)\n")
            throw VigilExit.badInput
        }
        if logsConfig.inputs.isEmpty {
            StandardError.write("vigil: \(config) has no logs inputs\n")
            throw VigilExit.badInput
        }
        do {
            let logKubernetes = try LogKubernetesLink.make(logs: logsConfig, logger: logger)
            let pipeline = try LogPipeline(
                config: logsConfig, dataDirectory: dataDir, registry: MetricsRegistry(),
                services: logKubernetes?.services ?? LogProcessingServices(), logger: logger)
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: pipeline)]
            if let logKubernetes { services.append(.init(service: logKubernetes, failureTerminationBehavior: .ignore)) }
            let group = ServiceGroup(
                configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        } catch {
            logger.error("Log shipping stopped on an error", metadata: ["err": "\(error)"])
            throw VigilExit.failure
        }
    }
}
