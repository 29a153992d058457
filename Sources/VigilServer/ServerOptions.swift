public import VigilNodeAgent
public import VigilCollectors
public import VigilNotifier
public import VigilPromQL
public import VigilTSDB

/// Everything `vigil server` is told on its command line.
///
/// The config file (or the embedded default) says *what* to collect; these options say where the
/// process listens and keeps its data, as Prometheus's flags do.
public struct ServerOptions: Sendable {
    /// Where the HTTP server binds. Loopback by default: exposing Vigil is an explicit choice.
    public var listen: ListenAddress
    /// Root of everything Vigil persists (`metrics/`, `alerts/`, `logs/`, ...).
    public var dataDirectory: String
    /// The YAML config file; `nil` runs the embedded default.
    public var configPath: String?
    /// Upper bound for any request body the server reads, in bytes.
    public var maxRequestBodyBytes: Int
    /// The metrics store's retention, WAL sync policy and head limits.
    public var storage: TSDBOptions
    /// Engine limits: query timeout (2m), samples a query may load (50M), lookback delta (5m).
    public var query: EngineOptions
    /// Queries evaluated at once; more wait in line (Prometheus's `--query.max-concurrency`, 20).
    public var maxConcurrentQueries: Int
    /// Serves `/api/v1/admin/*` (series deletion, tombstone clean-up); off by default as in Prometheus.
    public var enableAdminAPI: Bool
    /// The command-line flags as given, for `/api/v1/status/flags`.
    public var flags: [(name: String, value: String)]
    /// `vigil agent`: scrape and remote-write only, as Prometheus's agent mode. Query, federation,
    /// remote read, import and the remote-write receiver answer "unavailable"; the config must
    /// have a `remote_write` and no `rule_files`, `alerting` or `remote_read`.
    public var agentMode = false
    /// DNS servers (`host:port`) for `dns_sd_configs` instead of `/etc/resolv.conf`'s.
    public var dnsServers: [String] = []
    /// The URL Vigil is reached at (`--web.external-url`), for `$externalURL` in alert templates.
    public var externalURL = ""
    /// How long Vigil may have been down for alerts' `for` state to be restored, in ms
    /// (`--rules.alert.for-outage-tolerance`, 1h).
    public var ruleForOutageTolerance: Int64 = 3_600_000
    /// The least time a restored pending alert waits before it fires, in ms
    /// (`--rules.alert.for-grace-period`, 10m).
    public var ruleForGracePeriod: Int64 = 600_000
    /// The least time between two notifications of a still-firing alert, in ms
    /// (`--rules.alert.resend-delay`, 1m).
    public var ruleResendDelay: Int64 = 60_000
    /// The notifier's queue and shutdown settings (`--alertmanager.*`).
    public var notifier = NotifierOptions()
    /// The embedded Alertmanager's alertmanager.yml (`--alertmanager.config.file`); nil runs it
    /// with a configuration that sends no notifications.
    public var alertmanagerConfigPath: String?
    /// The node collector (node_exporter's metrics of this host); nil turns it off. The server
    /// serves it at `/metrics/node`, which its embedded default scrapes as job `node`; the agent
    /// adds it to its own `/metrics`, as node_exporter serves them.
    public var nodeCollector: NodeCollectorOptions? = NodeCollectorOptions()

    /// The defaults of `vigil server` with no flags.
    public init(
        listen: ListenAddress = .default,
        dataDirectory: String = "./data",
        configPath: String? = nil,
        maxRequestBodyBytes: Int = 32 << 20,
        storage: TSDBOptions = TSDBOptions(),
        query: EngineOptions = EngineOptions(),
        maxConcurrentQueries: Int = 20,
        enableAdminAPI: Bool = false,
        flags: [(name: String, value: String)] = []
    ) {
        self.listen = listen
        self.dataDirectory = dataDirectory
        self.configPath = configPath
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.storage = storage
        self.query = query
        self.maxConcurrentQueries = maxConcurrentQueries
        self.enableAdminAPI = enableAdminAPI
        self.flags = flags
    }
}
