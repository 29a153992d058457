import VigilTestSupport
import Testing
import VigilConfig
import VigilDiscovery
import VigilModel
@testable import VigilScrape
import VigilTSDB

/// The scrape manager and its pools against a real TSDB and the loopback exporter, scraping
/// every second: loops started, kept across unchanged reloads, stopped with stale markers,
/// and the target limits.
@Suite struct ManagingScrapes {
    /// A manager over a fresh TSDB and an exporter serving the node payload, for `body`.
    func withManager(_ body: (TestExporter, ScrapeManager, TSDB) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        let tsdb = try TSDB.open(directory: directory.path)
        let manager = ScrapeManager(tsdb: tsdb, logger: quietLogger)
        do {
            try await TestExporter.with { exporter in
                exporter.set("/metrics", .text(Scraping.nodePayload))
                do {
                    try await body(exporter, manager, tsdb)
                } catch {
                    await manager.stop()
                    throw error
                }
                await manager.stop()
            }
        } catch {
            try? tsdb.close()
            throw error
        }
        try tsdb.close()
    }

    /// A config of one-second jobs; `jobs` are scrape_config entries without the leading `- `.
    static func config(_ jobs: String...) throws -> PrometheusConfig {
        let entries = jobs.map { ScrapeHarness.indent($0) }.joined(separator: "\n")
        return try PrometheusConfig.parse(
            yaml: "global:\n  scrape_interval: 1s\n  scrape_timeout: 500ms\nscrape_configs:\n" + entries)
    }

    /// One group per label set, each target at `address`.
    static func groups(_ address: String, _ labelSets: [Labels]) -> [TargetGroup] {
        labelSets.enumerated().map { index, labels in
            TargetGroup(targets: [["__address__": address]], labels: labels, source: String(index))
        }
    }

    static func loops(_ manager: ScrapeManager) async -> [ScrapeLoop] {
        await manager.activeTargets().map(\.loop)
    }

    /// The last value of each series matching `labels` (none when there is no series).
    static func lastValues(_ tsdb: TSDB, _ labels: Labels) throws -> [Double] {
        try tsdb.series(labels).values.compactMap(\.last?.value)
    }

    /// How many samples the one series matching `labels` holds.
    static func sampleCount(_ tsdb: TSDB, _ labels: Labels) throws -> Int {
        try tsdb.series(labels).values.first?.count ?? 0
    }

    /// Whether at least one series matches `labels` and each one ends in a stale marker.
    static func endsStale(_ tsdb: TSDB, _ labels: Labels) throws -> Bool {
        let values = try lastValues(tsdb, labels)
        return !values.isEmpty && values.allSatisfy(isStaleNaN)
    }

    @Test func appliedConfigAndGroupsStartScrapingAndUnchangedReloadsKeepTheLoop() async throws {
        try await withManager { (exporter, manager, tsdb) async throws in
            let groups = Self.groups(exporter.address, [.empty])
            await manager.apply(try Self.config("job_name: node"))
            await manager.sync(["node": groups])
            let up = try await eventually { try Self.lastValues(tsdb, ["__name__": "up", "job": "node"]) == [1] }
            #expect(up)
            #expect(try tsdb.series(["__name__": "node_load1", "instance": exporter.address]).count == 1)
            #expect(await manager.scrapePools == ["node"])
            let original = try #require(await Self.loops(manager).first)
            #expect(original.status.health == .up)

            // The same config and groups again, the groups under another source, and a setting
            // that does not touch the target's labels: the same loop runs on.
            await manager.apply(try Self.config("job_name: node"))
            await manager.sync(["node": groups])
            await manager.sync(["node": [TargetGroup(targets: groups[0].targets, source: "renamed")]])
            await manager.apply(try Self.config("job_name: node\nsample_limit: 1000"))
            let loops = await Self.loops(manager)
            #expect(loops.count == 1)
            #expect(loops.first === original)
            let scrapes = try Self.sampleCount(tsdb, ["__name__": "up", "job": "node"])
            let more = try await eventually { try Self.sampleCount(tsdb, ["__name__": "up", "job": "node"]) > scrapes }
            #expect(more)

            // A setting that is part of the target's labels makes it another target.
            await manager.apply(try Self.config("job_name: node\nscrape_timeout: 400ms"))
            let replaced = await Self.loops(manager)
            #expect(replaced.count == 1)
            #expect(replaced.first !== original)
            #expect(replaced.first?.target.labels["__scrape_timeout__"] == "400ms")
        }
    }

    @Test func groupsSyncedBeforeTheConfigAreScrapedOnceItArrives() async throws {
        try await withManager { (exporter, manager, tsdb) async throws in
            await manager.sync(["early": Self.groups(exporter.address, [.empty])])
            #expect(await Self.loops(manager).isEmpty)
            await manager.apply(try Self.config("job_name: early"))
            #expect(await Self.loops(manager).count == 1)
            let scraped = try await eventually { try !Self.lastValues(tsdb, ["__name__": "up", "job": "early"]).isEmpty }
            #expect(scraped)
        }
    }

    @Test func aRemovedTargetsSeriesGetStaleMarkers() async throws {
        try await withManager { (exporter, manager, tsdb) async throws in
            await manager.apply(try Self.config("job_name: node"))
            await manager.sync(["node": Self.groups(exporter.address, [["variant": "a"], ["variant": "b"]])])
            let both = try await eventually { try Self.lastValues(tsdb, ["__name__": "up"]) == [1, 1] }
            #expect(both)

            await manager.sync(["node": Self.groups(exporter.address, [["variant": "a"]])])
            let remaining = await Self.loops(manager).map(\.target.publicLabels)
            #expect(remaining == [["instance": exporter.address, "job": "node", "variant": "a"]])
            // Stopping a loop writes its markers before sync returns.
            for name in ["up", "node_load1", "node_cpu_seconds_total", "scrape_samples_scraped"] {
                #expect(try Self.endsStale(tsdb, ["__name__": name, "variant": "b"]), "\(name)")
            }
            let a = try Self.sampleCount(tsdb, ["__name__": "up", "variant": "a"])
            let aScrapedOn = try await eventually {
                try Self.sampleCount(tsdb, ["__name__": "up", "variant": "a"]) > a
                    && Self.lastValues(tsdb, ["__name__": "up", "variant": "a"]) == [1]
            }
            #expect(aScrapedOn)

            // A job that leaves the config takes all its series with it.
            await manager.apply(try Self.config("job_name: other"))
            #expect(await manager.scrapePools == ["other"])
            #expect(try Self.endsStale(tsdb, ["__name__": "up", "variant": "a"]))
            #expect(try Self.endsStale(tsdb, ["__name__": "node_load1", "variant": "a"]))
        }
    }

    @Test func exceedingTheTargetLimitFailsEveryTarget() async throws {
        try await withManager { (exporter, manager, tsdb) async throws in
            let groups = Self.groups(exporter.address, [["variant": "a"], ["variant": "b"], ["variant": "c"]])
            await manager.apply(try Self.config("job_name: node\ntarget_limit: 2"))
            await manager.sync(["node": groups])
            let scraped = await eventually { await Self.loops(manager).allSatisfy { $0.status.lastScrape != 0 } }
            #expect(scraped)
            let loops = await Self.loops(manager)
            #expect(loops.count == 3)
            for loop in loops {
                #expect(loop.status.lastError == "target_limit exceeded (number of targets: 3, limit: 2)")
                #expect(loop.status.health == .down)
            }
            #expect(try Self.lastValues(tsdb, ["__name__": "up"]) == [0, 0, 0])
            #expect(try tsdb.series(["__name__": "node_load1"]).isEmpty)

            // Raising the limit clears the failure on the loops already running.
            await manager.apply(try Self.config("job_name: node\ntarget_limit: 3"))
            let kept = await Self.loops(manager).map(ObjectIdentifier.init)
            #expect(kept == loops.map(ObjectIdentifier.init))
            let healthy = await eventually { await Self.loops(manager).allSatisfy { $0.status.health == .up } }
            #expect(healthy)
            #expect(try tsdb.series(["__name__": "node_load1"]).count == 3)
        }
    }

    @Test func keepDroppedTargetsLimitsTheDroppedList() async throws {
        try await withManager { (exporter, manager, _) async throws in
            let relabel = "\nrelabel_configs:\n  - {source_labels: [__meta_drop], regex: 'yes', action: drop}"
            let config = try Self.config(
                "job_name: limited\nkeep_dropped_targets: 2" + relabel, "job_name: unlimited" + relabel)
            let labelSets: [Labels] = [
                ["__meta_drop": "yes", "n": "1"], ["__meta_drop": "yes", "n": "2"], ["__meta_drop": "yes", "n": "3"], ["n": "4"],
            ]
            await manager.apply(config)
            await manager.sync([
                "limited": Self.groups(exporter.address, labelSets), "unlimited": Self.groups(exporter.address, labelSets),
            ])
            let dropped = await manager.droppedTargets()
            let limited = dropped.filter { $0.pool == "limited" }.map { $0.labels["n"] }
            let unlimited = dropped.filter { $0.pool == "unlimited" }.map { $0.labels["n"] }
            let discovered = dropped.allSatisfy { $0.labels["__meta_drop"] == "yes" && $0.labels["__address__"] == exporter.address }
            let active = await manager.activeTargets().map { "\($0.pool) \($0.loop.target.publicLabels["n"] ?? "")" }
            #expect(limited == ["1", "2"])
            #expect(unlimited == ["1", "2", "3"])
            #expect(discovered)
            #expect(active == ["limited 4", "unlimited 4"])
        }
    }
}
