import Foundation
import VigilNodeAgent
import ArgumentParser
import Logging
import VigilConfig
import VigilServer
import VigilTSDB

/// `vigil agent`: the host's node metrics at `/metrics`, and with a config, scrape and forward
/// by remote write, keeping only what is not yet sent.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run on a node: node_exporter's metrics at /metrics; with --config, also scrape and remote-write.",
        discussion: """
            The node collector serves node_exporter 1.5's metrics of this host (cpu,
            meminfo, diskstats, filesystem, netdev, ... and *.prom files from
            --collector.textfile.directory) at /metrics beside Vigil's own, with
            node_exporter's flags: --collector.<name>, --no-collector.<name>,
            --collector.disable-defaults, --path.procfs, --path.sysfs, --path.rootfs.
            The container collector adds cAdvisor's container_* metrics for every cgroup
            (pod, namespace and container names from the kubelet's log directories), the
            gpu collector DCGM's metrics from nvidia-smi where it exists, and
            /metrics/resource serves the kubelet's resource metrics for metrics-server.
            Without --config that is all the agent does: it keeps no data, and it runs
            as the lean `vigil-agent` program installed beside `vigil` (same flags, same
            PID, less than half the memory), unless the container collector needs the API
            server (in a pod, or with --collector.container.kubeconfig) or
            VIGIL_AGENT_IN_PROCESS is set.

            With --config it is also like Prometheus's agent mode: the config's
            scrape_configs are scraped and every sample goes to its remote_write
            destinations through a durable
            on-disk queue, so a receiver that is down loses nothing (up to 4 GiB per
            destination). The config needs at least one remote_write and may not have
            rule_files, alerting or remote_read. Query, federation, remote read and the
            remote-write receiver answer "unavailable"; /api/v1/targets, /metrics,
            /-/ready and /-/reload work as in `vigil server`. Samples are kept in
            memory for at most --storage.agent.retention and never written as blocks.

            Examples:
              vigil agent
              vigil agent --listen 0.0.0.0:9100 --collector.textfile.directory /var/lib/ne
              vigil agent --collector.disable-defaults --collector.cpu --collector.meminfo
              vigil agent --no-collector.container --no-collector.gpu
              vigil agent --path.rootfs /host --path.procfs /host/proc --path.sysfs /host/sys
              vigil agent --config agent.yml
              vigil agent --config agent.yml --data-dir /var/lib/vigil-agent
              vigil agent --config agent.yml --no-collectors
            """
    )

    @Option(name: .long, help: ArgumentHelp("Address to listen on for HTTP.", valueName: "host:port"))
    var listen = "127.0.0.1:9471"

    @Option(name: .customLong("data-dir"), help: ArgumentHelp("Directory for the WAL and the remote-write queues.", valueName: "path"))
    var dataDirectory = "./data-agent"

    @Option(
        name: .long,
        help: ArgumentHelp("Configuration file (prometheus.yml format) with scrape_configs and remote_write; omit to only collect.", valueName: "file"))
    var config: String?

    @Flag(inversion: .prefixedNo, help: "Serve the node collector's metrics at /metrics.")
    var collectors = true

    @OptionGroup(title: "Node collector") var collectorFlags: NodeCollectorFlags

    @Option(
        name: .customLong("storage.agent.retention"),
        help: ArgumentHelp("How much recent data the agent keeps in memory (its WAL is checkpointed past it).", valueName: "duration")
    )
    var retention = "1h"

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        _ = try parseListenAddress(listen)
        _ = try storageOptions()
        if config == nil && !collectors {
            throw ValidationError("--no-collectors needs --config: without both the agent would do nothing")
        }
    }

    func storageOptions() throws -> TSDBOptions {
        var options = TSDBOptions()
        let range: Int64
        do {
            range = try PromDuration(parsing: retention).milliseconds
        } catch {
            throw ValidationError("--storage.agent.retention: \(error)")
        }
        guard range >= 60_000 else { throw ValidationError("--storage.agent.retention must be at least 1m") }
        // The head cuts (and, in agent mode, drops) its oldest range once it spans 1.5 ranges.
        options.head.chunkRange = range * 2 / 3
        options.persistBlocks = false
        return options
    }

    func run() async throws {
        let logger = logging.bootstrap(label: "vigil-agent")
        guard let config else {
            let options = collectorFlags.options
            if let lean = LeanAgent.executable(options: options, environment: ProcessInfo.processInfo.environment) {
                let failure = LeanAgent.exec(lean, LeanAgent.arguments(afterSubcommand: LeanAgent.commandLineAfterSubcommand))
                logger.warning("Could not run vigil-agent; serving from this process", metadata: ["path": "\(lean)", "errno": "\(failure)"])
            }
            try await runCollectorServer(
                CollectorServer(listen: try parseListenAddress(listen), collectorOptions: collectorFlags.options, logger: logger),
                logger: logger)
            return
        }
        var options = ServerOptions(
            listen: try parseListenAddress(listen),
            dataDirectory: dataDirectory,
            configPath: config,
            storage: try storageOptions(),
            flags: [
                ("config", config), ("data-dir", dataDirectory), ("listen", listen),
            ] + logging.flags + [("storage.agent.retention", retention), ("collectors", String(collectors))]
                + collectorFlags.flags
        )
        options.agentMode = true
        options.nodeCollector = collectors ? collectorFlags.options : nil
        try await runServer(options, logger: logger)
    }
}
