import Foundation
import Logging
import ServiceLifecycle
import VigilConfig
import VigilKubeMetricsAPI
import VigilMetricsAdapter
import VigilModel
import VigilPromQL
import VigilTSDB

/// `kubernetes_metrics_api:` wired to the TSDB: metrics.k8s.io plus the groups other parts plug
/// in (custom and external metrics), behind one HTTPS listener.
enum KubernetesMetricsAPIService {
    /// The listener for `config`, its self-signed certificate (if needed) in `directory`, the
    /// metrics adapter (a service that re-discovers its metrics) when `adapter_config_file` is set,
    /// and the API server connection that answers selectors when there is one; the services to run.
    static func make(
        config: KubernetesMetricsAPIConfig, tsdb: TSDB, extraGroups: [AggregatedAPIGroup], directory: String, logger: Logger,
        onReady: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> [any Service] {
        var groups = extraGroups
        var services: [any Service] = []
        let selection = try KubernetesObjectSelection.make(access: config.api, logger: logger)
        if let selection { services.append(selection) }
        if let path = config.adapterConfigFile {
            let made = try metricsAdapter(
                configFile: path, relistInterval: config.metricsRelistInterval.milliseconds, tsdb: tsdb,
                objects: selection?.adapterLister, logger: logger)
            groups += [made.customMetricsGroup(), made.externalMetricsGroup()]
            services.append(made)
        }
        let address = try ListenAddress(parsing: config.listenAddress)
        let hosts = ["localhost", "127.0.0.1"] + (address.host.isEmpty || address.host == "0.0.0.0" ? [] : [address.host])
        let (chain, key) = try ServingCertificate.load(
            certFile: config.tlsCertFile, keyFile: config.tlsKeyFile, directory: directory, hosts: hosts + serviceNames())
        var clientCA: [UInt8]?
        if let path = config.requestheaderClientCAFile {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw AggregatedAPIListener.SetupError(description: "requestheader_client_ca_file \(path): no such file or not readable")
            }
            clientCA = Array(data)
        } else {
            logger.warning(
                "kubernetes_metrics_api has no requestheader_client_ca_file: every request but the health checks is refused with 401")
        }
        let reader = ResourceUsageReader(
            lookback: config.lookback.milliseconds, source: ResourceUsageReader.Source(rawValue: config.source.rawValue) ?? .auto
        ) { mint, maxt in tsdb.querier(mint: mint, maxt: maxt) }
        let metrics = ResourceMetricsAPI(reader: reader, selectObjects: selection?.resourceMetricsSelector) {
            Int64(Date().timeIntervalSince1970 * 1000)
        }
        let server = AggregatedAPIServer(
            groups: [metrics.group] + groups,
            authenticator: FrontProxyAuthenticator(
                allowedNames: config.requestheaderAllowedNames, usernameHeaders: config.requestheaderUsernameHeaders,
                groupHeaders: config.requestheaderGroupHeaders))
        let listener = try AggregatedAPIListener(
            host: address.host.isEmpty ? "0.0.0.0" : address.host, port: address.port, chain: chain, key: key, clientCA: clientCA,
            server: server, logger: logger, onReady: onReady)
        return [listener] + services
    }

    /// prometheus-adapter's rules over the local TSDB: series from the index, values from PromQL.
    private static func metricsAdapter(
        configFile: String, relistInterval: Int64, tsdb: TSDB, objects: MetricsAdapter.ObjectLister?, logger: Logger
    ) throws -> MetricsAdapter {
        let config = try AdapterConfig.load(path: configFile)
        let engine = Engine()
        return try MetricsAdapter(
            config: config,
            series: { selector, start, end in
                let matchers = try PromQL.parseMetricSelector(selector)
                return try tsdb.querier(mint: start, maxt: end).seriesLabels(matchers, mint: start, maxt: end)
            },
            query: { query, time in try engine.instantQuery(query, time: time, querier: tsdb.querier()).value },
            objects: objects, relistInterval: relistInterval, logger: logger)
    }

    /// The in-cluster Service names an APIService reaches the pod by, when running in a pod.
    private static func serviceNames() -> [String] {
        guard let namespace = try? String(contentsOfFile: "/var/run/secrets/kubernetes.io/serviceaccount/namespace", encoding: .utf8)
        else { return [] }
        let ns = namespace.trimmingCharacters(in: .whitespacesAndNewlines)
        return ["vigil-server.\(ns).svc", "vigil-server.\(ns).svc.cluster.local"]
    }
}
