public import VigilNodeAgent
public import Logging
import Hummingbird
import NIOCore
import ServiceLifecycle
import UnixSignals
import VigilAlertmanager
import VigilCollectors
import VigilConfig
public import VigilModel
import VigilNotifier
import VigilPromQL
import VigilDiscovery
public import VigilKubeMetricsAPI
import VigilMetricsAdapter
import VigilLogs
import VigilLogQL
import VigilLogStore
import VigilRemoteWrite
import VigilRules
import VigilScrape
import VigilTSDB
import VigilUI

/// `vigil server`: every long-running part of Vigil under one `ServiceGroup`.
///
/// Services start in order and stop in reverse: the HTTP server is last, so on SIGTERM it stops
/// taking requests first and storage flushes after it.
public struct VigilServer: Sendable {
    /// The command-line options this server runs with.
    public let options: ServerOptions
    /// The registry `/metrics` serves; every part registers its self-metrics here.
    public let registry: MetricsRegistry
    private let logger: Logger

    /// API groups served beside metrics.k8s.io on the `kubernetes_metrics_api` listener
    /// (custom.metrics.k8s.io, external.metrics.k8s.io).
    public var aggregatedAPIGroups: [AggregatedAPIGroup] = []
    /// Called with the port the `kubernetes_metrics_api` listener bound (tests listen on port 0).
    public var onKubernetesMetricsAPIReady: @Sendable (Int) async -> Void = { _ in }

    /// A server for `options`; nothing starts until ``run(onReady:)``.
    public init(options: ServerOptions, logger: Logger) {
        self.options = options
        self.logger = logger
        self.registry = MetricsRegistry()
    }

    /// Loads the config, takes the data directory, serves HTTP and runs until SIGTERM/SIGINT or
    /// until the calling task is cancelled.
    ///
    /// - Parameter onReady: called once the listener is bound, with the address actually bound
    ///   (useful with port 0).
    /// - Throws: ``ServerStartError`` when the config or the data directory is unusable; anything a
    ///   service throws while running.
    public func run(onReady: @escaping @Sendable (VigilNodeAgent.ListenAddress) async -> Void = { _ in }) async throws {
        let configSource: ConfigManager.Source =
            options.configPath.map { .file($0) }
            ?? .embedded(
                selfAddress: options.listen.selfScrapeAddress,
                nodeMetricsPath: options.nodeCollector == nil || options.agentMode ? nil : NodeMetrics.serverPath)
        let configManager: ConfigManager
        do {
            configManager = try ConfigManager(
                source: configSource, registry: registry, logger: logger, agentMode: options.agentMode)
        } catch {
            throw ServerStartError.config(error)
        }
        let dataDirectory: DataDirectory
        do {
            dataDirectory = try DataDirectory(path: options.dataDirectory)
        } catch {
            throw ServerStartError.dataDirectory(error)
        }
        let tsdb: TSDB
        do {
            tsdb = try TSDB.open(directory: try dataDirectory.subdirectory("metrics"), options: options.storage)
        } catch {
            throw ServerStartError.storage(error)
        }
        let replay = tsdb.replayReport
        logger.info(
            "WAL replay completed",
            metadata: [
                "series": "\(replay.series)", "samples": "\(replay.samples)", "segments": "\(replay.segmentsRead)",
                "duration": "\(replay.duration)",
                "snapshot_series": "\(replay.snapshot?.series ?? 0)", "snapshot_samples": "\(replay.snapshot?.samples ?? 0)",
                "snapshot_segment": "\(replay.snapshot.map { String($0.segment) } ?? "none")",
                "snapshot_duration": "\(replay.snapshot?.duration ?? .zero)",
            ]
        )
        if let problem = replay.snapshotProblem {
            logger.warning("Head snapshot not used; the whole WAL was replayed", metadata: ["err": "\(problem)"])
        }
        for damage in replay.damage {
            logger.warning("WAL damage cut away on replay", metadata: ["damage": "\(damage)"])
        }
        for block in tsdb.quarantined {
            logger.error("Corrupt block moved aside", metadata: ["path": "\(block.path)", "err": "\(block.reason)"])
        }
        tsdb.registerMetrics(on: registry)
        ProcessMetrics.register(on: registry)
        try BuildInfoMetric.register(on: registry)
        let node = try NodeMetrics.exporter(options.nodeCollector, logger: logger)
        let nodeExporter = node?.exporter

        let pushgatewayDirectory: String
        do {
            pushgatewayDirectory = try dataDirectory.subdirectory("pushgateway")
        } catch {
            throw ServerStartError.dataDirectory(error)
        }
        let pushgateway = PushgatewayStore(directory: pushgatewayDirectory, logger: logger)
        let pushgatewayIngestor = PushgatewayIngestor(store: pushgateway, tsdb: tsdb, logger: logger)
        try await configManager.subscribe { config in
            pushgatewayIngestor.setInterval(config.global.scrapeInterval.duration)
        }

        let remoteWrite = RemoteWriteManager(
            tsdb: tsdb, directory: try dataDirectory.subdirectory("remote-write"), registry: registry, logger: logger)
        try await configManager.subscribe { config in try await remoteWrite.apply(config) }
        let system = DNSResolver.system()
        let resolver =
            options.dnsServers.isEmpty ? system : DNSResolver(servers: options.dnsServers, search: system.search, ndots: system.ndots)
        let discovery = DiscoveryManager(logger: logger, registry: registry, resolver: resolver)
        let scrapeManager = ScrapeManager(tsdb: tsdb, logger: logger)
        try await configManager.subscribe { config in
            await scrapeManager.apply(config)
            var jobs: [String: ServiceDiscoveryConfigs] = [:]
            for scrape in config.scrapeConfigs { jobs[scrape.jobName] = scrape.serviceDiscovery }
            await discovery.apply(jobs)
        }

        // The log store: `log_store:` as loaded at start (a reload does not change it). Opened
        // before the rule manager, which evaluates `log_rule_files` against it.
        var logStore: LogStore?
        let logStoreConfig = await configManager.current.logStore
        if logStoreConfig.enabled && !options.agentMode {
            do {
                let store = try LogStore.open(
                    directory: try dataDirectory.subdirectory("logs"), options: LogStoreOptions(logStoreConfig), logger: logger)
                let report = store.openReport
                logger.info(
                    "Log store opened",
                    metadata: ["chunks": "\(report.chunks)", "wal_records": "\(report.records)", "entries": "\(report.entries)"])
                logStore = store
            } catch let error as DataDirectoryError {
                throw ServerStartError.dataDirectory(error)
            } catch {
                throw ServerStartError.logStorage(error)
            }
        }
        // Agent mode rejects rule_files, so it runs no rules.
        var ruleManager: RuleManager?
        var notifier: Notifier?
        var embeddedAlertmanager: EmbeddedAlertmanager?
        if !options.agentMode {
            let embedded: EmbeddedAlertmanager
            do {
                embedded = try await EmbeddedAlertmanager(
                    configPath: options.alertmanagerConfigPath, directory: try dataDirectory.subdirectory("alerts"),
                    externalURL: options.externalURL, logger: logger)
            } catch let error as DataDirectoryError {
                throw ServerStartError.dataDirectory(error)
            } catch {
                throw ServerStartError.config(error)
            }
            try await configManager.subscribe(applyNow: false) { _ in try await embedded.reload() }
            embedded.alertmanager.registerMetrics(on: registry)
            embeddedAlertmanager = embedded
            let alertNotifier = Notifier(
                options: options.notifier, local: embedded.localDestination(url: options.externalURL + "/api/v2/alerts"),
                logger: logger, registry: registry)
            do {
                try await configManager.subscribe { config in try await alertNotifier.apply(config) }
            } catch {
                throw ServerStartError.config(error)
            }
            notifier = alertNotifier
            var environment = RuleEnvironment(
                tsdb: tsdb, engine: Engine(options: options.query), externalURL: options.externalURL, logger: logger)
            environment.forOutageTolerance = options.ruleForOutageTolerance
            environment.forGracePeriod = options.ruleForGracePeriod
            environment.resendDelay = options.ruleResendDelay
            if let logStore {
                // LogQL rules read the default tenant, as pushes without X-Scope-OrgID land there.
                environment.logQuery = RuleEnvironment.logQL(LogQLEngine(source: logStore, limits: LogQLLimits()))
            }
            let externalURL = options.externalURL
            environment.notify = { expression, alerts in
                alertNotifier.send(alerts.map { NotifierAlert(ruleAlert: $0, expression: expression, externalURL: externalURL) })
            }
            let manager = RuleManager(environment: environment)
            do {
                try await configManager.subscribe { config in try await manager.apply(config) }
            } catch {
                // A rule file that does not load is a config error, like one in prometheus.yml.
                throw ServerStartError.config(error)
            }
            manager.registerMetrics(on: registry)
            ruleManager = manager
        }

        let readiness = Readiness()
        let router = Router()
        router.add(middleware: NotFoundMiddleware())
        ManagementRoutes(readiness: readiness, configManager: configManager).register(on: router)
        if let nodeExporter, options.agentMode {
            MetricsRoute(registry: registry, node: nodeExporter).register(on: router)
        } else {
            MetricsRoute(registry: registry).register(on: router)
        }
        if let nodeExporter, !options.agentMode {
            MetricsRoute(path: RouterPath(NodeMetrics.serverPath)) { nodeExporter.collect() }.register(on: router)
        }
        if let nodeExporter {
            MetricsRoute(path: RouterPath(NodeMetrics.resourcePath)) { nodeExporter.resource.collect() }.register(on: router)
        }
        PrometheusAPI(
            tsdb: tsdb, configManager: configManager,
            runtime: .current(storageRetention: options.flags.first { $0.name == "storage.tsdb.retention.time" }?.value ?? "15d"),
            flags: options.flags, enableAdminAPI: options.enableAdminAPI, maxBodyBytes: options.maxRequestBodyBytes,
            queryOptions: options.query, queryGate: QueryGate(limit: options.maxConcurrentQueries),
            scrapeManager: scrapeManager, agentMode: options.agentMode, ruleManager: ruleManager, notifier: notifier
        ).register(on: router)
        if !options.agentMode {
            // The web UI: the shell at each page path, embedded files under /static/.
            WebUI().register(on: router)
        }
        if let embeddedAlertmanager {
            AlertmanagerAPI(alertmanager: embeddedAlertmanager.alertmanager, maxBodyBytes: options.maxRequestBodyBytes)
                .register(on: router)
        }
        if !options.agentMode {
            RemoteReadRoute(tsdb: tsdb, maxBodyBytes: options.maxRequestBodyBytes).register(on: router)
            FederateRoute(
                tsdb: tsdb, configManager: configManager, lookbackDelta: options.query.lookbackDelta,
                maxBodyBytes: options.maxRequestBodyBytes
            ).register(on: router)
            ImportRoute(tsdb: tsdb, maxBodyBytes: options.maxRequestBodyBytes).register(on: router)
            PushgatewayRoutes(
                store: pushgateway, maxBodyBytes: options.maxRequestBodyBytes, enableAdminAPI: options.enableAdminAPI,
                flags: options.flags, startTime: PushgatewayStore.wallClock()
            ).register(on: router)
            RemoteWriteRoute(
                tsdb: tsdb, maxBodyBytes: options.maxRequestBodyBytes, logger: logger,
                metrics: try RemoteWriteMetrics(registry: registry)
            ).register(on: router)
        }

        var webSocketUpgrade: HTTPApplication.WebSocketUpgrade?
        if let logStore {
            let lokiAPI = LokiAPI(
                store: logStore, maxBodyBytes: options.maxRequestBodyBytes,
                maxPushBytes: Int(logStoreConfig.maxPushSize.bytes), logger: logger)
            lokiAPI.register(on: router)
            lokiAPI.registerQueries(on: router, limits: LogQLLimits())
            let tail = LokiTailAPI(lokiAPI: lokiAPI, limits: LogQLLimits())
            tail.register(on: router)
            webSocketUpgrade = { head, logger in tail.shouldUpgrade(head, logger: logger) }
        }

        var kubernetesEvents: KubernetesEventsService?
        if let eventsConfig = await configManager.current.kubernetesEvents, !options.agentMode {
            do {
                let service = try KubernetesEventsService.make(
                    config: eventsConfig, directory: try dataDirectory.subdirectory("events"), registry: registry, logger: logger)
                service.register(on: router)
                kubernetesEvents = service
            } catch let error as DataDirectoryError {
                throw ServerStartError.dataDirectory(error)
            } catch {
                throw ServerStartError.config(error)
            }
        }

        var kubernetesMetricsAPIServices: [any Service] = []
        if let apiConfig = await configManager.current.kubernetesMetricsAPI, !options.agentMode {
            do {
                kubernetesMetricsAPIServices = try KubernetesMetricsAPIService.make(
                    config: apiConfig, tsdb: tsdb, extraGroups: aggregatedAPIGroups,
                    directory: try dataDirectory.subdirectory("kubernetes-metrics-api"), logger: logger,
                    onReady: onKubernetesMetricsAPIReady)
            } catch let error as DataDirectoryError {
                throw ServerStartError.dataDirectory(error)
            } catch {
                throw ServerStartError.config(error)
            }
        }

        let logPipeline: LogPipeline
        let logKubernetes: LogKubernetesLink?
        do {
            let logs = await configManager.current.logs
            logKubernetes = try LogKubernetesLink.make(logs: logs, logger: logger)
            logPipeline = try LogPipeline(
                config: logs, dataDirectory: dataDirectory.path, registry: registry,
                services: logKubernetes?.services ?? LogProcessingServices(), logger: logger)
        } catch {
            throw ServerStartError.config(error)
        }

        let logger = self.logger
        let listen = options.listen
        let application = HTTPApplication.make(
            router: router, listen: listen, readiness: readiness, logger: logger,
            readyMessage: "Server is ready to receive web requests", webSocketUpgrade: webSocketUpgrade, onReady: onReady)
        logger.info(
            "Starting Vigil",
            metadata: [
                "version": "\(BuildInfo.version)", "config": "\(configSource)",
                "data_dir": "\(dataDirectory.path)", "listen": "\(listen)",
            ]
        )
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: MetricsStorageService(tsdb: tsdb, logger: logger)),
            // The `logs:` section as loaded at start (a reload does not change it). A failing log
            // output must not take the metrics down with it: the error is logged, the rest runs on.
            .init(service: logPipeline, failureTerminationBehavior: .ignore),
            .init(service: ReloadSignalService(configManager: configManager, logger: logger)),
            .init(service: remoteWrite),
            .init(service: ScrapeService(discovery: discovery, manager: scrapeManager)),
            .init(service: pushgatewayIngestor),
        ]
        // After the TSDB, before everything that writes: on shutdown the store seals and writes
        // its chunks once HTTP has stopped taking pushes.
        if let logStore { services.insert(.init(service: LogStoreService(store: logStore, logger: logger)), at: 1) }
        if let logKubernetes { services.append(.init(service: logKubernetes, failureTerminationBehavior: .ignore)) }
        if let podList = node?.podList { services.append(.init(service: podList, failureTerminationBehavior: .ignore)) }
        if let kubernetesEvents { services.append(.init(service: kubernetesEvents)) }
        // The Alertmanager starts before the notifier and the notifier before the rules, so on
        // shutdown the rules stop first and their last alerts still reach the Alertmanager.
        if let embeddedAlertmanager { services.append(.init(service: embeddedAlertmanager.alertmanager)) }
        if let notifier { services.append(.init(service: notifier)) }
        if let ruleManager { services.append(.init(service: ruleManager)) }
        services += kubernetesMetricsAPIServices.map { .init(service: $0) }
        services.append(.init(service: application))
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
        withExtendedLifetime(dataDirectory) {}
        logger.info("See you next time!")
    }
}

/// Why `vigil server` could not start; the CLI maps ``config(_:)`` and ``collector(_:)`` to exit
/// code 2.
public enum ServerStartError: Error, CustomStringConvertible {
    /// The config file could not be loaded.
    case config(any Error)
    /// The data directory could not be created or locked.
    case dataDirectory(DataDirectoryError)
    /// The metrics store could not be opened.
    case storage(any Error)
    /// The log store could not be opened.
    case logStorage(any Error)
    /// A node collector flag is invalid (an unknown collector, a pattern that does not compile).
    case collector(any Error)

    /// The underlying error's message.
    public var description: String {
        switch self {
        case .config(let error): "error loading config: \(error)"
        case .dataDirectory(let error): "\(error)"
        case .storage(let error): "opening the metrics store: \(error)"
        case .logStorage(let error): "opening the log store: \(error)"
        case .collector(let error): "node collector: \(error)"
        }
    }
}
