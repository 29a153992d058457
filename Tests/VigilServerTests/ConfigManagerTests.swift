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
