import Foundation
import Logging
import Testing
@testable import VigilCollectors
import VigilModel

/// The container collector on fixture cgroup trees: v1 and v2, systemd and cgroupfs drivers,
/// containerd, CRI-O and Docker naming, and the odd cases.
@Suite struct ContainerCollectorTests {
    static let podUID = "0b7d0c5e-1d2f-4a3b-9c8d-7e6f5a4b3c2d"
    static let systemdUID = podUID.replacingOccurrences(of: "-", with: "_")

    func labels(
        id: String, name: String = "", container: String = "", pod: String = "", namespace: String = "", image: String = ""
    ) -> Labels {
        ["id": id, "name": name, "container": container, "pod": pod, "namespace": namespace, "image": image]
    }

    @Test func cgroupV1WithTheCgroupfsDriverAndPodLogs() throws {
        let tree = try FixtureTree()
        let pod = "/kubepods/burstable/pod\(Self.podUID)"
        let app = pod + "/" + containerID("a")
        let pause = pod + "/" + containerID("b")
        try tree.cgroupV1("/", usage: 900_000_000_000, memory: 1 << 30, procs: [1])
        try tree.cgroupV1("/kubepods", usage: 40_000_000_000)
        try tree.cgroupV1("/kubepods/burstable", usage: 30_000_000_000)
        try tree.cgroupV1(pod, usage: 20_000_000_000, quota: 50_000)
        try tree.cgroupV1(app, usage: 12_500_000_000, quota: 50_000, procs: [4242, 4243], pidsMax: "100")
        try tree.cgroupV1(pause, usage: 1_000_000, procs: [4200])
        try tree.podLogs(namespace: "shop", pod: "cart-7d9f", uid: Self.podUID, containers: ["app": containerID("a")])
        try tree.process(1, namespace: "net:[4026531992]", netdev: podNetdev)
        try tree.process(4200, namespace: "net:[4026532500]", netdev: podNetdev)
        try tree.process(4242, namespace: "net:[4026532500]", netdev: podNetdev)
        try tree.write("sys/dev/block/8:0/uevent", "MAJOR=8\nMINOR=0\nDEVNAME=sda\nDEVTYPE=disk\n")

        let collector = ContainerCollector(metadata: PodLogDirectory(root: tree.paths.root("/var/log")), logger: Logger(label: "test"))
        let (families, success) = tree.run(collector)
        #expect(success)

        let appLabels = labels(id: app, name: containerID("a"), container: "app", pod: "cart-7d9f", namespace: "shop")
        #expect(families.value("container_cpu_usage_seconds_total", appLabels.setting("cpu", to: "total")) == 12.5)
        #expect(families.value("container_cpu_user_seconds_total", appLabels) == 0.1)
        #expect(families.value("container_cpu_system_seconds_total", appLabels) == 0.05)
        #expect(families.value("container_cpu_cfs_periods_total", appLabels) == 40)
        #expect(families.value("container_cpu_cfs_throttled_periods_total", appLabels) == 3)
        #expect(families.value("container_cpu_cfs_throttled_seconds_total", appLabels) == 0.25)
        #expect(families.value("container_memory_usage_bytes", appLabels) == 8_388_608)
        #expect(families.value("container_memory_working_set_bytes", appLabels) == Double(8_388_608 - 1_048_576))
        #expect(families.value("container_memory_cache", appLabels) == 4_194_304)
        #expect(families.value("container_memory_rss", appLabels) == 2_097_152)
        #expect(families.value("container_memory_mapped_file", appLabels) == 65536)
        #expect(families.value("container_memory_swap", appLabels) == 0)
        #expect(families.value("container_memory_failcnt", appLabels) == 7)
        #expect(families.value("container_oom_events_total", appLabels) == 2)
        #expect(
            families.value(
                "container_memory_failures_total", appLabels.setting("failure_type", to: "pgmajfault").setting("scope", to: "hierarchy"))
                == 2)
        let disk = appLabels.setting("device", to: "/dev/sda")
        #expect(families.value("container_fs_reads_bytes_total", disk) == 4096)
        #expect(families.value("container_fs_writes_bytes_total", disk) == 8192)
        #expect(families.value("container_fs_reads_total", disk) == 1)
        #expect(families.value("container_fs_writes_total", disk) == 2)
        #expect(families.value("container_processes", appLabels) == 2)
        #expect(families.value("container_threads", appLabels) == 6)
        #expect(families.value("container_threads_max", appLabels) == 100)
        #expect(families.value("container_spec_cpu_quota", appLabels) == 50_000)
        #expect(families.value("container_spec_cpu_period", appLabels) == 100_000)
        #expect(families.value("container_spec_cpu_shares", appLabels) == 1024)
        #expect(families.value("container_spec_memory_limit_bytes", appLabels) == 9_223_372_036_854_771_712)
        #expect(families.value("container_spec_memory_reservation_limit_bytes", appLabels) == 67_108_864)
        #expect((families.value("container_start_time_seconds", appLabels) ?? 0) > 1_000_000_000)

        // The pod's cgroup: pod and namespace, no container; it carries the pod's network.
        let podLabels = labels(id: pod, pod: "cart-7d9f", namespace: "shop")
        #expect(families.value("container_cpu_usage_seconds_total", podLabels.setting("cpu", to: "total")) == 20)
        let eth0 = podLabels.setting("interface", to: "eth0")
        #expect(families.value("container_network_receive_bytes_total", eth0) == 5000)
        #expect(families.value("container_network_receive_packets_total", eth0) == 50)
        #expect(families.value("container_network_receive_errors_total", eth0) == 1)
        #expect(families.value("container_network_receive_packets_dropped_total", eth0) == 2)
        #expect(families.value("container_network_transmit_bytes_total", eth0) == 7000)
        #expect(families.value("container_network_transmit_packets_dropped_total", eth0) == 4)
        let networkIDs = Set(families.family("container_network_receive_bytes_total")?.samples.map { $0.labels["id"] ?? "" } ?? [])
        #expect(networkIDs == [pod], "only the pod's namespace, once; not the host's, not loopback")

        // The sandbox is not in the log layout: its ID only, as cAdvisor names an unknown container.
        let pauseLabels = labels(id: pause, name: containerID("b"), pod: "cart-7d9f", namespace: "shop")
        #expect(families.value("container_memory_usage_bytes", pauseLabels) == 8_388_608)
        // Cgroups outside Kubernetes: the path only.
        #expect(families.value("container_cpu_usage_seconds_total", labels(id: "/kubepods").setting("cpu", to: "total")) == 40)
        #expect(families.value("container_cpu_usage_seconds_total", labels(id: "/").setting("cpu", to: "total")) == 900)
        // No quota: no CFS series, no quota spec.
        #expect(families.value("container_cpu_cfs_periods_total", labels(id: "/kubepods")) == nil)
        #expect(families.value("container_spec_cpu_quota", labels(id: "/kubepods")) == nil)

        for family in families {
            let expected: MetricType =
                family.name.hasSuffix("_total") || family.name == "container_memory_failcnt" ? .counter : .gauge
            #expect(family.type == expected, "\(family.name)")
            #expect(!family.help.isEmpty)
        }
    }

    @Test func cgroupV2WithTheSystemdDriverAndEveryRuntime() throws {
        let tree = try FixtureTree()
        let pod = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod\(Self.systemdUID).slice"
        let containerd = pod + "/cri-containerd-\(containerID("c")).scope"
        let crio = pod + "/crio-\(containerID("d")).scope"
        let docker = pod + "/docker-\(containerID("e")).scope"
        let conmon = pod + "/crio-conmon-\(containerID("d")).scope"
        try tree.cgroupV2("/", usageMicroseconds: 5_000_000)
        try tree.cgroupV2("/kubepods.slice", usageMicroseconds: 4_000_000)
        try tree.cgroupV2("/kubepods.slice/kubepods-burstable.slice", usageMicroseconds: 3_000_000)
        try tree.cgroupV2(pod, usageMicroseconds: 2_000_000)
        try tree.cgroupV2(containerd, usageMicroseconds: 1_500_000, memory: 4_194_304, cpuMax: "25000 100000")
        try tree.cgroupV2(crio, usageMicroseconds: 250_000)
        try tree.cgroupV2(docker, usageMicroseconds: 125_000)
        try tree.cgroupV2(conmon, usageMicroseconds: 1000)
        try tree.podLogs(
            namespace: "kube-system", pod: "dns-1", uid: Self.podUID,
            containers: ["coredns": containerID("c"), "sidecar": containerID("d"), "legacy": containerID("e")])

        let collector = ContainerCollector(metadata: PodLogDirectory(root: tree.paths.root("/var/log")), logger: Logger(label: "test"))
        let (families, success) = tree.run(collector)
        #expect(success)
        let coredns = labels(id: containerd, name: containerID("c"), container: "coredns", pod: "dns-1", namespace: "kube-system")
        #expect(families.value("container_cpu_usage_seconds_total", coredns.setting("cpu", to: "total")) == 1.5)
        #expect(families.value("container_cpu_user_seconds_total", coredns) == 0.75)
        #expect(families.value("container_cpu_cfs_throttled_seconds_total", coredns) == 1.5)
        #expect(families.value("container_memory_working_set_bytes", coredns) == Double(4_194_304 - 1_048_576))
        #expect(families.value("container_memory_failcnt", coredns) == 5)
        #expect(families.value("container_oom_events_total", coredns) == 1)
        #expect(families.value("container_memory_max_usage_bytes", coredns) == 8_388_608)
        #expect(families.value("container_spec_cpu_quota", coredns) == 25_000)
        #expect(families.value("container_spec_cpu_shares", coredns) == 2597, "cpu.weight 100 → 2 + 99 × 262142 / 9999, cAdvisor's mapping")
        #expect(families.value("container_spec_memory_limit_bytes", coredns) == 0, "memory.max max is unlimited: 0")
        #expect(families.value("container_threads_max", coredns) == 4096)
        #expect(families.value("container_fs_reads_bytes_total", coredns.setting("device", to: "259:0")) == 1024)
        #expect(families.value("container_fs_writes_total", coredns.setting("device", to: "259:0")) == 4)

        let sidecar = labels(id: crio, name: containerID("d"), container: "sidecar", pod: "dns-1", namespace: "kube-system")
        #expect(families.value("container_cpu_usage_seconds_total", sidecar.setting("cpu", to: "total")) == 0.25)
        let legacy = labels(id: docker, name: containerID("e"), container: "legacy", pod: "dns-1", namespace: "kube-system")
        #expect(families.value("container_cpu_usage_seconds_total", legacy.setting("cpu", to: "total")) == 0.125)
        // CRI-O's monitor is not a container: the path only.
        #expect(families.value("container_cpu_usage_seconds_total", labels(id: conmon).setting("cpu", to: "total")) == 0.001)
        // The root has no limits.
        #expect(families.value("container_spec_cpu_shares", labels(id: "/")) == nil)
        #expect(families.value("container_cpu_usage_seconds_total", labels(id: "/").setting("cpu", to: "total")) == 5)
    }

    @Test func withoutPodMetadataTheLabelsAreWhatThePathGives() throws {
        let tree = try FixtureTree()
        let pod = "/kubepods/pod\(Self.podUID)"
        try tree.cgroupV2("/", usageMicroseconds: 1000)
        try tree.cgroupV2(pod, usageMicroseconds: 500)
        try tree.cgroupV2(pod + "/" + containerID("f"), usageMicroseconds: 250)
        let (families, _) = tree.run(ContainerCollector(logger: Logger(label: "test")))
        let container = labels(id: pod + "/" + containerID("f"), name: containerID("f"))
        #expect(families.value("container_cpu_usage_seconds_total", container.setting("cpu", to: "total")) == 0.00025)
        #expect(families.value("container_cpu_usage_seconds_total", labels(id: pod).setting("cpu", to: "total")) == 0.0005)
    }

    /// A source that knows images (the API server's pod list) fills cAdvisor's `image` label.
    @Test func anImageFromThePodListIsTheImageLabel() throws {
        struct Listed: PodMetadataSource {
            func podDirectory() -> PodDirectory {
                PodDirectory(
                    pods: [ContainerCollectorTests.podUID: .init(namespace: "shop", name: "cart-7d9f")],
                    containers: [containerID("a"): .init(name: "app", image: "registry.example/cart:3.1")])
            }
        }
        let tree = try FixtureTree()
        let pod = "/kubepods/pod\(Self.podUID)"
        try tree.cgroupV2("/", usageMicroseconds: 1000)
        try tree.cgroupV2(pod, usageMicroseconds: 500)
        try tree.cgroupV2(pod + "/" + containerID("a"), usageMicroseconds: 250)
        let (families, _) = tree.run(ContainerCollector(metadata: Listed(), logger: Logger(label: "test")))
        let app = labels(
            id: pod + "/" + containerID("a"), name: containerID("a"), container: "app", pod: "cart-7d9f", namespace: "shop",
            image: "registry.example/cart:3.1")
        #expect(families.value("container_cpu_usage_seconds_total", app.setting("cpu", to: "total")) == 0.00025)
    }

    @Test func missingAndUnreadableFilesDropOnlyTheirSeries() throws {
        let tree = try FixtureTree()
        try tree.cgroupV1("/", usage: 1_000_000_000)
        try tree.cgroupV1("/system.slice", usage: 2_000_000_000)
        // A controller missing the cgroup (it vanished mid-scrape) and files the kernel lacks.
        try FileManager.default.removeItem(atPath: tree.root + "/sys/fs/cgroup/blkio/system.slice")
        try FileManager.default.removeItem(atPath: tree.root + "/sys/fs/cgroup/memory/system.slice/memory.oom_control")
        // An unreadable file: permission denied for an unprivileged run; as root (who may read
        // anything) a directory where the file should be fails the read the same way.
        let stat = tree.root + "/sys/fs/cgroup/memory/system.slice/memory.stat"
        if geteuid() == 0 {
            try FileManager.default.removeItem(atPath: stat)
            try tree.mkdir("sys/fs/cgroup/memory/system.slice/memory.stat")
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: stat)
        }
        // Garbage in a counter file.
        try tree.write("sys/fs/cgroup/cpuacct/system.slice/cpuacct.usage", "lots\n")

        let (families, success) = tree.run(ContainerCollector(logger: Logger(label: "test")))
        #expect(success, "odd files are skipped, not errors")
        let slice = labels(id: "/system.slice")
        #expect(families.value("container_cpu_usage_seconds_total", slice.setting("cpu", to: "total")) == nil)
        #expect(families.value("container_cpu_user_seconds_total", slice) == 0.1)
        #expect(families.value("container_memory_usage_bytes", slice) == 8_388_608)
        #expect(families.value("container_memory_cache", slice) == nil)
        #expect(families.value("container_oom_events_total", slice) == nil)
        #expect(families.family("container_fs_reads_bytes_total")?.samples.contains { $0.labels["id"] == "/system.slice" } == false)
        // Working set without inactive_file is the usage, as cAdvisor computes it then.
        #expect(families.value("container_memory_working_set_bytes", slice) == 8_388_608)
    }

    @Test func noCgroupFileSystemMeansNoSeriesAndNoError() throws {
        let tree = try FixtureTree()
        let (families, success) = tree.run(ContainerCollector(logger: Logger(label: "test")))
        #expect(success)
        #expect(families.isEmpty)
    }

    @Test func aCounterThatGoesBackwardsIsLeftOutOnceThenFollowed() throws {
        let tree = try FixtureTree()
        try tree.cgroupV1("/", usage: 5_000_000_000)
        try tree.cgroupV1("/job", usage: 3_000_000_000)
        let collector = ContainerCollector(logger: Logger(label: "test"))
        let exporter = NodeExporter(collectors: [collector], paths: tree.paths, logger: Logger(label: "test"))
        let usage = labels(id: "/job").setting("cpu", to: "total")
        #expect(exporter.collect().value("container_cpu_usage_seconds_total", usage) == 3)
        try tree.write("sys/fs/cgroup/cpuacct/job/cpuacct.usage", "1000000000\n")
        let wrapped = exporter.collect()
        #expect(wrapped.value("container_cpu_usage_seconds_total", usage) == nil)
        #expect(wrapped.value("container_cpu_usage_seconds_total", labels(id: "/").setting("cpu", to: "total")) == 5)
        #expect(wrapped.value("node_scrape_collector_success", ["collector": "container"]) == 1)
        try tree.write("sys/fs/cgroup/cpuacct/job/cpuacct.usage", "1500000000\n")
        #expect(exporter.collect().value("container_cpu_usage_seconds_total", usage) == 1.5)
    }

    @Test func kubernetesCgroupPaths() {
        let uid = Self.podUID
        let id = containerID("a")
        #expect(
            KubernetesCgroup.parse("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod\(Self.systemdUID).slice/cri-containerd-\(id).scope")
                == KubernetesCgroup(podUID: uid, containerID: id, runtime: "containerd"))
        #expect(
            KubernetesCgroup.parse("/kubepods.slice/kubepods-pod\(Self.systemdUID).slice/crio-\(id).scope")
                == KubernetesCgroup(podUID: uid, containerID: id, runtime: "cri-o"))
        #expect(
            KubernetesCgroup.parse("/kubepods.slice/kubepods-pod\(Self.systemdUID).slice/docker-\(id).scope")
                == KubernetesCgroup(podUID: uid, containerID: id, runtime: "docker"))
        #expect(KubernetesCgroup.parse("/kubepods/burstable/pod\(uid)/\(id)") == KubernetesCgroup(podUID: uid, containerID: id))
        #expect(KubernetesCgroup.parse("/kubepods/pod\(uid)") == KubernetesCgroup(podUID: uid))
        #expect(KubernetesCgroup.parse("/kubepods/burstable/pod\(uid)/\(id)/nested") == KubernetesCgroup(podUID: uid, containerID: id))
        #expect(KubernetesCgroup.parse("/kubepods.slice/kubepods-pod\(Self.systemdUID).slice/crio-conmon-\(id).scope") == nil)
        #expect(KubernetesCgroup.parse("/kubepods/burstable") == nil)
        #expect(KubernetesCgroup.parse("/system.slice/docker-\(id).scope") == nil)
        #expect(KubernetesCgroup.parse("/kubepods/podnot-a-uid!") == nil)
        #expect(KubernetesCgroup.parse("/") == nil)
    }

    @Test func podLogNames() {
        let id = containerID("9")
        #expect(PodLogDirectory.container(fromLogName: "web-0_default_nginx-\(id).log")! == ("nginx", id))
        #expect(PodLogDirectory.container(fromLogName: "web-0_default_my-app-\(id).log")! == ("my-app", id))
        #expect(PodLogDirectory.container(fromLogName: "web-0_default_nginx-xyz.log") == nil)
        #expect(PodLogDirectory.container(fromLogName: "web-0_default_nginx-\(id)") == nil)
        #expect(PodLogDirectory.container(fromLogName: "garbage.log") == nil)
    }

    @Test func cgroupPathsSortParentsFirst() {
        let sorted = ["/a-b", "/a/c", "/", "/a", "/a/b/c"].sorted { ByteOrderOfPaths.less($0, $1) }
        #expect(sorted == ["/", "/a", "/a/b/c", "/a/c", "/a-b"])
    }
}
