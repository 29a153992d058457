import Foundation
@testable import VigilCollectors

/// Writers of cgroup trees as the kernel lays them out, for the container collector's tests.
extension FixtureTree {
    /// A v1 cgroup under every controller: `cpuacct`, `cpu`, `memory`, `blkio`, `pids`.
    func cgroupV1(
        _ path: String, usage: UInt64, user: UInt64 = 10, system: UInt64 = 5, memory: UInt64 = 8_388_608,
        inactiveFile: UInt64 = 1_048_576, quota: Int64 = -1, procs: [Int] = [], pidsMax: String = "max"
    ) throws {
        let base = "sys/fs/cgroup"
        let suffix = path == "/" ? "" : path
        try write("\(base)/cpuacct\(suffix)/cpuacct.usage", "\(usage)\n")
        try write("\(base)/cpuacct\(suffix)/cpuacct.stat", "user \(user)\nsystem \(system)\n")
        try write("\(base)/cpu\(suffix)/cpu.stat", "nr_periods 40\nnr_throttled 3\nthrottled_time 250000000\n")
        try write("\(base)/cpu\(suffix)/cpu.cfs_period_us", "100000\n")
        try write("\(base)/cpu\(suffix)/cpu.cfs_quota_us", "\(quota)\n")
        try write("\(base)/cpu\(suffix)/cpu.shares", "1024\n")
        try write("\(base)/memory\(suffix)/memory.usage_in_bytes", "\(memory)\n")
        try write("\(base)/memory\(suffix)/memory.max_usage_in_bytes", "\(memory * 2)\n")
        try write("\(base)/memory\(suffix)/memory.failcnt", "7\n")
        try write("\(base)/memory\(suffix)/memory.limit_in_bytes", "9223372036854771712\n")
        try write("\(base)/memory\(suffix)/memory.memsw.limit_in_bytes", "9223372036854771712\n")
        try write("\(base)/memory\(suffix)/memory.soft_limit_in_bytes", "67108864\n")
        try write(
            "\(base)/memory\(suffix)/memory.stat",
            """
            cache 100
            rss 200
            pgfault 11
            pgmajfault 1
            total_cache 4194304
            total_rss 2097152
            total_mapped_file 65536
            total_swap 0
            total_pgfault 12
            total_pgmajfault 2
            total_inactive_file \(inactiveFile)

            """)
        try write("\(base)/memory\(suffix)/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n")
        try write(
            "\(base)/blkio\(suffix)/blkio.throttle.io_service_bytes_recursive",
            "8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Async 0\n8:0 Total 12288\nTotal 12288\n")
        try write(
            "\(base)/blkio\(suffix)/blkio.throttle.io_serviced_recursive", "8:0 Read 1\n8:0 Write 2\n8:0 Total 3\nTotal 3\n")
        try write("\(base)/pids\(suffix)/pids.current", "\(max(procs.count, 1) * 3)\n")
        try write("\(base)/pids\(suffix)/pids.max", "\(pidsMax)\n")
        try write("\(base)/memory\(suffix)/cgroup.procs", procs.map { "\($0)\n" }.joined())
    }

    /// A v2 cgroup; `/` writes the root's files (no limits, no `memory.current`).
    func cgroupV2(
        _ path: String, usageMicroseconds: UInt64, memory: UInt64 = 8_388_608, inactiveFile: UInt64 = 1_048_576,
        cpuMax: String = "max 100000", procs: [Int] = []
    ) throws {
        let directory = "sys/fs/cgroup" + (path == "/" ? "" : path)
        try write(
            "\(directory)/cpu.stat",
            """
            usage_usec \(usageMicroseconds)
            user_usec \(usageMicroseconds / 2)
            system_usec \(usageMicroseconds / 4)
            nr_periods 12
            nr_throttled 4
            throttled_usec 1500000

            """)
        try write(
            "\(directory)/memory.stat",
            "anon 2097152\nfile 4194304\nfile_mapped 65536\ninactive_file \(inactiveFile)\npgfault 20\npgmajfault 3\n")
        try write("\(directory)/io.stat", "259:0 rbytes=1024 wbytes=2048 rios=3 wios=4 dbytes=0 dios=0\n")
        try write("\(directory)/cgroup.procs", procs.map { "\($0)\n" }.joined())
        if path == "/" {
            try write("\(directory)/cgroup.controllers", "cpuset cpu io memory pids\n")
            return
        }
        try write("\(directory)/cgroup.type", "domain\n")
        try write("\(directory)/cpu.max", cpuMax + "\n")
        try write("\(directory)/cpu.weight", "100\n")
        try write("\(directory)/memory.current", "\(memory)\n")
        try write("\(directory)/memory.peak", "\(memory * 2)\n")
        try write("\(directory)/memory.max", "max\n")
        try write("\(directory)/memory.swap.max", "max\n")
        try write("\(directory)/memory.swap.current", "0\n")
        try write("\(directory)/memory.low", "0\n")
        try write("\(directory)/memory.events", "low 0\nhigh 0\nmax 5\noom 1\noom_kill 1\n")
        try write("\(directory)/pids.current", "6\n")
        try write("\(directory)/pids.max", "4096\n")
    }

    /// The kubelet's log layout naming one pod and its containers (name → ID).
    func podLogs(namespace: String, pod: String, uid: String, containers: [String: String]) throws {
        try mkdir("rootfs/var/log/pods/\(namespace)_\(pod)_\(uid)")
        for (name, id) in containers {
            try mkdir("rootfs/var/log/pods/\(namespace)_\(pod)_\(uid)/\(name)")
            try write("rootfs/var/log/containers/\(pod)_\(namespace)_\(name)-\(id).log", "")
        }
    }

    /// A process's network namespace link and `net/dev`.
    func process(_ pid: Int, namespace: String, netdev: String) throws {
        try mkdir("proc/\(pid)/ns")
        try FileManager.default.createSymbolicLink(atPath: root + "/proc/\(pid)/ns/net", withDestinationPath: namespace)
        try write("proc/\(pid)/net/dev", netdev)
    }
}

/// A 64-hex container ID made of one repeated digit.
func containerID(_ digit: Character) -> String { String(repeating: digit, count: 64) }

let podNetdev = """
    Inter-|   Receive                                                |  Transmit
     face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
        lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0
      eth0:    5000      50    1    2    0     0          0         0     7000      70    3    4    0     0       0          0

    """
