import VigilNodeAgent
import Foundation
import ArgumentParser
import Logging
import VigilConfig
import VigilNotifier
import VigilPromQL
import VigilServer
import VigilTSDB

/// `vigil server`: scrape, store, query and serve, on one port.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Run the Vigil server: HTTP API, self-metrics and every service the config enables.",
        discussion: """
            Without --config, Vigil runs on its embedded default configuration. It
            binds to loopback unless told otherwise, keeps its data under --data-dir,
            reloads its config on SIGHUP or POST /-/reload, and shuts down gracefully
            on SIGTERM or SIGINT. Its built-in node collector serves this host's
            node_exporter metrics at /metrics/node, which the embedded default scrapes
            as job "node" (flags as for `vigil agent`; --no-collectors turns it off).

            Examples:
              vigil server
              vigil server --config prometheus.yml --data-dir /var/lib/vigil
              vigil server --listen 0.0.0.0:9470 --log.format json --log.level debug
              vigil server --storage.tsdb.retention.time 30d --storage.tsdb.retention.size 50GB
              vigil server --config prometheus.yml --alertmanager.config.file alertmanager.yml
            """
    )

    @Option(name: .long, help: ArgumentHelp("Address to listen on for HTTP.", valueName: "host:port"))
    var listen: String = ListenAddress.default.description

    @Option(name: .customLong("data-dir"), help: ArgumentHelp("Directory Vigil stores its data in.", valueName: "path"))
    var dataDirectory: String = "./data"

    @Option(name: .long, help: ArgumentHelp("Configuration file (prometheus.yml format). Omit to run the embedded default.", valueName: "file"))
    var config: String?

    @Option(
        name: .customLong("storage.tsdb.retention.time"),
        help: ArgumentHelp("How long to keep samples (Prometheus duration).", valueName: "duration")
    )
    var retentionTime: String = "15d"

    @Option(
        name: .customLong("storage.tsdb.retention.size"),
        help: ArgumentHelp("Maximum bytes of blocks plus WAL to keep, e.g. 512MB or 100GB; 0 = no limit.", valueName: "size")
    )
    var retentionSize: String = "0"

    @Option(name: .customLong("storage.tsdb.max-series"), help: "Most series the head may hold; appends of new series beyond it fail (0 = no limit).")
    var maxSeries = 0

    @Option(
        name: .customLong("storage.tsdb.max-samples-per-commit"),
        help: "Most samples one write (scrape, remote-write request, import) may carry (0 = no limit)."
    )
    var maxSamplesPerCommit = 0

    @Option(name: .customLong("query.timeout"), help: ArgumentHelp("Maximum time a query may take.", valueName: "duration"))
    var queryTimeout = "2m"

    @Option(name: .customLong("query.max-samples"), help: "Maximum samples a single query may load into memory.")
    var queryMaxSamples = 50_000_000

    @Option(name: .customLong("query.lookback-delta"), help: ArgumentHelp("How far back an instant vector looks for a sample.", valueName: "duration"))
    var queryLookbackDelta = "5m"

    @Option(name: .customLong("query.max-concurrency"), help: "Queries evaluated at once; more wait in line.")
    var queryMaxConcurrency = 20

    @Option(
        name: .customLong("discovery.dns-server"),
        help: ArgumentHelp("DNS server for dns_sd_configs instead of /etc/resolv.conf's; repeat for more.", valueName: "host:port")
    )
    var dnsServers: [String] = []

    @Flag(name: .customLong("web.enable-admin-api"), help: "Serve /api/v1/admin/* (series deletion, tombstone clean-up).")
    var enableAdminAPI = false

    @Option(
        name: .customLong("web.external-url"),
        help: ArgumentHelp("The URL Vigil is reached at, for alert templates; default http://<hostname>:<port>.", valueName: "url")
    )
    var externalURL: String?

    @Option(
        name: .customLong("rules.alert.for-outage-tolerance"),
        help: ArgumentHelp("Maximum downtime for which alerts' 'for' state is restored.", valueName: "duration")
    )
    var forOutageTolerance = "1h"

    @Option(
        name: .customLong("rules.alert.for-grace-period"),
        help: ArgumentHelp("Minimum time a restored pending alert waits before it fires.", valueName: "duration")
    )
    var forGracePeriod = "10m"

    @Option(
        name: .customLong("rules.alert.resend-delay"),
        help: ArgumentHelp("Minimum time between two notifications of a still-firing alert.", valueName: "duration")
    )
    var resendDelay = "1m"

    @Option(
        name: .customLong("alertmanager.notification-queue-capacity"),
        help: ArgumentHelp("Alerts waiting to be sent to Alertmanagers; beyond it the oldest are dropped.", valueName: "count")
    )
    var notificationQueueCapacity = 10_000

    @Option(
        name: .customLong("alertmanager.config.file"),
        help: ArgumentHelp(
            "alertmanager.yml for the embedded Alertmanager (API v2 at /api/v2/); without it alerts are kept but not sent.",
            valueName: "file")
    )
    var alertmanagerConfig: String?

    @Flag(
        name: .customLong("alertmanager.drain-notification-queue-on-shutdown"), inversion: .prefixedNo,
        help: "Send the queued alerts to the Alertmanagers before shutting down."
    )
    var drainNotificationQueue = true

    @Flag(inversion: .prefixedNo, help: "Serve the node collector (this host's node_exporter metrics) at /metrics/node.")
    var collectors = true

    @OptionGroup var logging: LoggingOptions

    @OptionGroup(title: "Node collector") var collectorFlags: NodeCollectorFlags

    func validate() throws {
        _ = try parseListenAddress(listen)
        _ = try storageOptions()
        _ = try queryOptions()
        _ = try ruleDurations()
        guard notificationQueueCapacity > 0 else {
            throw ValidationError("--alertmanager.notification-queue-capacity must be positive")
        }
        guard queryMaxConcurrency > 0, queryMaxSamples > 0 else {
            throw ValidationError("--query.max-concurrency and --query.max-samples must be positive")
        }
    }

    /// `--rules.alert.for-outage-tolerance`, `--rules.alert.for-grace-period` and
    /// `--rules.alert.resend-delay` in ms.
    func ruleDurations() throws -> (outageTolerance: Int64, gracePeriod: Int64, resendDelay: Int64) {
        do {
            return (
                try PromDuration(parsing: forOutageTolerance).milliseconds, try PromDuration(parsing: forGracePeriod).milliseconds,
                try PromDuration(parsing: resendDelay).milliseconds
            )
        } catch {
            throw ValidationError("--rules.alert: \(error)")
        }
    }

    /// Prometheus's default external URL: `http://<hostname>:<port>`.
    func resolvedExternalURL(port: Int) -> String {
        if let externalURL { return externalURL }
        return "http://\(ProcessInfo.processInfo.hostName):\(port)"
    }

    /// The engine options the flags describe; a bad duration is a usage error.
    func queryOptions() throws -> EngineOptions {
        var options = EngineOptions()
        do {
            options.timeout = try PromDuration(parsing: queryTimeout).milliseconds
            options.lookbackDelta = try PromDuration(parsing: queryLookbackDelta).milliseconds
        } catch {
            throw ValidationError("--query: \(error)")
        }
        options.maxSamples = queryMaxSamples
        return options
    }

    /// The store options the flags describe; a bad duration or size is a usage error.
    func storageOptions() throws -> TSDBOptions {
        var options = TSDBOptions()
        do {
            guard maxSeries >= 0, maxSamplesPerCommit >= 0 else {
            throw ValidationError("--storage.tsdb.max-series and --storage.tsdb.max-samples-per-commit must not be negative")
        }
        options.head.maxSeries = maxSeries == 0 ? Int.max : maxSeries
        options.head.maxSamplesPerCommit = maxSamplesPerCommit == 0 ? Int.max : maxSamplesPerCommit
        options.retention = Retention(
                duration: try PromDuration(parsing: retentionTime).milliseconds,
                maxBytes: retentionSize == "0" ? 0 : try ByteSize(parsing: retentionSize).bytes
            )
        } catch {
            throw ValidationError("--storage.tsdb.retention: \(error)")
        }
        return options
    }

    func run() async throws {
        let logger = logging.bootstrap(label: "vigil")
        var options = ServerOptions(
            listen: try parseListenAddress(listen),
            dataDirectory: dataDirectory,
            configPath: config,
            storage: try storageOptions(),
            query: try queryOptions(),
            maxConcurrentQueries: queryMaxConcurrency,
            enableAdminAPI: enableAdminAPI,
            flags: [
                ("alertmanager.config.file", alertmanagerConfig ?? ""),
                ("alertmanager.drain-notification-queue-on-shutdown", drainNotificationQueue ? "true" : "false"),
                ("alertmanager.notification-queue-capacity", String(notificationQueueCapacity)),
                ("config", config ?? ""), ("data-dir", dataDirectory), ("discovery.dns-server", dnsServers.joined(separator: ",")),
                ("listen", listen),
            ] + logging.flags + [
                ("query.lookback-delta", queryLookbackDelta), ("query.max-concurrency", String(queryMaxConcurrency)),
                ("query.max-samples", String(queryMaxSamples)), ("query.timeout", queryTimeout),
                ("rules.alert.for-grace-period", forGracePeriod), ("rules.alert.for-outage-tolerance", forOutageTolerance),
                ("rules.alert.resend-delay", resendDelay),
                ("storage.tsdb.max-samples-per-commit", String(maxSamplesPerCommit)),
                ("storage.tsdb.max-series", String(maxSeries)),
                ("storage.tsdb.retention.size", retentionSize), ("storage.tsdb.retention.time", retentionTime),
                ("web.enable-admin-api", enableAdminAPI ? "true" : "false"), ("web.external-url", externalURL ?? ""),
            ]
        )
        options.dnsServers = dnsServers
        options.externalURL = resolvedExternalURL(port: options.listen.port)
        (options.ruleForOutageTolerance, options.ruleForGracePeriod, options.ruleResendDelay) = try ruleDurations()
        options.alertmanagerConfigPath = alertmanagerConfig
        options.notifier = NotifierOptions(
            queueCapacity: notificationQueueCapacity, drainOnShutdown: drainNotificationQueue)
        options.nodeCollector = collectors ? collectorFlags.options : nil
        options.flags += [("collectors", String(collectors))] + collectorFlags.flags
        try await runServer(options, logger: logger)
    }
}
