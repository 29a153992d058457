public import Logging
public import VigilConfig
public import VigilModel

/// Owns the running configuration: loads it at start, reloads it on SIGHUP or `POST /-/reload`, and
/// hands each accepted config to the parts that apply it.
///
/// A reload that fails to parse, validate or apply leaves the old config running, logs the error and
/// reports failure through `prometheus_config_last_reload_successful`, as Prometheus does.
public actor ConfigManager {
    /// Where the config comes from.
    public enum Source: Sendable, Equatable {
        /// A YAML file, read again on every reload.
        case file(String)
        /// The config compiled into the binary (`vigil server` with no `--config`); it scrapes
        /// the server itself at `selfAddress` (nil: no self-scrape), and its node collector at
        /// `nodeMetricsPath` on the same address (nil: no `node` job).
        case embedded(selfAddress: String?, nodeMetricsPath: String? = nil)
    }

    /// A part of the server that takes a new config; throwing rejects the reload.
    public typealias Applier = @Sendable (PrometheusConfig) async throws -> Void

    /// Where this manager reads from.
    public nonisolated let source: Source
    /// The config in force.
    public private(set) var current: PrometheusConfig
    private var appliers: [Applier] = []
    /// Whether the last reload succeeded, and when a config last loaded successfully (ms).
    public private(set) var lastReload: (successful: Bool, lastSuccess: Int64)
    private let logger: Logger
    private let agentMode: Bool
    private let reloadSuccessful: Gauge
    private let reloadTimestamp: Gauge
    private let reloadsTotal: Counter
    private let reloadFailuresTotal: Counter

    /// Loads the config once; a config that fails here is a start-up error (exit 2).
    public init(source: Source, registry: MetricsRegistry, logger: Logger, agentMode: Bool = false) throws {
        self.source = source
        self.logger = logger
        self.agentMode = agentMode
        self.current = try Self.load(source, agentMode: agentMode)
        self.lastReload = (true, Timestamps.now())
        reloadSuccessful = try registry.gauge(
            name: "prometheus_config_last_reload_successful",
            help: "Whether the last configuration reload attempt was successful."
        )
        reloadTimestamp = try registry.gauge(
            name: "prometheus_config_last_reload_success_timestamp_seconds",
            help: "Timestamp of the last successful configuration reload."
        )
        reloadsTotal = try registry.counter(
            name: "vigil_config_reloads_total", help: "Configuration reloads attempted."
        )
        reloadFailuresTotal = try registry.counter(
            name: "vigil_config_reload_failures_total", help: "Configuration reloads that failed."
        )
        reloadSuccessful.set(1)
        reloadTimestamp.set(Double(Timestamps.now() / 1000))
    }

    /// Adds a part that applies configs; it is called at once with the current config (unless
    /// `applyNow` is false: the part has already set itself up), then on each reload.
    public func subscribe(applyNow: Bool = true, _ applier: @escaping Applier) async throws {
        if applyNow { try await applier(current) }
        appliers.append(applier)
    }

    /// Reads the source again and applies it. On failure the old config stays in force and the error is rethrown.
    public func reload() async throws {
        reloadsTotal.increment()
        do {
            let next = try Self.load(source, agentMode: agentMode)
            for applier in appliers {
                try await applier(next)
            }
            current = next
            lastReload = (true, Timestamps.now())
            reloadSuccessful.set(1)
            reloadTimestamp.set(Double(Timestamps.now() / 1000))
            logger.info("Completed loading of configuration file", metadata: ["source": "\(source)"])
        } catch {
            lastReload.successful = false
            reloadSuccessful.set(0)
            reloadFailuresTotal.increment()
            logger.error(
                "Error reloading config; the previous configuration stays in force",
                metadata: ["source": "\(source)", "err": "\(error)"]
            )
            throw error
        }
    }

    private static func load(_ source: Source, agentMode: Bool) throws -> PrometheusConfig {
        let config = try load(source)
        if agentMode { try checkAgent(config, source: source) }
        return config
    }

    /// Prometheus's agent-mode rules, with its messages.
    private static func checkAgent(_ config: PrometheusConfig, source: Source) throws(AgentConfigError) {
        if config.remoteWrite.isEmpty {
            throw AgentConfigError(source: source, message: "at least one remote_write target must be specified in agent mode")
        }
        if !config.alerting.alertmanagers.isEmpty {
            throw AgentConfigError(source: source, message: "field alerting is not allowed in agent mode")
        }
        if !config.ruleFiles.isEmpty {
            throw AgentConfigError(source: source, message: "field rule_files is not allowed in agent mode")
        }
        if !config.remoteRead.isEmpty {
            throw AgentConfigError(source: source, message: "field remote_read is not allowed in agent mode")
        }
    }

    private static func load(_ source: Source) throws -> PrometheusConfig {
        switch source {
        case .file(let path): try PrometheusConfig.load(path: path)
        case .embedded(let selfAddress, let nodeMetricsPath):
            try PrometheusConfig.parse(
                yaml: PrometheusConfig.embeddedDefault(selfAddress: selfAddress, nodeMetricsPath: nodeMetricsPath),
                fileName: "<embedded default>")
        }
    }
}

extension ConfigManager.Source: CustomStringConvertible {
    /// The file path, or `embedded default`.
    public nonisolated var description: String {
        switch self {
        case .file(let path): path
        case .embedded: "embedded default"
        }
    }
}

/// A config that is valid for `vigil server` but not for `vigil agent`.
public struct AgentConfigError: Error, CustomStringConvertible {
    /// Where the config came from.
    public let source: ConfigManager.Source
    /// Prometheus's message for the rule broken.
    public let message: String
    /// `file: message`.
    public var description: String { "\(source): \(message)" }
}
