public import Logging
public import VigilConfig
public import VigilDiscovery
public import VigilModel
public import VigilTSDB

/// Keeps one ``ScrapeLoop`` per discovered target of every `scrape_config`, as Prometheus's
/// `scrape.Manager` does.
///
/// ``apply(_:)`` takes a config (at start and on every reload); ``sync(_:)`` takes the target
/// groups the discovery manager sends. A job whose config did not change keeps its loops; a
/// changed job keeps the loops of targets that stay the same and updates them in place.
public actor ScrapeManager {
    private let tsdb: TSDB
    private let logger: Logger
    private var pools: [String: ScrapePool] = [:]
    private var poolOrder: [String] = []
    private var lastGroups: [String: [TargetGroup]] = [:]

    /// A manager appending to `tsdb`.
    public init(tsdb: TSDB, logger: Logger) {
        self.tsdb = tsdb
        self.logger = logger
    }

    /// Creates, updates or removes pools to match `config.scrapeConfigs`. A pool whose HTTP client
    /// cannot be built (a missing TLS file) keeps its previous settings; the error is logged.
    public func apply(_ config: PrometheusConfig) async {
        var wanted: [String: ScrapeConfig] = [:]
        for scrape in config.scrapeConfigs { wanted[scrape.jobName] = scrape }
        for (name, pool) in pools where wanted[name] == nil {
            pools[name] = nil
            await pool.stop(markStale: true)
        }
        for scrape in config.scrapeConfigs {
            do {
                if let pool = pools[scrape.jobName] {
                    try await pool.reload(scrape)
                } else {
                    let pool = try ScrapePool(config: scrape, tsdb: tsdb, logger: logger)
                    pools[scrape.jobName] = pool
                    if let groups = lastGroups[scrape.jobName] { await pool.sync(groups) }
                }
            } catch {
                logger.error("Error creating HTTP client", metadata: ["scrape_pool": "\(scrape.jobName)", "err": "\(error)"])
            }
        }
        poolOrder = config.scrapeConfigs.map(\.jobName).filter { pools[$0] != nil }
    }

    /// Takes the discovery manager's groups for every job.
    public func sync(_ groups: [String: [TargetGroup]]) async {
        for (job, jobGroups) in groups where lastGroups[job] != jobGroups {
            lastGroups[job] = jobGroups
            await pools[job]?.sync(jobGroups)
        }
        for job in lastGroups.keys where groups[job] == nil { lastGroups[job] = nil }
    }

    /// Stops every loop without stale markers (shutdown).
    public func stop() async {
        for pool in pools.values { await pool.stop(markStale: false) }
        pools = [:]
        poolOrder = []
    }

    /// The pool (job) names, sorted as Prometheus lists them.
    public var scrapePools: [String] { poolOrder.sorted() }

    /// Every active target with its pool, in config order then label order.
    public func activeTargets() async -> [(pool: String, loop: ScrapeLoop)] {
        var result: [(pool: String, loop: ScrapeLoop)] = []
        for name in poolOrder {
            for loop in await pools[name]!.activeLoops { result.append((name, loop)) }
        }
        return result
    }

    /// Every target relabeling dropped, with its pool and discovered labels.
    public func droppedTargets() async -> [(pool: String, labels: Labels)] {
        var result: [(pool: String, labels: Labels)] = []
        for name in poolOrder {
            for labels in await pools[name]!.dropped { result.append((name, labels)) }
        }
        return result
    }
}
