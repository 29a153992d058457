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
    }
}
