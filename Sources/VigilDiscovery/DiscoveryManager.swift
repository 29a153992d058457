public import Logging
public import VigilConfig
public import VigilModel

/// Runs the discovery providers of every job and hands the merged target groups to a consumer
/// (the scrape manager), like Prometheus's `discovery.Manager`.
///
/// ``apply(_:)`` takes each job's `*_sd_configs`; a provider whose config did not change keeps
/// running and keeps its groups across a reload, so targets do not flap. Updates are coalesced:
/// the consumer gets the full `[job: groups]` map at most once per `updateInterval`.
public actor DiscoveryManager {
    /// Receives every job's groups; jobs without targets map to an empty list.
    public typealias Consumer = @Sendable ([String: [TargetGroup]]) async -> Void

    private struct Running {
        let job: String
        let spec: ProviderSpec
        let id: Int
        let task: Task<Void, Never>
    }

    private let logger: Logger
    private let updateInterval: Duration
    private let fileReadErrors: Counter?
    private let httpFailures: Counter?
    private let dnsFailures: Counter?
    private let resolver: DNSResolver
    private let kubernetes: KubernetesInformers
    private let ownsKubernetes: Bool
    private var running: [Running] = []
    private var groups: [String: [Int: [TargetGroup]]] = [:]
    private var nextID = 0
    private let (signals, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))

    /// A manager with no jobs; `registry` receives the discovery self-metrics. Kubernetes
    /// discoveries take their informers from `kubernetes` (shared with other users of the API,
    /// such as the event watcher); without one, the manager keeps its own and closes it when
    /// ``run(consumer:)`` ends.
    public init(
        logger: Logger, registry: MetricsRegistry? = nil, updateInterval: Duration = .seconds(1),
        resolver: DNSResolver = .system(), kubernetes: KubernetesInformers? = nil
    ) {
        self.logger = logger
        self.updateInterval = updateInterval
        self.resolver = resolver
        self.kubernetes = kubernetes ?? KubernetesInformers(logger: logger)
        ownsKubernetes = kubernetes == nil
        dnsFailures = try? registry?.counter(
            name: "prometheus_sd_dns_lookup_failures_total", help: "The number of DNS-SD lookup failures.")
        fileReadErrors = try? registry?.counter(
            name: "prometheus_sd_file_read_errors_total", help: "The number of File-SD read errors.")
        httpFailures = try? registry?.counter(
            name: "prometheus_sd_http_failures_total", help: "Number of HTTP service discovery refresh failures.")
    }

    /// Starts, keeps or stops providers so that exactly `jobs`' discovery configs run.
    public func apply(_ jobs: [String: ServiceDiscoveryConfigs]) {
        var wanted: [(job: String, spec: ProviderSpec)] = []
        for (job, configs) in jobs.sorted(by: { $0.key < $1.key }) {
            for spec in ProviderSpec.specs(for: configs) { wanted.append((job, spec)) }
        }
        var kept: [Running] = []
        for provider in running {
            if wanted.contains(where: { $0.job == provider.job && $0.spec == provider.spec }) {
                kept.append(provider)
            } else {
                provider.task.cancel()
                groups[provider.job]?[provider.id] = nil
            }
        }
        running = kept
        for (job, spec) in wanted where !running.contains(where: { $0.job == job && $0.spec == spec }) {
            let id = nextID
            nextID += 1
            let provider = spec.provider(
                logger: logger, fileReadErrors: fileReadErrors, httpFailures: httpFailures, dnsFailures: dnsFailures,
                resolver: resolver, kubernetes: kubernetes)
            let manager = self
            let task = Task {
                await provider.run { groups in await manager.receive(job: job, id: id, groups: groups) }
            }
            running.append(Running(job: job, spec: spec, id: id, task: task))
        }
        for job in groups.keys where jobs[job] == nil { groups[job] = nil }
        for job in jobs.keys where groups[job] == nil { groups[job] = [:] }
        signal.yield()
    }

    private func receive(job: String, id: Int, groups received: [TargetGroup]) {
        guard running.contains(where: { $0.id == id }) else { return }
        groups[job, default: [:]][id] = received
        signal.yield()
    }

    /// The current groups of every job, providers in start order.
    public func snapshot() -> [String: [TargetGroup]] {
        groups.mapValues { byProvider in byProvider.keys.sorted().flatMap { byProvider[$0]! } }
    }

    /// Sends updates to `consumer` until cancelled; then stops every provider.
    public func run(consumer: Consumer) async {
        for await _ in signals {
            if Task.isCancelled { break }
            await consumer(snapshot())
            try? await Task.sleep(for: updateInterval)
        }
        stopAll()
        if ownsKubernetes { await kubernetes.shutdown() }
    }

    private func stopAll() {
        for provider in running { provider.task.cancel() }
        running = []
    }

    /// Stops delivering updates and cancels every provider.
    public func shutdown() {
        stopAll()
        signal.finish()
    }
}

/// One provider's config: what decides whether a reload restarts it.
enum ProviderSpec: Hashable {
    case statics([StaticConfig])
    case file(FileSDConfig)
    case http(HTTPSDConfig)
    case dns(DNSSDConfig)
    case kubernetes(KubernetesSDConfig)

    static func specs(for configs: ServiceDiscoveryConfigs) -> [ProviderSpec] {
        var specs: [ProviderSpec] = []
        if !configs.staticConfigs.isEmpty { specs.append(.statics(configs.staticConfigs)) }
        specs.append(contentsOf: configs.fileSDConfigs.map { .file($0) })
        specs.append(contentsOf: configs.httpSDConfigs.map { .http($0) })
        specs.append(contentsOf: configs.dnsSDConfigs.map { .dns($0) })
        specs.append(contentsOf: configs.kubernetesSDConfigs.map { .kubernetes($0) })
        return specs
    }

    func provider(
        logger: Logger, fileReadErrors: Counter?, httpFailures: Counter?, dnsFailures: Counter?, resolver: DNSResolver,
        kubernetes: KubernetesInformers
    ) -> any DiscoveryProvider {
        switch self {
        case .statics(let configs): StaticDiscovery(configs)
        case .file(let config): FileDiscovery(config, logger: logger, readErrors: fileReadErrors)
        case .http(let config): HTTPDiscovery(config, logger: logger, failures: httpFailures)
        case .dns(let config): DNSDiscovery(config, resolver: resolver, logger: logger, failures: dnsFailures)
        case .kubernetes(let config): KubernetesDiscovery(config, informers: kubernetes, logger: logger)
        }
    }
}
