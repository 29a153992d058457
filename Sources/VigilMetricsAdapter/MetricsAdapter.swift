public import Logging
public import ServiceLifecycle
import Synchronization
public import VigilModel
public import VigilPromQL

/// prometheus-adapter inside Vigil: custom.metrics.k8s.io and external.metrics.k8s.io computed
/// by PromQL from the rules of an ``AdapterConfig``.
///
/// It has no HTTP server: ``customMetricsGroup()`` and ``externalMetricsGroup()`` are handed to
/// the aggregated API server. The data comes through two functions, so the same adapter runs on
/// the local TSDB or on any Prometheus-compatible store. The metric lists are refreshed every
/// `relistInterval` while ``run()`` runs (it is a `Service`), and on the first request.
/// Thread-safe.
public final class MetricsAdapter: Service, Sendable {
    /// Lists the series matching a selector between two times (ms): Prometheus's `/api/v1/series`.
    public typealias SeriesLister = @Sendable (_ selector: String, _ start: Int64, _ end: Int64) async throws -> [Labels]
    /// Evaluates a PromQL query at a time (ms): Prometheus's `/api/v1/query`.
    public typealias InstantQuery = @Sendable (_ query: String, _ time: Int64) async throws -> QueryValue
    /// The names of the objects of a resource in a namespace ("" for root-scoped resources) that
    /// match a Kubernetes label selector ("" for all), in the API server's order.
    public typealias ObjectLister =
        @Sendable (_ resource: GroupResource, _ namespace: String, _ labelSelector: String) async throws -> [String]

    let customNamers: [MetricNamer]
    let externalNamers: [MetricNamer]
    let series: SeriesLister
    let query: InstantQuery
    let objects: ObjectLister?
    let table: KubernetesResourceTable
    let relistInterval: Int64
    let maxAge: Int64
    let now: @Sendable () -> Int64
    let logger: Logger
    let registry = Mutex(MetricRegistry())

    /// An adapter for `config`.
    ///
    /// - Parameters:
    ///   - objects: how `*` requests find objects by `labelSelector` (the adapter lists them from
    ///     the API server). Without it, `*` answers for every object with data, and a request
    ///     with a `labelSelector` fails rather than answer for the wrong objects.
    ///   - relistInterval: how often the metric lists are refreshed (ms; `--metrics-relist-interval`, 10m).
    ///   - maxAge: how far back series are listed (ms; `--metrics-max-age`, default the relist interval).
    ///   - now: the clock (ms), for tests.
    /// - Throws: when a rule cannot be compiled (a config from ``AdapterConfig/parse(yaml:fileName:resources:)``
    ///   has been checked already, with positions).
    public init(
        config: AdapterConfig, series: @escaping SeriesLister, query: @escaping InstantQuery,
        objects: ObjectLister? = nil, relistInterval: Int64 = 600_000, maxAge: Int64? = nil,
        resources: KubernetesResourceTable = .standard, now: @escaping @Sendable () -> Int64 = { Timestamps.now() },
        logger: Logger = Logger(label: "vigil.metrics-adapter")
    ) throws {
        do throws(MetricsAdapterError) {
            customNamers = try config.rules.map { rule throws(MetricsAdapterError) in try MetricNamer(rule, table: resources) }
            externalNamers = try config.externalRules.map { rule throws(MetricsAdapterError) in
                try MetricNamer(rule, table: resources)
            }
        } catch {
            throw MetricsAdapterConfigurationError(message: error.description)
        }
        self.series = series
        self.query = query
        self.objects = objects
        self.table = resources
        self.relistInterval = relistInterval
        self.maxAge = maxAge ?? relistInterval
        self.now = now
        self.logger = logger
    }

    /// Refreshes the metric lists every `relistInterval` until cancelled or shut down gracefully.
    public func run() async throws {
        while !Task.isCancelled {
            await relist()
            do {
                try await gracefulShutdownOrSleep(milliseconds: relistInterval)
            } catch {
                return
            }
        }
    }

    private func gracefulShutdownOrSleep(milliseconds: Int64) async throws {
        try await cancelWhenGracefulShutdown {
            try await Task.sleep(for: .milliseconds(milliseconds))
        }
    }

    /// Lists the series of every rule now and replaces the custom and external metric lists; a
    /// failed listing keeps that API's previous list (as the adapter's lister does).
    public func relist() async {
        let end = now()
        let start = end - maxAge
        var listed: [String: Result<[Labels], any Error>] = [:]
        for selector in Set((customNamers + externalNamers).map(\.seriesQuery)) {
            do {
                listed[selector] = .success(try await series(selector, start, end))
            } catch {
                listed[selector] = .failure(error)
            }
        }
        let custom = Self.seriesByRule(customNamers, listed, logger: logger)
        let external = Self.seriesByRule(externalNamers, listed, logger: logger)
        registry.withLock { registry in
            if let custom { registry.setCustom(custom, namers: customNamers, logger: logger) }
            if let external { registry.setExternal(external, namers: externalNamers, logger: logger) }
            registry.listed = true
        }
    }

    /// Each rule's filtered series names, or nil when any listing failed.
    private static func seriesByRule(
        _ namers: [MetricNamer], _ listed: [String: Result<[Labels], any Error>], logger: Logger
    ) -> [[Labels]]? {
        var result: [[Labels]] = []
        for namer in namers {
            switch listed[namer.seriesQuery] {
            case .success(let series):
                result.append(series.filter { namer.accepts(seriesNamed: $0.name ?? "") })
            case .failure(let error):
                logger.error(
                    "unable to update list of all metrics",
                    metadata: ["query": "\(namer.seriesQuery)", "error": "\(error)"])
                return nil
            case nil:
                return nil
            }
        }
        return result
    }

    /// Lists once before the first answer, so a request right after start-up sees the metrics.
    func ensureListed() async {
        if !registry.withLock({ $0.listed }) { await relist() }
    }
}

/// A rule that cannot be compiled.
public struct MetricsAdapterConfigurationError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let message: String
    /// The message.
    public var description: String { message }
}
