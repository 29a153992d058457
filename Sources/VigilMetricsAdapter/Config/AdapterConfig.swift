public import VigilConfig
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// prometheus-adapter's metrics discovery config file (`--config`), loaded unchanged.
///
/// ```yaml
/// rules:
/// - seriesQuery: '{__name__=~"^container_.*",container!="POD",namespace!="",pod!=""}'
///   resources: {overrides: {namespace: {resource: namespace}, pod: {resource: pod}}}
///   name: {matches: "^container_(.*)_seconds_total$"}
///   metricsQuery: sum(rate(<<.Series>>{<<.LabelMatchers>>}[5m])) by (<<.GroupBy>>)
/// externalRules: [...]
/// resourceRules: {cpu: {...}, memory: {...}, window: 5m}
/// ```
///
/// Decoding is strict, as the adapter's `yaml.UnmarshalStrict` is: unknown fields and wrong types
/// are errors. Every regular expression and template is compiled while loading, so a mistake is
/// reported with its file, line and column instead of at the first request.
public struct AdapterConfig: Sendable, Hashable, Decodable {
    /// The custom metrics rules (`rules`), served under custom.metrics.k8s.io.
    public var rules: [DiscoveryRule]
    /// The external metrics rules (`externalRules`), served under external.metrics.k8s.io.
    public var externalRules: [DiscoveryRule]
    /// The resource metrics rules (`resourceRules`) for metrics.k8s.io; nil when absent.
    public var resourceRules: ResourceRules?

    /// A config with no rules.
    public init(rules: [DiscoveryRule] = [], externalRules: [DiscoveryRule] = [], resourceRules: ResourceRules? = nil) {
        self.rules = rules
        self.externalRules = externalRules
        self.resourceRules = resourceRules
    }

    enum CodingKeys: String, CodingKey {
        case rules, externalRules, resourceRules
    }

    /// Decodes the three sections; absent ones are empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rules = try container.list(.rules)
        externalRules = try container.list(.externalRules)
        resourceRules = try container.optional(.resourceRules)
    }

    /// Parses the YAML text of a config file; `fileName` only names the file in errors.
    ///
    /// `resources` are the kinds of object an override may name (the adapter asks the API server's
    /// discovery; Vigil knows the built-in kinds and whatever the caller adds).
    public static func parse(
        yaml: String, fileName: String, resources: KubernetesResourceTable = .standard
    ) throws(ConfigError) -> AdapterConfig {
        let result = KubernetesResourceTable.$decoding.withValue(resources) { () -> Result<AdapterConfig, ConfigError> in
            do throws(ConfigError) {
                return .success(try ConfigDecoder.decode(AdapterConfig.self, fromYAML: yaml, fileName: fileName))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Reads and parses the file at `path`.
    public static func load(path: String, resources: KubernetesResourceTable = .standard) throws(ConfigError) -> AdapterConfig {
        func failure(_ message: String) -> ConfigError {
            ConfigError(kind: .unreadable, file: path, line: 0, column: 0, fieldPath: "", message: message)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw failure("unable to load metrics discovery config file: cannot read \(path)")
        }
        guard let text = String(validating: data, as: UTF8.self) else { throw failure("file is not valid UTF-8") }
        return try parse(yaml: text, fileName: path, resources: resources)
    }
}
