import Testing
@testable import VigilCollectors
import VigilModel

/// The /proc collectors on fixture files with known values.
@Suite struct ProcCollectorTests {
    static let stat = """
        cpu  2255 34 2290 22625563 6290 127 456 0 0 0
        cpu0 1132 34 1441 11311718 3675 127 438 5 100 7
        cpu1 1123 0 849 11313845 2614 0 18 0 0 0
        intr 8885917 17 0 0 0 0
        ctxt 38014093
        btime 1418183276
        processes 26442
        procs_running 2
        procs_blocked 1
        softirq 5057579 250191 1481983 1647 211099 186066 0 1783454 622196 12499 508444

        """

    @Test func cpuSecondsPerModeAndGuest() throws {
        let tree = try FixtureTree()
        try tree.write("proc/stat", Self.stat)
        let (families, success) = tree.run(CPUCollector(guest: true))
        #expect(success)
        #expect(families.value("node_cpu_seconds_total", ["cpu": "0", "mode": "user"]) == 11.32)
        #expect(families.value("node_cpu_seconds_total", ["cpu": "1", "mode": "idle"]) == 113138.45)
        #expect(families.value("node_cpu_seconds_total", ["cpu": "0", "mode": "steal"]) == 0.05)
        #expect(families.value("node_cpu_guest_seconds_total", ["cpu": "0", "mode": "user"]) == 1)
        #expect(families.value("node_cpu_guest_seconds_total", ["cpu": "0", "mode": "nice"]) == 0.07)
        #expect(families.family("node_cpu_seconds_total")?.samples.count == 16)
        #expect(families.family("node_cpu_seconds_total")?.type == .counter)
        let (noGuest, _) = tree.run(CPUCollector(guest: false))
        #expect(noGuest.family("node_cpu_guest_seconds_total") == nil)
    }

    @Test func cpuCountersNeverStepBack() throws {
        let tree = try FixtureTree()
        let collector = CPUCollector(guest: false)
        try tree.write("proc/stat", "cpu0 100 0 0 5000 300 0 0 0 0 0\n")
        _ = tree.run(collector)
        try tree.write("proc/stat", "cpu0 150 0 0 4990 200 0 0 0 0 0\n")
        let (families, _) = tree.run(collector)
        #expect(families.value("node_cpu_seconds_total", ["cpu": "0", "mode": "user"]) == 1.5)
        #expect(families.value("node_cpu_seconds_total", ["cpu": "0", "mode": "idle"]) == 50)
        #expect(families.value("node_cpu_seconds_total", ["cpu": "0", "mode": "iowait"]) == 3)
    }

    @Test func statCounters() throws {
        let tree = try FixtureTree()
        try tree.write("proc/stat", Self.stat)
        let (families, success) = tree.run(StatCollector())
        #expect(success)
        #expect(families.value("node_intr_total") == 8885917)
        #expect(families.value("node_context_switches_total") == 38014093)
        #expect(families.value("node_forks_total") == 26442)
        #expect(families.value("node_boot_time_seconds") == 1418183276)
        #expect(families.value("node_procs_running") == 2)
        #expect(families.value("node_procs_blocked") == 1)
        #expect(families.family("node_boot_time_seconds")?.help == "Node boot time, in unixtime.")
    }

    @Test func statWithoutItsFieldsFails() throws {
        let tree = try FixtureTree()
        try tree.write("proc/stat", "cpu0 1 2 3\nintr 5\n")
        #expect(!tree.run(StatCollector()).success)
    }

    @Test func meminfoEveryField() throws {
        let tree = try FixtureTree()
        try tree.write("proc/meminfo", """
            MemTotal:       15666184 kB
            Active(anon):    1234 kB
            Inactive(file):  0 kB
            HugePages_Total:       7
            Hugepagesize:       2048 kB
            garbage line
            Broken: x kB

            """)
        let (families, success) = tree.run(MeminfoCollector())
        #expect(success)
        #expect(families.value("node_memory_MemTotal_bytes") == Double(15666184) * 1024)
        #expect(families.value("node_memory_Active_anon_bytes") == Double(1234) * 1024)
        #expect(families.value("node_memory_Inactive_file_bytes") == 0)
        #expect(families.value("node_memory_HugePages_Total") == 7)
        #expect(families.value("node_memory_Hugepagesize_bytes") == Double(2048) * 1024)
        #expect(families.family("node_memory_MemTotal_bytes")?.help == "Memory information field MemTotal_bytes.")
        #expect(families.count == 5)
    }

    @Test func loadavgAndMalformed() throws {
        let tree = try FixtureTree()
        try tree.write("proc/loadavg", "0.02 0.04 0.05 1/497 11947\n")
        let (families, success) = tree.run(LoadavgCollector())
        #expect(success)
        #expect(families.value("node_load1") == 0.02)
        #expect(families.value("node_load15") == 0.05)
        try tree.write("proc/loadavg", "0.02 x\n")
        #expect(!tree.run(LoadavgCollector()).success)
    }

    @Test func vmstatFieldFilter() throws {
        let tree = try FixtureTree()
        try tree.write("proc/vmstat", "nr_free_pages 100\npgfault 12345\npgmajfault 7\noom_kill 1\npswpin 0\n")
        let filter = try NameFilter(NodeCollectorOptions.defaultVmstatFields, mode: .include, flag: "f")
        let (families, success) = tree.run(VmstatCollector(fields: filter))
        #expect(success)
        #expect(families.map(\.name) == ["node_vmstat_oom_kill", "node_vmstat_pgfault", "node_vmstat_pgmajfault", "node_vmstat_pswpin"])
        #expect(families.value("node_vmstat_pgfault") == 12345)
        #expect(families.family("node_vmstat_pgfault")?.type == .unknown)
    }

    @Test func filefdEntropyConntrack() throws {
        let tree = try FixtureTree()
        try tree.write("proc/sys/fs/file-nr", "1024\t0\t1631329\n")
        try tree.write("proc/sys/kernel/random/entropy_avail", "256\n")
        try tree.write("proc/sys/kernel/random/poolsize", "256\n")
        try tree.write("proc/sys/net/netfilter/nf_conntrack_count", "123\n")
        try tree.write("proc/sys/net/netfilter/nf_conntrack_max", "65536\n")
        try tree.write("proc/net/stat/nf_conntrack", """
            entries  clashres found new invalid ignore delete chainlength insert insert_failed drop early_drop icmp_error  expect_new expect_create expect_delete search_restart
            0000007b  00000000 00000001 00000000 0000000a 00000000 00000000 00000000 00000000 00000002 00000000 00000000 00000000  00000000 00000000 00000000 0000000f
            0000007b  00000000 00000002 00000000 00000001 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000  00000000 00000000 00000000 00000001

            """)
        let (filefd, _) = tree.run(FilefdCollector())
        #expect(filefd.value("node_filefd_allocated") == 1024)
        #expect(filefd.value("node_filefd_maximum") == 1631329)
        let (entropy, _) = tree.run(EntropyCollector())
        #expect(entropy.value("node_entropy_available_bits") == 256)
        let (conntrack, success) = tree.run(ConntrackCollector())
        #expect(success)
        #expect(conntrack.value("node_nf_conntrack_entries") == 123)
        #expect(conntrack.value("node_nf_conntrack_entries_limit") == 65536)
        #expect(conntrack.value("node_nf_conntrack_stat_found") == 3)
        #expect(conntrack.value("node_nf_conntrack_stat_invalid") == 11)
        #expect(conntrack.value("node_nf_conntrack_stat_insert_failed") == 2)
        #expect(conntrack.value("node_nf_conntrack_stat_search_restart") == 16)
    }

    @Test func conntrackNotLoadedIsNoData() throws {
        let tree = try FixtureTree()
        let (families, success) = tree.run(ConntrackCollector())
        #expect(!success)
        #expect(families.isEmpty)
    }

    @Test func pressure() throws {
        let tree = try FixtureTree()
        try tree.write("proc/pressure/cpu", "some avg10=0.00 avg60=0.00 avg300=0.00 total=1500000\n")
        try tree.write("proc/pressure/io", "some avg10=0.1 avg60=0 avg300=0 total=2000000\nfull avg10=0 avg60=0 avg300=0 total=500\n")
        try tree.write("proc/pressure/memory", "some avg10=0 avg60=0 avg300=0 total=0\nfull avg10=0 avg60=0 avg300=0 total=7\n")
        let (families, success) = tree.run(PressureCollector())
        #expect(success)
        #expect(families.value("node_pressure_cpu_waiting_seconds_total") == 1.5)
        #expect(families.value("node_pressure_io_waiting_seconds_total") == 2)
        #expect(families.value("node_pressure_io_stalled_seconds_total") == 0.0005)
        #expect(families.value("node_pressure_memory_stalled_seconds_total") == 0.000007)
        try tree.write("proc/pressure/io", "some avg10=0.1 total=abc\n")
        #expect(!tree.run(PressureCollector()).success)
    }

    @Test func sockstat() throws {
        let tree = try FixtureTree()
        try tree.write("proc/net/sockstat", """
            sockets: used 229
            TCP: inuse 4 orphan 0 tw 4 alloc 17 mem 1
            UDP: inuse 0 mem 0
            FRAG: inuse 0 memory 0

            """)
        let (families, success) = tree.run(SockstatCollector())
        #expect(success)
        #expect(families.value("node_sockstat_sockets_used") == 229)
        #expect(families.value("node_sockstat_TCP_alloc") == 17)
        #expect(families.value("node_sockstat_TCP_mem_bytes")! > 0)
        #expect(families.value("node_sockstat_FRAG_memory") == 0)
        #expect(families.family("node_sockstat_TCP_tw")?.help == "Number of TCP sockets in state tw.")
    }
}
