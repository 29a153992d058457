import Synchronization
import Testing
import VigilConfig
import VigilModel
import VigilTestSupport
@testable import VigilLogs

@Suite struct KernelProblemTests {
    @Test(arguments: [
        ("Memory cgroup out of memory: Killed process 4242 (java) total-vm:9000kB, anon-rss:800kB, file-rss:0kB, shmem-rss:0kB", "OOMKilling", ""),
        ("Out of memory: Killed process 17 (postgres) total-vm:1kB", "OOMKilling", ""),
        ("INFO: task kworker/3:1:123 blocked for more than 120 seconds.", "TaskHung", ""),
        ("INFO: task dockerd:811 blocked for more than 120 seconds.", "DockerHung", "KernelDeadlock"),
        ("BUG: unable to handle kernel NULL pointer dereference at 0000000000000008", "KernelOops", ""),
        ("kernel BUG at mm/slub.c:3901!", "KernelBug", ""),
        ("EXT4-fs error (device sda1): ext4_find_entry:1455: inode #2: comm ls: reading directory lblock 0", "Ext4Error", ""),
        ("EXT4-fs (sda1): Remounting filesystem read-only", "FilesystemIsReadOnly", "ReadonlyFilesystem"),
        ("XFS (dm-0): Corruption detected. Unmount and run xfs_repair", "XFSError", ""),
        ("Buffer I/O error on dev sdb1, logical block 0, async page read", "IOError", ""),
        ("nfs: server fileserver.local not responding, still trying", "NFSTimeout", ""),
    ])
    func builtInRulesMatchKernelMessages(line: String, reason: String, condition: String) {
        let found = KernelProblemRules().match(line)
        #expect(found?.reason == reason)
        #expect(found?.conditionType == condition)
    }

    @Test func ordinaryKernelLinesMatchNothing() {
        let rules = KernelProblemRules()
        for line in ["eth0: link up", "EXT4-fs (sda1): mounted filesystem", "usb 1-1: new high-speed USB device", "task ran fine"] {
            #expect(rules.match(line) == nil)
        }
    }

    @Test func problemsAreCountedAsNPDDoesAndReportedThroughTheSeam() async throws {
        let registry = MetricsRegistry()
        let reporter = KernelProblemReporter(registry: registry)
        var services = LogProcessingServices(nodeName: "node-a")
        services.reporter = reporter
        let chain = try ProcessingFixtures.chain("- {type: kernel_problems}", services: services, registry: registry)
        let out = ProcessingFixtures.run([
            "Out of memory: Killed process 1 (a)", "Out of memory: Killed process 2 (b)", "EXT4-fs (sda1): Remounting filesystem read-only", "fine",
        ], chain)
        #expect(out.count == 4)
        #expect(out[0].meta("problem_reason") == "OOMKilling")
        #expect(out[3].meta("problem_reason") == nil)
        let oom = try registry.counter(
            name: "problem_counter", help: "Number of times a specific type of problem have occurred.", labels: ["reason": "OOMKilling"])
        #expect(oom.value == 2)
        let readOnly = try registry.gauge(
            name: "problem_gauge", help: "Whether a specific type of problem is affecting the node or not.",
            labels: ["reason": "FilesystemIsReadOnly", "type": "ReadonlyFilesystem"])
        #expect(readOnly.value == 1)
        reporter.finish()
        var reported: [KernelProblem] = []
        for await problem in reporter.stream { reported.append(problem) }
        #expect(reported.map(\.reason) == ["OOMKilling", "OOMKilling", "FilesystemIsReadOnly"])
        #expect(reported.allSatisfy { $0.nodeName == "node-a" })
        #expect(reported[2].severity == .permanent)
        #expect(reported[0].message == "Out of memory: Killed process 1 (a)")
    }
}
