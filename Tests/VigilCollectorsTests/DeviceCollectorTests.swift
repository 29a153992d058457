import Foundation
import Testing
@testable import VigilCollectors
import VigilModel

/// netdev, netstat, diskstats and filesystem on fixture files.
@Suite struct DeviceCollectorTests {
    @Test func netdevColumnsAndNohandler() throws {
        let tree = try FixtureTree()
        try tree.write("proc/net/dev", """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:  100       2    0    0    0     0          0         0      100       2    0    0    0     0       0          0
              eth0: 8144706  1883    1    2    3     4          5         6   126740    1714    7    8    9    10      11         12

            """)
        try tree.write("sys/class/net/eth0/statistics/rx_nohandler", "42\n")
        let (families, success) = tree.run(NetdevCollector(filter: nil))
        #expect(success)
        #expect(families.value("node_network_receive_bytes_total", ["device": "eth0"]) == 8144706)
        #expect(families.value("node_network_receive_multicast_total", ["device": "eth0"]) == 6)
        #expect(families.value("node_network_transmit_carrier_total", ["device": "eth0"]) == 11)
        #expect(families.value("node_network_transmit_compressed_total", ["device": "eth0"]) == 12)
        #expect(families.value("node_network_receive_nohandler_total", ["device": "eth0"]) == 42)
        #expect(families.value("node_network_receive_nohandler_total", ["device": "lo"]) == nil)
        #expect(families.value("node_network_receive_bytes_total", ["device": "lo"]) == 100)
        let excludeLoopback = try NameFilter("^lo$", mode: .exclude, flag: "f")
        let (filtered, _) = tree.run(NetdevCollector(filter: excludeLoopback))
        #expect(filtered.value("node_network_receive_bytes_total", ["device": "lo"]) == nil)
        #expect(filtered.family("node_network_receive_bytes_total")?.help == "Network device statistic receive_bytes.")
    }

    @Test func netdevShortLineFails() throws {
        let tree = try FixtureTree()
        try tree.write("proc/net/dev", "h\nh\n eth0: 1 2 3\n")
        #expect(!tree.run(NetdevCollector(filter: nil)).success)
    }

    @Test func netstatMergesFilesAndFilters() throws {
        let tree = try FixtureTree()
        try tree.write("proc/net/netstat", """
            TcpExt: SyncookiesSent ListenDrops TCPTimeouts PruneCalled
            TcpExt: 1 2 3 4
            IpExt: InOctets OutOctets
            IpExt: 100 200

            """)
        try tree.write("proc/net/snmp", """
            Ip: Forwarding DefaultTTL
            Ip: 1 64
            Tcp: ActiveOpens CurrEstab InErrs
            Tcp: 5 6 7

            """)
        try tree.write("proc/net/snmp6", "Ip6InOctets  1000\nIcmp6InMsgs 3\nUdpLite6InErrors 0\nIp6InReceives 9\n")
        let fields = try NameFilter(NodeCollectorOptions.defaultNetstatFields, mode: .include, flag: "f")
        let (families, success) = tree.run(NetstatCollector(fields: fields))
        #expect(success)
        let names = Set(families.map(\.name))
        #expect(names == [
            "node_netstat_TcpExt_SyncookiesSent", "node_netstat_TcpExt_ListenDrops", "node_netstat_TcpExt_TCPTimeouts",
            "node_netstat_IpExt_InOctets", "node_netstat_IpExt_OutOctets", "node_netstat_Ip_Forwarding",
            "node_netstat_Tcp_ActiveOpens", "node_netstat_Tcp_CurrEstab", "node_netstat_Tcp_InErrs",
            "node_netstat_Ip6_InOctets", "node_netstat_Icmp6_InMsgs", "node_netstat_UdpLite6_InErrors",
        ])
        #expect(families.value("node_netstat_Tcp_InErrs") == 7)
        #expect(families.value("node_netstat_Ip6_InOctets") == 1000)
        #expect(families.family("node_netstat_Tcp_InErrs")?.help == "Statistic TcpInErrs.")
    }

    @Test func netstatWithoutSNMP6StillWorksButMismatchFails() throws {
        let tree = try FixtureTree()
        try tree.write("proc/net/netstat", "TcpExt: A B\nTcpExt: 1 2\n")
        try tree.write("proc/net/snmp", "Tcp: InErrs\nTcp: 3\n")
        let fields = try NameFilter(".*", mode: .include, flag: "f")
        #expect(tree.run(NetstatCollector(fields: fields)).success)
        try tree.write("proc/net/snmp", "Tcp: InErrs X\nTcp: 3\n")
        #expect(!tree.run(NetstatCollector(fields: fields)).success)
    }

    @Test func diskstatsColumnsFilterAndUdev() throws {
        let tree = try FixtureTree()
        try tree.write("proc/diskstats", """
               8       0 sda 25354637 34367663 1003346126 18492372 28444756 11134226 505697032 63877960 0 9653880 82621804 1 2 3 4 5 6
               8       1 sda1 1 2 3 4 5 6 7 8 9 10 11
               7       0 loop0 1 2 3 4 5 6 7 8 9 10 11
             254       0 vda 10 0 8 4 0 0 0 0 0 5 4

            """)
        try tree.write("udev/b8:0", "S:disk/by-id/x\nE:ID_PATH=pci-0000:00:1f.2-ata-1\nE:ID_MODEL=SAMSUNG\nE:ID_FS_TYPE=ext4\nE:ID_FS_UUID=abc\nE:ID_ATA=1\nE:ID_ATA_ROTATION_RATE_RPM=0\n")
        let filter = try NameFilter(NodeCollectorOptions.defaultDiskstatsDeviceExclude, mode: .exclude, flag: "f")
        let (families, success) = tree.run(DiskstatsCollector(filter: filter))
        #expect(success)
        let devices = Set(families.family("node_disk_reads_completed_total")?.samples.compactMap { $0.labels["device"] } ?? [])
        #expect(devices == ["sda", "vda"])
        #expect(families.value("node_disk_read_bytes_total", ["device": "sda"]) == Double(1003346126) * 512)
        #expect(families.value("node_disk_read_time_seconds_total", ["device": "sda"]) == 18492.372)
        #expect(families.value("node_disk_io_now", ["device": "sda"]) == 0)
        #expect(families.value("node_disk_discarded_sectors_total", ["device": "sda"]) == 3)
        #expect(families.value("node_disk_flush_requests_time_seconds_total", ["device": "sda"]) == 0.006)
        // An 11-column kernel has no discard or flush columns.
        #expect(families.value("node_disk_discards_completed_total", ["device": "vda"]) == nil)
        #expect(families.value("node_disk_info", [
            "device": "sda", "major": "8", "minor": "0", "path": "pci-0000:00:1f.2-ata-1", "model": "SAMSUNG",
        ]) == 1)
        #expect(families.value("node_disk_filesystem_info", ["device": "sda", "type": "ext4", "uuid": "abc"]) == 1)
        #expect(families.value("node_disk_ata_rotation_rate_rpm", ["device": "sda"]) == 0)
        #expect(families.family("node_disk_io_now")?.type == .gauge)
    }

    @Test func filesystemStatsExclusionsAndErrors() throws {
        let tree = try FixtureTree()
        try tree.mkdir("rootfs/data")
        let rootfs = tree.root + "/rootfs"
        try tree.write("proc/1/mounts", """
            /dev/vda \(rootfs)/ ext4 rw,relatime 0 0
            /dev/vdb \(rootfs)/data xfs ro,relatime 0 0
            /dev/vdb \(rootfs)/data xfs ro,relatime 0 0
            proc \(rootfs)/proc proc rw 0 0
            tmpfs \(rootfs)/run tmpfs rw 0 0
            /dev/vdc \(rootfs)/gone\\040away ext4 rw 0 0

            """)
        let (families, success) = tree.run(try filesystemCollector())
        #expect(success)
        let mountPoints = Set(families.family("node_filesystem_device_error")?.samples.compactMap { $0.labels["mountpoint"] } ?? [])
        #expect(mountPoints == ["/", "/data", "/gone away"])
        #expect(families.family("node_filesystem_device_error")?.samples.count == 3)
        let data: Labels = ["device": "/dev/vdb", "fstype": "xfs", "mountpoint": "/data"]
        #expect(families.value("node_filesystem_readonly", data) == 1)
        #expect(families.value("node_filesystem_size_bytes", data)! > 0)
        #expect(families.value("node_filesystem_device_error", data) == 0)
        let gone: Labels = ["device": "/dev/vdc", "fstype": "ext4", "mountpoint": "/gone away"]
        #expect(families.value("node_filesystem_device_error", gone) == 1)
        #expect(families.value("node_filesystem_size_bytes", gone) == nil)
    }

    @Test func filesystemFallsBackToProcMounts() throws {
        let tree = try FixtureTree()
        try tree.write("proc/mounts", "/dev/vda \(tree.root)/rootfs ext4 rw 0 0\n")
        let (families, success) = tree.run(try filesystemCollector())
        #expect(success)
        #expect(families.value("node_filesystem_readonly", ["device": "/dev/vda", "fstype": "ext4", "mountpoint": "/"]) == 0)
        try tree.write("proc/mounts", "/dev/vda /\n")
        #expect(!tree.run(try filesystemCollector()).success)
    }

    private func filesystemCollector() throws -> FilesystemCollector {
        FilesystemCollector(
            mountPoints: try NameFilter(NodeCollectorOptions.defaultMountPointsExclude, mode: .exclude, flag: "m"),
            fsTypes: try NameFilter(NodeCollectorOptions.defaultFSTypesExclude, mode: .exclude, flag: "t"))
    }
}
