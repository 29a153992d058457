import Logging
import VigilConfig
import VigilDiscovery
import VigilHTTPClient
import VigilModel
import VigilTSDB

/// The targets and loops of one `scrape_config` (job). Owned and serialised by ``ScrapeManager``.
actor ScrapePool {
    private(set) var config: ScrapeConfig
    private var settings: ScrapeSettings
    private var relabeler: Relabeler
    private var client: ConfiguredHTTPClient
    private var retiredClients: [ConfiguredHTTPClient] = []
    private(set) var loops: [Labels: ScrapeLoop] = [:]
    private(set) var dropped: [Labels] = []
    private var groups: [TargetGroup] = []
    private let tsdb: TSDB
    private let logger: Logger

    init(config: ScrapeConfig, tsdb: TSDB, logger: Logger) throws(HTTPClientSetupError) {
        self.config = config
        self.tsdb = tsdb
        var logger = logger
        logger[metadataKey: "scrape_pool"] = "\(config.jobName)"
        self.logger = logger
        settings = ScrapeSettings(config)
        relabeler = Relabeler(config.relabelConfigs)
        client = try ConfiguredHTTPClient(config: config.httpClient)
    }

    /// Applies a changed `scrape_config`: loops of targets that stay get the new settings in
    /// place; targets that change are replaced.
    func reload(_ newConfig: ScrapeConfig) async throws(HTTPClientSetupError) {
        guard newConfig != config else { return }
        if newConfig.httpClient != config.httpClient {
            let newClient = try ConfiguredHTTPClient(config: newConfig.httpClient)
            // Clients retired at an earlier reload have had a whole reload cycle to finish their
            // requests; the one retired now may still be serving a scrape.
            for old in retiredClients { await old.shutdown() }
            retiredClients = [client]
            client = newClient
        }
        config = newConfig
        settings = ScrapeSettings(newConfig)
        relabeler = Relabeler(newConfig.relabelConfigs)
        for loop in loops.values { loop.update(settings: settings, client: client) }
        await sync(groups)
    }

    /// Turns `groups` into targets and starts, keeps or stops loops to match.
    func sync(_ groups: [TargetGroup]) async {
        self.groups = groups
        var active: [Labels: ScrapeTarget] = [:]
        var order: [Labels] = []
        var newDropped: [Labels] = []
        for group in groups {
            for population in ScrapeTarget.targets(from: group, config: config, relabeler: relabeler) {
                switch population {
                case .active(let target):
                    if active[target.labels] == nil {
                        active[target.labels] = target
                        order.append(target.labels)
                    }
                case .dropped(let labels):
                    if config.keepDroppedTargets == 0 || newDropped.count < config.keepDroppedTargets {
                        newDropped.append(labels)
                    }
                case .invalid(let reason):
                    logger.error("Creating target failed", metadata: ["group": "\(group.source)", "err": "\(reason)"])
                }
            }
        }
        dropped = newDropped
        let removed = loops.filter { active[$0.key] == nil }
        for key in removed.keys { loops[key] = nil }
        await withTaskGroup(of: Void.self) { group in
            for loop in removed.values {
                group.addTask { await loop.stop(markStale: true) }
            }
        }
        for key in order where loops[key] == nil {
            let loop = ScrapeLoop(target: active[key]!, settings: settings, client: client, tsdb: tsdb, logger: logger)
            loops[key] = loop
            loop.start()
        }
        let limit = config.targetLimit
        let failure = limit > 0 && loops.count > limit
            ? "target_limit exceeded (number of targets: \(loops.count), limit: \(limit))" : nil
        for loop in loops.values { loop.setForcedFailure(failure) }
    }

    /// Stops every loop; with `markStale` (the job was removed) their series go stale.
    func stop(markStale: Bool) async {
        let all = Array(loops.values)
        loops = [:]
        await withTaskGroup(of: Void.self) { group in
            for loop in all {
                group.addTask { await loop.stop(markStale: markStale) }
            }
        }
        await client.shutdown()
        for old in retiredClients { await old.shutdown() }
        retiredClients = []
    }

    /// The active loops, in target order.
    var activeLoops: [ScrapeLoop] {
        loops.values.sorted { $0.target.labels < $1.target.labels }
    }
}
