import Foundation
import Logging
import Testing
import VigilCollectors
import VigilModel

/// The container collector and resource metrics on this machine's real cgroups (v1/hybrid here,
/// v2 elsewhere).
@Suite struct LiveContainerTests {
    /// This process's cgroup in the hierarchy memory is accounted in: the `memory` controller's
    /// line on v1, the `0::` line on v2.
    static func ownCgroup() throws -> String {
        let lines = try String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8).split(separator: "\n")
        let fields = lines.map { $0.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false) }
        let v2 = CgroupHierarchy.detect(sysfs: "/sys").map { if case .v2 = $0 { true } else { false } } ?? false
        let line = v2 ? fields.first { $0[0] == "0" } : fields.first { $0.count == 3 && $0[1].split(separator: ",").contains("memory") }
        return String(try #require(line)[2])
    }

    @Test func everyCgroupOfThisHostIsReported() throws {
        let hierarchy = try #require(CgroupHierarchy.detect(sysfs: "/sys"), "this machine has a cgroup file system")
        let own = try Self.ownCgroup()
        let exporter = NodeExporter(collectors: [ContainerCollector(logger: Logger(label: "test"))], paths: NodePaths(), logger: Logger(label: "test"))
        let families = exporter.collect()
        #expect(families.value("node_scrape_collector_success", ["collector": "container"]) == 1)
        let ids = Set(families.family("container_cpu_usage_seconds_total")?.samples.compactMap { $0.labels["id"] } ?? [])
        let memoryIDs = Set(families.family("container_memory_usage_bytes")?.samples.compactMap { $0.labels["id"] } ?? [])
        #expect(ids.contains("/"))
        #expect(memoryIDs.contains(own), "this test's own cgroup \(own) in \(hierarchy)")
        let rootCPU = families.family("container_cpu_usage_seconds_total")?.samples.first { $0.labels["id"] == "/" }?.value ?? 0
        #expect(rootCPU > 0)
        let ownLabels: Labels = ["id": own]
        #expect((families.value("container_memory_usage_bytes", ownLabels) ?? 0) > 0)
        #expect((families.value("container_processes", ownLabels) ?? 0) >= 1, "this test process is in it")
        let workingSet = families.value("container_memory_working_set_bytes", ownLabels) ?? -1
        let usage = families.value("container_memory_usage_bytes", ownLabels) ?? 0
        #expect(workingSet >= 0 && workingSet <= usage)
    }

    @Test func resourceMetricsOfThisHost() throws {
        let resource = ResourceMetrics(paths: NodePaths(), metadata: PodLogDirectory(root: "/var/log"), logger: Logger(label: "test"))
        let families = resource.collect()
        #expect(families.value("resource_scrape_error") == 0)
        let cpu = families.value("node_cpu_usage_seconds_total") ?? 0
        let memory = families.value("node_memory_working_set_bytes") ?? 0
        #expect(cpu > 0)
        #expect(memory > Double(1 << 20))
        let total = Double(ProcessInfo.processInfo.physicalMemory)
        #expect(memory < total * 1.01)
    }
}
