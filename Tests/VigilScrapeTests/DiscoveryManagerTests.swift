import VigilTestSupport
import Logging
import Testing
import VigilConfig
import VigilDiscovery
import VigilModel

/// The discovery manager: jobs' providers started, kept across an unchanged reload and stopped,
/// and the merged groups delivered to the consumer.
@Suite struct ManagingDiscovery {
    static func configs(_ yaml: String) throws -> ServiceDiscoveryConfigs {
        try ConfigDecoder.decode(ServiceDiscoveryConfigs.self, fromYAML: yaml, fileName: "sd.yml")
    }

    /// A manager (10 ms coalescing) running its consumer while `body` runs.
    func withManager(_ body: (DiscoveryManager, Recorder<[String: [TargetGroup]]>) async throws -> Void) async throws {
        let manager = DiscoveryManager(logger: quietLogger, updateInterval: .milliseconds(10))
        let updates = Recorder<[String: [TargetGroup]]>()
        let task = Task { await manager.run { updates.record($0) } }
        do {
            try await body(manager, updates)
        } catch {
            await manager.shutdown()
            task.cancel()
            await task.value
            throw error
        }
        await manager.shutdown()
        task.cancel()
        await task.value
    }

    static func addresses(_ groups: [TargetGroup]?) -> [String] {
        (groups ?? []).flatMap { $0.targets.compactMap { $0["__address__"] } }
    }

    @Test func twoJobsBothReachTheConsumer() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("t.json", #"[{"targets": ["file:1"]}]"#)
        let jobs = [
            "static": try Self.configs("static_configs: [{targets: ['s:1', 's:2'], labels: {env: a}}, {targets: ['s:3']}]"),
            "file": try Self.configs("file_sd_configs: [{files: ['\(file)']}]"),
        ]
        try await withManager { (manager, updates) async throws in
            await manager.apply(jobs)
            let update = await updates.waitForLast { $0["file"]?.isEmpty == false && $0["static"]?.isEmpty == false }
            #expect(Self.addresses(update?["static"]) == ["s:1", "s:2", "s:3"])
            #expect(update?["static"]?.map(\.source) == ["0", "1"])
            #expect(update?["static"]?.first?.labels == ["env": "a"])
            #expect(Self.addresses(update?["file"]) == ["file:1"])
            #expect(update?["file"]?.first?.source == file + ":0")
            #expect(await manager.snapshot() == update)
        }
    }

    @Test func reapplyingTheSameConfigKeepsTheRunningProviders() async throws {
        try await TestExporter.with { exporter in
            var reply = TestExporter.Reply.text(#"[{"targets": ["first:1"]}]"#)
            reply.contentType = "application/json"
            exporter.set("/sd", reply)
            let http = try Self.configs("http_sd_configs: [{url: 'http://\(exporter.address)/sd', refresh_interval: 1h}]")
            let statics = try Self.configs("static_configs: [{targets: ['s:1']}]")
            let late = try Self.configs("static_configs: [{targets: ['l:1']}]")
            try await withManager { (manager, updates) async throws in
                await manager.apply(["http": http, "static": statics])
                let first = await updates.waitForLast { $0["http"]?.isEmpty == false }
                #expect(Self.addresses(first?["http"]) == ["first:1"])

                // A restarted provider would fetch again at once and find the new answer.
                reply.body = Array(#"[{"targets": ["second:1"]}]"#.utf8)
                exporter.set("/sd", reply)
                await manager.apply(["http": http, "static": statics])
                await manager.apply(["http": http, "static": statics, "late": late])
                let withLate = await updates.waitForLast { $0["late"]?.isEmpty == false }
                #expect(withLate != nil)
                try await Task.sleep(for: .milliseconds(300))
                let fetches = exporter.requests.filter { $0.path == "/sd" }.count
                #expect(fetches == 1)
                let httpGroups = Set(updates.all.compactMap { $0["http"] })
                #expect(httpGroups.subtracting([[]]) == [first?["http"] ?? []])
                let snapshot = await manager.snapshot()
                #expect(snapshot["http"] == first?["http"])
                #expect(snapshot["static"] == first?["static"])
            }
        }
    }

    @Test func aChangedProviderConfigReplacesThatProvidersGroups() async throws {
        let directory = try TemporaryDirectory()
        let one = try directory.write("1.json", #"[{"targets": ["one:1"]}]"#)
        let two = try directory.write("2.json", #"[{"targets": ["two:1"]}]"#)
        let first = try Self.configs("file_sd_configs: [{files: ['\(one)']}]")
        let second = try Self.configs("file_sd_configs: [{files: ['\(two)']}]")
        try await withManager { (manager, updates) async throws in
            await manager.apply(["file": first])
            let before = await updates.waitForLast { Self.addresses($0["file"]) == ["one:1"] }
            #expect(before != nil)
            await manager.apply(["file": second])
            let after = await updates.waitForLast { Self.addresses($0["file"]) == ["two:1"] }
            #expect(after != nil)
        }
    }

    @Test func removingAJobRemovesItFromTheSnapshot() async throws {
        let a = try Self.configs("static_configs: [{targets: ['a:1']}]")
        let b = try Self.configs("static_configs: [{targets: ['b:1']}]")
        try await withManager { (manager, updates) async throws in
            await manager.apply(["a": a, "b": b])
            let both = await updates.waitForLast { $0["a"]?.isEmpty == false && $0["b"]?.isEmpty == false }
            #expect(both != nil)
            await manager.apply(["a": a])
            let update = await updates.waitForLast { $0["b"] == nil }
            #expect(update?.keys.sorted() == ["a"])
            #expect(Self.addresses(update?["a"]) == ["a:1"])
            #expect(await manager.snapshot().keys.sorted() == ["a"])
            // A job without any discovery still shows, with no groups.
            await manager.apply(["a": a, "empty": ServiceDiscoveryConfigs()])
            let empty = await updates.waitForLast { $0["empty"] == [] }
            #expect(empty?.keys.sorted() == ["a", "empty"])
        }
    }
}
