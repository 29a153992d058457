import VigilTestSupport
import Logging
import Testing
import VigilConfig
import VigilModel
import VigilServer

@Suite struct ConfigManagerTests {
    @Test func badReloadKeepsTheRunningConfig() async throws {
        let temp = try TemporaryDirectory()
        let path = try temp.write("p.yml", "scrape_configs:\n  - job_name: first\n")
        let manager = try ConfigManager(source: .file(path), registry: MetricsRegistry(), logger: Logger(label: "test"))
        #expect(await manager.current.scrapeConfigs.map(\.jobName) == ["first"])

        _ = try temp.write("p.yml", "scrape_configs:\n  - job_name: second\n")
        try await manager.reload()
        #expect(await manager.current.scrapeConfigs.map(\.jobName) == ["second"])

        _ = try temp.write("p.yml", "scrape_configs:\n  - job_name: third\n    scrape_timeout: banana\n")
        await #expect(throws: (any Error).self) { try await manager.reload() }
        #expect(await manager.current.scrapeConfigs.map(\.jobName) == ["second"])
    }

    @Test func applierRejectionKeepsTheRunningConfig() async throws {
        let temp = try TemporaryDirectory()
        let path = try temp.write("p.yml", "scrape_configs:\n  - job_name: first\n")
        let manager = try ConfigManager(source: .file(path), registry: MetricsRegistry(), logger: Logger(label: "test"))
        struct Refused: Error {}
        try await manager.subscribe { config in
            if config.scrapeConfigs.contains(where: { $0.jobName == "refused" }) { throw Refused() }
        }
        _ = try temp.write("p.yml", "scrape_configs:\n  - job_name: refused\n")
        await #expect(throws: Refused.self) { try await manager.reload() }
        #expect(await manager.current.scrapeConfigs.map(\.jobName) == ["first"])
    }

    @Test func agentModeAppliesPrometheusAgentRules() throws {
        let temp = try TemporaryDirectory()
        let cases: [(String, String)] = [
            ("scrape_configs: []\n", "at least one remote_write target must be specified in agent mode"),
            ("remote_write: [{url: 'http://x/api/v1/write'}]\nrule_files: [r.yml]\n", "field rule_files is not allowed in agent mode"),
            (
                "remote_write: [{url: 'http://x/api/v1/write'}]\nremote_read: [{url: 'http://x/api/v1/read'}]\n",
                "field remote_read is not allowed in agent mode"
            ),
            (
                "remote_write: [{url: 'http://x/api/v1/write'}]\nalerting: {alertmanagers: [{static_configs: [{targets: ['a:9093']}]}]}\n",
                "field alerting is not allowed in agent mode"
            ),
        ]
        for (yaml, message) in cases {
            let path = try temp.write("agent.yml", yaml)
            let error = #expect(throws: AgentConfigError.self) {
                try ConfigManager(source: .file(path), registry: MetricsRegistry(), logger: Logger(label: "test"), agentMode: true)
            }
            #expect(error?.message == message)
            // The same file is fine for the server.
            _ = try ConfigManager(source: .file(path), registry: MetricsRegistry(), logger: Logger(label: "test"))
        }
        let good = try temp.write("agent.yml", "remote_write: [{url: 'http://x/api/v1/write'}]\n")
        _ = try ConfigManager(source: .file(good), registry: MetricsRegistry(), logger: Logger(label: "test"), agentMode: true)
    }

    @Test func embeddedDefaultLoads() throws {
        _ = try ConfigManager(source: .embedded(selfAddress: "127.0.0.1:9470"), registry: MetricsRegistry(), logger: Logger(label: "test"))
    }

    @Test func startupFailureNamesThePlace() throws {
        let temp = try TemporaryDirectory()
        let path = try temp.write("p.yml", "global:\n  scrape_interval: 1x\n")
        let error = #expect(throws: (any Error).self) {
            try ConfigManager(source: .file(path), registry: MetricsRegistry(), logger: Logger(label: "test"))
        }
        #expect("\(error!)".contains("p.yml:2:"))
    }
}
