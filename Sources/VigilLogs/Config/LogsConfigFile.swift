public import VigilConfig

/// A config file read for its `logs:` section alone (`vigil logs ship --config`).
///
/// The other sections Vigil knows (`global`, `scrape_configs`, `alertmanager`, …) are left to
/// their own loaders; any other top-level key is an error, as everywhere else.
public struct LogsConfigFile: Sendable, Decodable {
    /// The `logs:` section; empty when absent.
    public var logs: LogsConfig

    /// Top-level sections owned by other loaders.
    static let otherSections = [
        "global", "runtime", "alerting", "rule_files", "scrape_config_files", "scrape_configs", "storage", "tracing",
        "remote_write", "remote_read", "alertmanager", "kubernetes", "collectors", "events",
    ]

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Marks a section as read without looking inside it.
    struct Skipped: Decodable {
        init(from decoder: any Decoder) throws {
            _ = try decoder.singleValueContainer()
        }
    }

    /// Decodes `logs` strictly and accepts the other known sections unread.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        logs = try container.value(Key(stringValue: "logs"), default: LogsConfig())
        for name in Self.otherSections {
            _ = try container.decodeIfPresent(Skipped.self, forKey: Key(stringValue: name))
        }
    }

    /// Reads and parses `path`; relative paths in the section are resolved against its directory.
    public static func load(path: String) throws(ConfigError) -> LogsConfig {
        let text = try readConfigFile(path)
        var config = try ConfigDecoder.decode(LogsConfigFile.self, fromYAML: text, fileName: path).logs
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        config.resolvePaths(in: directory.isEmpty ? "/" : directory)
        return config
    }
}
