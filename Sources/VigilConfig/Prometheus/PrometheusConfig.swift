/// A Prometheus configuration file (`prometheus.yml`), with Prometheus v2.53's defaults and checks.
///
/// Load one with ``load(path:)`` or ``parse(yaml:fileName:)``. Every field not written takes
/// Prometheus's default; scrape configs have inherited the global settings; relative file paths
/// have been resolved against the file's directory (``load(path:)`` only). A key Prometheus does
/// not know is an error, as in `promtool check config`.
public struct PrometheusConfig: Sendable, Hashable, Decodable {
    /// Settings shared by every section (`global`).
    public var global: GlobalConfig
    /// Process settings (`runtime`).
    public var runtime: RuntimeConfig
    /// Where alerts go (`alerting`).
    public var alerting: AlertingConfig
    /// Rule file patterns (`rule_files`); after ``load(path:)``, joined to the config's directory.
    /// Expand them with ``ruleFilePaths()``.
    public var ruleFiles: [String]
    /// Vigil's LogQL rule file patterns (`log_rule_files`): Prometheus-format rule files whose
    /// expressions are LogQL, evaluated against the log store as Loki's ruler does. Resolved like
    /// ``ruleFiles``; expand them with ``logRuleFilePaths()``.
    public var logRuleFiles: [String]
    /// Patterns of files holding more scrape configs (`scrape_config_files`); resolved like ``ruleFiles``.
    public var scrapeConfigFiles: [String]
    /// The scrape jobs of this file (`scrape_configs`); see ``allScrapeConfigs()`` for those of
    /// ``scrapeConfigFiles`` too.
    public var scrapeConfigs: [ScrapeConfig]
    /// Storage settings (`storage`).
    public var storage: StorageConfig
    /// Trace export (`tracing`); nil when absent.
    public var tracing: TracingConfig?
    /// Remote stores to send samples to (`remote_write`).
    public var remoteWrite: [RemoteWriteConfig]
    /// Remote stores to read from (`remote_read`).
    public var remoteRead: [RemoteReadConfig]
    /// Vigil's log collection (`logs`): empty when absent.
    public var logs: LogsConfig
    /// Vigil's log store (`log_store`): Loki's defaults when absent.
    public var logStore: LogStoreConfig
    /// Vigil's Kubernetes event watcher (`kubernetes_events`); nil when absent (nothing watched).
    public var kubernetesEvents: KubernetesEventsConfig?
    /// Vigil's aggregated resource metrics API (`kubernetes_metrics_api`); nil when absent (nothing served).
    public var kubernetesMetricsAPI: KubernetesMetricsAPIConfig?

    /// The YAML text as loaded, for `/api/v1/status/config`. Empty for a value built in code.
    public internal(set) var source: String = ""
    /// The file name errors were reported against.
    public internal(set) var fileName: String = ""
    /// The directory relative paths were resolved against; nil when parsed from a string.
    public internal(set) var directory: String?

    /// Prometheus's defaults: an empty configuration.
    public init() {
        global = GlobalConfig()
        runtime = RuntimeConfig()
        alerting = AlertingConfig()
        ruleFiles = []
        logRuleFiles = []
        scrapeConfigFiles = []
        scrapeConfigs = []
        storage = StorageConfig()
        tracing = nil
        remoteWrite = []
        remoteRead = []
        logs = LogsConfig()
        logStore = LogStoreConfig()
        kubernetesEvents = nil
        kubernetesMetricsAPI = nil
    }

    enum CodingKeys: String, CodingKey {
        case global, runtime, alerting, storage, tracing, logs
        case ruleFiles = "rule_files"
        case logRuleFiles = "log_rule_files"
        case scrapeConfigFiles = "scrape_config_files"
        case scrapeConfigs = "scrape_configs"
        case remoteWrite = "remote_write"
        case remoteRead = "remote_read"
        case logStore = "log_store"
        case kubernetesEvents = "kubernetes_events"
        case kubernetesMetricsAPI = "kubernetes_metrics_api"
    }

    /// Decodes the sections, applies the global settings to every scrape config and checks
    /// names are unique, as Prometheus's `Config.UnmarshalYAML` does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        global = try container.value(.global, default: GlobalConfig())
        runtime = try container.value(.runtime, default: RuntimeConfig())
        alerting = try container.value(.alerting, default: AlertingConfig())
        ruleFiles = try container.list(.ruleFiles)
        logRuleFiles = try container.list(.logRuleFiles)
        scrapeConfigFiles = try container.list(.scrapeConfigFiles)
        scrapeConfigs = try container.list(.scrapeConfigs)
        storage = try container.value(.storage, default: StorageConfig())
        tracing = try container.optional(.tracing)
        remoteWrite = try container.list(.remoteWrite)
        remoteRead = try container.list(.remoteRead)
        logs = try container.value(.logs, default: LogsConfig())
        logStore = try container.value(.logStore, default: LogStoreConfig())
        kubernetesEvents = try container.optional(.kubernetesEvents)
        kubernetesMetricsAPI = try container.optional(.kubernetesMetricsAPI)
        try validate()
    }

    private mutating func validate() throws(ConfigValidationError) {
        for (index, pattern) in ruleFiles.enumerated() where !Self.isValidFilePattern(pattern) {
            throw ConfigValidationError("invalid rule file path \"\(pattern)\"", field: "rule_files", .index(index))
        }
        for (index, pattern) in logRuleFiles.enumerated() where !Self.isValidFilePattern(pattern) {
            throw ConfigValidationError("invalid rule file path \"\(pattern)\"", field: "log_rule_files", .index(index))
        }
        for (index, pattern) in scrapeConfigFiles.enumerated() where !Self.isValidFilePattern(pattern) {
            throw ConfigValidationError(
                "invalid scrape config file path \"\(pattern)\"", field: "scrape_config_files", .index(index))
        }
        var jobNames: Set<String> = []
        for index in scrapeConfigs.indices {
            do {
                try scrapeConfigs[index].inherit(from: global)
            } catch {
                throw ConfigValidationError(error.message, fieldPath: ["scrape_configs", .index(index)] + error.field)
            }
            let name = scrapeConfigs[index].jobName
            if !jobNames.insert(name).inserted {
                throw ConfigValidationError(
                    "found multiple scrape configs with job name \"\(name)\"", field: "scrape_configs", .index(index), "job_name")
            }
        }
        var writeNames: Set<String> = []
        for (index, config) in remoteWrite.enumerated() where !config.name.isEmpty {
            if !writeNames.insert(config.name).inserted {
                throw ConfigValidationError(
                    "found multiple remote write configs with job name \"\(config.name)\"",
                    field: "remote_write", .index(index), "name")
            }
        }
        var readNames: Set<String> = []
        for (index, config) in remoteRead.enumerated() where !config.name.isEmpty {
            if !readNames.insert(config.name).inserted {
                throw ConfigValidationError(
                    "found multiple remote read configs with job name \"\(config.name)\"",
                    field: "remote_read", .index(index), "name")
            }
        }
    }

    /// Prometheus's rule for rule and scrape-config file paths: a `*` only in the last component.
    static func isValidFilePattern(_ pattern: String) -> Bool {
        guard let star = pattern.firstIndex(of: "*") else { return true }
        return !pattern[star...].contains("/")
    }

    /// Joins every relative file path to `directory`, as Prometheus's `SetDirectory` does.
    mutating func resolvePaths(in directory: String) {
        self.directory = directory
        global.queryLogFile = joinDirectory(directory, global.queryLogFile)
        ruleFiles = ruleFiles.map { joinDirectory(directory, $0) }
        logRuleFiles = logRuleFiles.map { joinDirectory(directory, $0) }
        scrapeConfigFiles = scrapeConfigFiles.map { joinDirectory(directory, $0) }
        for index in scrapeConfigs.indices {
            scrapeConfigs[index].resolvePaths(in: directory)
        }
        for index in alerting.alertmanagers.indices {
            alerting.alertmanagers[index].resolvePaths(in: directory)
        }
        for index in remoteWrite.indices {
            remoteWrite[index].httpClient.resolvePaths(in: directory)
        }
        for index in remoteRead.indices {
            remoteRead[index].httpClient.resolvePaths(in: directory)
        }
        logs.resolvePaths(in: directory)
        kubernetesEvents?.resolvePaths(in: directory)
        kubernetesMetricsAPI?.resolvePaths(in: directory)
        tracing?.tlsConfig.resolvePaths(in: directory)
    }
}
