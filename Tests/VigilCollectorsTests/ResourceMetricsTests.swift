import Logging
import Testing
@testable import VigilCollectors
import VigilExposition
import VigilModel

/// `/metrics/resource` as metrics-server reads it: the kubelet's names, HELP, types, labels and
/// timestamps, through the exposition parser.
@Suite struct ResourceMetricsTests {
    @Test func theKubeletsSeriesParseBack() throws {
        let tree = try FixtureTree()
        let uid = ContainerCollectorTests.podUID
        let pod = "/kubepods/burstable/pod\(uid)"
        try tree.cgroupV1("/", usage: 900_000_000_000, memory: 1 << 30, inactiveFile: 1 << 28)
        try tree.cgroupV1(pod, usage: 20_000_000_000)
        try tree.cgroupV1(pod + "/" + containerID("a"), usage: 12_500_000_000)
        try tree.cgroupV1(pod + "/" + containerID("b"), usage: 1_000_000)
        try tree.podLogs(namespace: "shop", pod: "cart", uid: uid, containers: ["app": containerID("a")])

        let resource = ResourceMetrics(
            paths: tree.paths, metadata: PodLogDirectory(root: tree.paths.root("/var/log")), logger: Logger(label: "test"))
        let text = ExpositionWriter.write(resource.collect(), format: .text)
        let families = try ExpositionFormat.text.decodeFamilies(text)
        #expect(
            families.map(\.name) == [
                "container_cpu_usage_seconds_total", "container_memory_working_set_bytes", "container_start_time_seconds",
                "node_cpu_usage_seconds_total", "node_memory_working_set_bytes", "pod_cpu_usage_seconds_total",
                "pod_memory_working_set_bytes", "resource_scrape_error", "scrape_error",
            ])
        let container: Labels = ["container": "app", "namespace": "shop", "pod": "cart"]
        let cpu = try #require(families.family("container_cpu_usage_seconds_total"))
        #expect(cpu.type == .counter)
        #expect(cpu.help == "[STABLE] Cumulative cpu time consumed by the container in core-seconds")
        #expect(cpu.samples.count == 1, "the sandbox has no container name: metrics-server would drop the pod")
        #expect(cpu.samples.first?.labels == container)
        #expect(cpu.samples.first?.value == 12.5)
        let stamp = try #require(cpu.samples.first?.timestamp)
        #expect(stamp > 1_600_000_000_000, "milliseconds since the epoch")
        #expect(families.value("container_memory_working_set_bytes", container) == Double(8_388_608 - 1_048_576))
        #expect(families.family("container_start_time_seconds")?.samples.first?.timestamp == nil)
        #expect(families.value("node_cpu_usage_seconds_total") == 900)
        #expect(families.value("node_memory_working_set_bytes") == Double((1 << 30) - (1 << 28)))
        #expect(families.family("node_memory_working_set_bytes")?.samples.first?.timestamp == stamp)
        #expect(families.value("pod_cpu_usage_seconds_total", ["namespace": "shop", "pod": "cart"]) == 20)
        #expect(families.value("resource_scrape_error") == 0)
        #expect(families.value("scrape_error") == 0)
        #expect(families.family("scrape_error")?.type == .gauge)
        // metrics-server finds labels by searching `container="`, `pod="`, `namespace="` in the line.
        let line = String(decoding: text, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("container_cpu_usage_seconds_total{") }
        #expect(line?.hasPrefix(#"container_cpu_usage_seconds_total{container="app",namespace="shop",pod="cart"} 12.5 "#) == true)
    }

    @Test func cgroupV2TakesTheNodesMemoryFromMeminfo() throws {
        let tree = try FixtureTree()
        try tree.cgroupV2("/", usageMicroseconds: 3_000_000, inactiveFile: 1_048_576)
        try tree.write("proc/meminfo", "MemTotal:       16384 kB\nMemFree:         4096 kB\nInactive(file):  2048 kB\n")
        let families = ResourceMetrics(paths: tree.paths, metadata: NoPodMetadata(), logger: Logger(label: "test")).collect()
        #expect(families.value("node_cpu_usage_seconds_total") == 3)
        #expect(families.value("node_memory_working_set_bytes") == Double(12288 * 1024 - 1_048_576))
    }

    @Test func noCgroupsIsAScrapeError() throws {
        let tree = try FixtureTree()
        let families = ResourceMetrics(paths: tree.paths, metadata: NoPodMetadata(), logger: Logger(label: "test")).collect()
        #expect(families.map(\.name) == ["resource_scrape_error", "scrape_error"])
        #expect(families.value("resource_scrape_error") == 1)
    }
}
