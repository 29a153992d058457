import Foundation
import Testing
import VigilConfig

/// Loading that touches the file system: rule-file globs and `scrape_config_files`.
struct PrometheusConfigFilesTests {
    private func makeDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("vigil-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path + "/rules", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: path + "/jobs", withIntermediateDirectories: true)
        return path
    }

    private func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func ruleFileGlobsAreResolvedAgainstTheConfigDirectory() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in ["b.yml", "a.yml", "c.yaml", "notes.txt"] {
            try write("groups: []\n", to: directory + "/rules/" + name)
        }
        try write("groups: []\n", to: directory + "/single.rules")
        try write("""
            rule_files:
              - rules/*.yml
              - single.rules
              - missing/*.yml
              - rules/[ab].y?l
            """, to: directory + "/prometheus.yml")
        let config = try PrometheusConfig.load(path: directory + "/prometheus.yml")
        #expect(config.ruleFiles.first == directory + "/rules/*.yml")
        #expect(try config.ruleFilePaths() == [
            directory + "/rules/a.yml", directory + "/rules/b.yml", directory + "/single.rules",
            directory + "/rules/a.yml", directory + "/rules/b.yml",
        ])
    }

    @Test func invalidRuleFilePattern() throws {
        #expect(throws: ConfigError.self) { try PrometheusConfig.parse(yaml: "rule_files: ['rules/*/x.yml']\n") }
    }

    @Test func scrapeConfigFilesAreLoadedStrictlyAndInheritGlobals() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write("""
            scrape_configs:
              - job_name: from-file
                file_sd_configs:
                  - files: [targets/*.json]
            """, to: directory + "/jobs/extra.yml")
        try write("""
            global:
              scrape_interval: 20s
            scrape_config_files: [jobs/*.yml]
            scrape_configs:
              - job_name: main
            """, to: directory + "/prometheus.yml")
        let config = try PrometheusConfig.load(path: directory + "/prometheus.yml")
        let all = try config.allScrapeConfigs()
        #expect(all.map(\.jobName) == ["main", "from-file"])
        #expect(all[1].scrapeInterval == .seconds(20))
        #expect(all[1].serviceDiscovery.fileSDConfigs[0].files == [directory + "/jobs/targets/*.json"])

        try write("""
            scrape_configs:
              - job_name: other
              - job_name: main
            """, to: directory + "/jobs/clash.yml")
        do {
            _ = try config.allScrapeConfigs()
            Issue.record("expected a duplicate job name")
        } catch {
            #expect(error.file == directory + "/jobs/clash.yml")
            #expect((error.line, error.column) == (3, 15))
            #expect(error.fieldPath == "scrape_configs[1].job_name")
        }

        try write("global: {}\n", to: directory + "/jobs/clash.yml")
        #expect(throws: ConfigError.self) { try config.allScrapeConfigs() }
    }

    @Test func loadReportsThePathItWasGiven() throws {
        let directory = try makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write("global:\n  scrape_interval: soon\n", to: directory + "/prometheus.yml")
        do {
            _ = try PrometheusConfig.load(path: directory + "/prometheus.yml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "\(directory)/prometheus.yml:2:20: global.scrape_interval: not a valid duration string: \"soon\"")
        }
    }
}
