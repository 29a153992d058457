#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension PrometheusConfig {
    /// The configuration `vigil server` runs with when given none: 15s scrape and evaluation
    /// intervals and a `vigil` job scraping the server itself at `selfAddress` (`host:port`);
    /// no job when `selfAddress` is nil (a server on an ephemeral port cannot name itself).
    /// With `nodeMetricsPath`, a `node` job also scrapes the server's built-in node collector
    /// there, so a single host is monitored out of the box.
    public static func embeddedDefault(selfAddress: String? = "127.0.0.1:9470", nodeMetricsPath: String? = nil) -> String {
        var text = """
            # Vigil's built-in configuration, used when `vigil server` runs without --config.
            # It scrapes Vigil's own /metrics at the address it listens on and, as job `node`, the
            # host's metrics from Vigil's built-in node collector; it grows as capabilities land.
            global:
              scrape_interval: 15s
              evaluation_interval: 15s

            """
        if let selfAddress {
            text += """
                scrape_configs:
                  - job_name: vigil
                    static_configs:
                      - targets: ['\(selfAddress)']

                """
            if let nodeMetricsPath {
                text += """
                      - job_name: node
                        metrics_path: \(nodeMetricsPath)
                        static_configs:
                          - targets: ['\(selfAddress)']

                    """
            }
        }
        return text
    }

    /// Parses YAML text; `fileName` only names the source in errors. Relative paths stay relative.
    ///
    /// An empty text is a valid configuration: all defaults, no scrape jobs.
    public static func parse(yaml: String, fileName: String = "prometheus.yml") throws(ConfigError) -> PrometheusConfig {
        var config = try ConfigDecoder.decode(PrometheusConfig.self, fromYAML: yaml, fileName: fileName)
        config.source = yaml
        config.fileName = fileName
        return config
    }

    /// Reads and parses the file at `path`, resolving relative paths in it (rule files, scrape
    /// config files, `*_file` credentials, file discovery, kubeconfig) against its directory.
    public static func load(path: String) throws(ConfigError) -> PrometheusConfig {
        let text = try readConfigFile(path)
        var config = try parse(yaml: text, fileName: path)
        config.resolvePaths(in: directoryName(of: path))
        return config
    }

    /// The rule files to load now: every ``ruleFiles`` pattern expanded against the file system,
    /// in order, each pattern's matches sorted. A pattern matching nothing contributes nothing.
    public func ruleFilePaths() throws(ConfigError) -> [String] {
        try expand(ruleFiles, field: "rule_files")
    }

    /// The LogQL rule files to load now: ``logRuleFiles`` expanded as ``ruleFilePaths()`` expands
    /// ``ruleFiles``.
    public func logRuleFilePaths() throws(ConfigError) -> [String] {
        try expand(logRuleFiles, field: "log_rule_files")
    }

    private func expand(_ patterns: [String], field: String) throws(ConfigError) -> [String] {
        var paths: [String] = []
        for (index, pattern) in patterns.enumerated() {
            do {
                paths += try Glob.expand(pattern)
            } catch {
                throw patternError(field, index, pattern)
            }
        }
        return paths
    }

    /// The scrape configs of this file followed by those of ``scrapeConfigFiles``, each file read
    /// now, checked strictly, given the global settings, and its paths resolved against its own
    /// directory. Job names must be unique across all of them.
    public func allScrapeConfigs() throws(ConfigError) -> [ScrapeConfig] {
        var all = scrapeConfigs
        var jobNames = Set(scrapeConfigs.map(\.jobName))
        for (index, pattern) in scrapeConfigFiles.enumerated() {
            let files: [String]
            do {
                files = try Glob.expand(pattern)
            } catch {
                throw patternError("scrape_config_files", index, pattern)
            }
            for file in files {
                let text = try readConfigFile(file)
                let global = self.global
                let loaded = try ConfigDecoder.decode(ScrapeConfigFile.self, fromYAML: text, fileName: file) {
                    (content: inout ScrapeConfigFile) throws(ConfigValidationError) in
                    for job in content.scrapeConfigs.indices {
                        do throws(ConfigValidationError) {
                            try content.scrapeConfigs[job].inherit(from: global)
                        } catch {
                            throw ConfigValidationError(
                                error.message, fieldPath: ["scrape_configs", .index(job)] + error.field)
                        }
                        let name = content.scrapeConfigs[job].jobName
                        if !jobNames.insert(name).inserted {
                            throw ConfigValidationError(
                                "found multiple scrape configs with job name \"\(name)\"",
                                field: "scrape_configs", .index(job), "job_name")
                        }
                    }
                }
                let directory = directoryName(of: file)
                for var config in loaded.scrapeConfigs {
                    config.resolvePaths(in: directory)
                    all.append(config)
                }
            }
        }
        return all
    }

    private func patternError(_ section: String, _ index: Int, _ pattern: String) -> ConfigError {
        ConfigError(
            kind: .invalidValue, file: fileName, line: 0, column: 0, fieldPath: "\(section)[\(index)]",
            message: "invalid file pattern \"\(pattern)\"")
    }
}

/// A file named by `scrape_config_files`: only `scrape_configs` is allowed in it.
private struct ScrapeConfigFile: Decodable {
    var scrapeConfigs: [ScrapeConfig]

    enum CodingKeys: String, CodingKey {
        case scrapeConfigs = "scrape_configs"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        scrapeConfigs = try container.list(.scrapeConfigs)
    }
}

/// Reads a UTF-8 text file, turning failures into a ``ConfigError`` of kind `unreadable`.
public func readConfigFile(_ path: String) throws(ConfigError) -> String {
    func failure(_ message: String) -> ConfigError {
        ConfigError(kind: .unreadable, file: path, line: 0, column: 0, fieldPath: "", message: message)
    }
    guard FileManager.default.fileExists(atPath: path) else {
        throw failure("no such file")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw failure("cannot read file (is it a directory, or unreadable?)")
    }
    guard let text = String(validating: data, as: UTF8.self) else {
        throw failure("file is not valid UTF-8")
    }
    return text
}

/// Go's `filepath.Dir`: everything before the last `/`, cleaned; `.` when there is none.
public func directoryName(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let directory = path[..<slash]
    return directory.isEmpty ? "/" : cleanPath(String(directory))
}
