/// Vigil's `kubernetes_metrics_api:` section: serve the aggregated resource metrics API
/// (metrics.k8s.io, what metrics-server serves) over HTTPS. Absent, nothing listens.
///
/// ```yaml
/// kubernetes_metrics_api:
///   listen_address: 0.0.0.0:6443
///   tls_cert_file: /etc/vigil/tls/tls.crt        # both or neither: self-signed under the data dir
///   tls_key_file: /etc/vigil/tls/tls.key
///   requestheader_client_ca_file: /etc/vigil/front-proxy/ca.crt
///   requestheader_allowed_names: [front-proxy-client]
///   requestheader_username_headers: [X-Remote-User]
///   requestheader_group_headers: [X-Remote-Group]
///   metric_resolution: 2m                        # how far back a usage point may lie
///   source: auto                                 # resource | cadvisor | auto
///   adapter_config_file: /etc/vigil/adapter.yaml # prometheus-adapter rules: custom and external metrics
///   metrics_relist_interval: 10m
///   kubeconfig_file: ~/.kube/config              # or api_server; in a pod: in-cluster (selectors)
/// ```
public struct KubernetesMetricsAPIConfig: Sendable, Hashable, Decodable {
    /// Where the listener binds (`listen_address`, `host:port`).
    public var listenAddress: String
    /// The serving certificate chain, PEM (`tls_cert_file`); with ``tlsKeyFile`` or neither.
    public var tlsCertFile: String?
    /// The serving key, PEM (`tls_key_file`).
    public var tlsKeyFile: String?
    /// The front-proxy client CA, PEM (`requestheader_client_ca_file`): only clients presenting a
    /// certificate it signed may assert a user in the username headers.
    public var requestheaderClientCAFile: String?
    /// Common names the front-proxy certificate may carry (`requestheader_allowed_names`); empty
    /// allows any certificate the CA signed, as kube-apiserver does.
    public var requestheaderAllowedNames: [String]
    /// Headers naming the user (`requestheader_username_headers`), first non-empty wins.
    public var requestheaderUsernameHeaders: [String]
    /// Headers naming the groups (`requestheader_group_headers`), every value counts.
    public var requestheaderGroupHeaders: [String]
    /// How far back the newest usage sample of a node or container may lie before it is left out
    /// (`metric_resolution`, default 2m); its two newest samples in this span give the CPU rate.
    public var lookback: PromDuration
    /// Which series feed the API (`source`).
    public var source: Source
    /// A prometheus-adapter config file (`adapter_config_file`): with it, custom.metrics.k8s.io
    /// and external.metrics.k8s.io are served from its `rules` and `externalRules`.
    public var adapterConfigFile: String?
    /// How often the adapter re-discovers its metrics (`metrics_relist_interval`, default 10m,
    /// prometheus-adapter's `--metrics-relist-interval`).
    public var metricsRelistInterval: PromDuration
    /// How to reach the API server (`api_server`, `kubeconfig_file`, `context`), which answers
    /// `labelSelector` and `fieldSelector` (`kubectl top pod -l`, the HPA's pod metrics). Without
    /// them, in a pod: the in-cluster service account; elsewhere a selector is refused with 400.
    public var api: KubernetesAPIAccess

    /// Which stored series the API reads.
    public enum Source: String, Sendable, Hashable, Decodable {
        /// The kubelet's `/metrics/resource` series, or the cAdvisor ones where those are absent.
        case auto
        /// Only `/metrics/resource` series (no `id` label).
        case resource
        /// Only cAdvisor series (`container_*{id=...}`).
        case cadvisor
    }

    /// Defaults: port 6443 on every interface, self-signed, no front proxy trusted.
    public init() {
        listenAddress = "0.0.0.0:6443"
        tlsCertFile = nil
        tlsKeyFile = nil
        requestheaderClientCAFile = nil
        requestheaderAllowedNames = []
        requestheaderUsernameHeaders = ["X-Remote-User"]
        requestheaderGroupHeaders = ["X-Remote-Group"]
        lookback = PromDuration.minutes(2)
        source = .auto
        adapterConfigFile = nil
        metricsRelistInterval = PromDuration.minutes(10)
        api = KubernetesAPIAccess()
    }

    enum CodingKeys: String, CodingKey {
        case source
        case listenAddress = "listen_address"
        case tlsCertFile = "tls_cert_file"
        case tlsKeyFile = "tls_key_file"
        case requestheaderClientCAFile = "requestheader_client_ca_file"
        case requestheaderAllowedNames = "requestheader_allowed_names"
        case requestheaderUsernameHeaders = "requestheader_username_headers"
        case requestheaderGroupHeaders = "requestheader_group_headers"
        case lookback = "metric_resolution"
        case adapterConfigFile = "adapter_config_file"
        case metricsRelistInterval = "metrics_relist_interval"
    }

    /// Decodes the section and checks the address, the TLS pair and the durations.
    public init(from decoder: any Decoder) throws {
        let defaults = KubernetesMetricsAPIConfig()
        api = try KubernetesAPIAccess.decode(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        listenAddress = try container.value(.listenAddress, default: defaults.listenAddress)
        tlsCertFile = try container.optional(.tlsCertFile)
        tlsKeyFile = try container.optional(.tlsKeyFile)
        requestheaderClientCAFile = try container.optional(.requestheaderClientCAFile)
        requestheaderAllowedNames = try container.list(.requestheaderAllowedNames)
        requestheaderUsernameHeaders = try container.value(.requestheaderUsernameHeaders, default: defaults.requestheaderUsernameHeaders)
        requestheaderGroupHeaders = try container.value(.requestheaderGroupHeaders, default: defaults.requestheaderGroupHeaders)
        lookback = try container.value(.lookback, default: defaults.lookback)
        source = try container.value(.source, default: .auto)
        adapterConfigFile = try container.optional(.adapterConfigFile)
        metricsRelistInterval = try container.value(.metricsRelistInterval, default: defaults.metricsRelistInterval)
        try api.validate()
        guard let colon = listenAddress.lastIndex(of: ":"), let port = Int(listenAddress[listenAddress.index(after: colon)...]),
            (0...65535).contains(port)
        else {
            throw ConfigValidationError("listen_address must be host:port, not \"\(listenAddress)\"", field: "listen_address")
        }
        if (tlsCertFile == nil) != (tlsKeyFile == nil) {
            throw ConfigValidationError("tls_cert_file and tls_key_file must be given together", field: tlsCertFile == nil ? "tls_key_file" : "tls_cert_file")
        }
        if requestheaderUsernameHeaders.isEmpty || requestheaderUsernameHeaders.contains(where: \.isEmpty) {
            throw ConfigValidationError("requestheader_username_headers needs at least one non-empty header", field: "requestheader_username_headers")
        }
        if lookback.milliseconds < 1000 {
            throw ConfigValidationError("metric_resolution must be at least 1s", field: "metric_resolution")
        }
        if metricsRelistInterval.milliseconds < 1000 {
            throw ConfigValidationError("metrics_relist_interval must be at least 1s", field: "metrics_relist_interval")
        }
    }

    mutating func resolvePaths(in directory: String) {
        tlsCertFile = tlsCertFile.map { joinDirectory(directory, $0) }
        tlsKeyFile = tlsKeyFile.map { joinDirectory(directory, $0) }
        requestheaderClientCAFile = requestheaderClientCAFile.map { joinDirectory(directory, $0) }
        adapterConfigFile = adapterConfigFile.map { joinDirectory(directory, $0) }
        api.resolvePaths(in: directory)
    }
}
