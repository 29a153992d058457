import Logging
import Testing
import VigilCollectors
import VigilModel

/// The node collector on this machine's real /proc and /sys.
@Suite struct LiveNodeTests {
    @Test func everyCollectorRunsOnThisMachine() throws {
        let exporter = try NodeExporter(options: NodeCollectorOptions(), logger: Logger(label: "test"))
        let families = exporter.collect()
        let names = Set(families.map(\.name))
        for required in [
            "node_cpu_seconds_total", "node_memory_MemTotal_bytes", "node_load1", "node_boot_time_seconds", "node_disk_info",
            "node_network_receive_bytes_total", "node_filefd_allocated", "node_uname_info", "node_time_seconds",
            "node_scrape_collector_success", "node_textfile_scrape_error",
        ] {
            #expect(names.contains(required), "missing \(required)")
        }
        let memory = try #require(families.value("node_memory_MemTotal_bytes"))
        let available = try #require(families.value("node_memory_MemAvailable_bytes"))
        #expect(memory > 64 * 1024 * 1024 && available <= memory)
        let cpus = families.family("node_cpu_seconds_total")?.samples ?? []
        #expect(cpus.count % 8 == 0 && !cpus.isEmpty)
        let nonNegative = cpus.allSatisfy { $0.value >= 0 }
        #expect(nonNegative)
        let now = try #require(families.value("node_time_seconds"))
        let boot = try #require(families.value("node_boot_time_seconds"))
        #expect(boot > 1_000_000_000 && boot < now)
        #expect(families.value("node_scrape_collector_success", ["collector": "cpu"]) == 1)
        #expect(families.value("node_scrape_collector_success", ["collector": "meminfo"]) == 1)
        #expect(families.value("node_scrape_collector_success", ["collector": "filesystem"]) == 1)
    }

    @Test func concurrentScrapesAgreeOnTheFamilies() async throws {
        let exporter = try NodeExporter(options: NodeCollectorOptions(), logger: Logger(label: "test"))
        let counts = await withTaskGroup(of: Int.self) { group in
            // Container families are left out: a cgroup that goes away between listing and
            // reading (other tests' child processes) takes its family with it, which is right.
            for _ in 0..<8 { group.addTask { exporter.collect().filter { !$0.name.hasPrefix("container_") }.count } }
            var counts: [Int] = []
            for await count in group { counts.append(count) }
            return counts
        }
        #expect(Set(counts).count == 1)
    }
}
