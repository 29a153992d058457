import Logging
import Testing
@testable import VigilCollectors
import VigilModel

/// The /sys collectors, os-release, textfile and the per-scrape bookkeeping on fixture trees.
@Suite struct SysCollectorTests {
    @Test func thermalZonesAndCoolingDevices() throws {
        let tree = try FixtureTree()
        try tree.write("sys/class/thermal/thermal_zone0/type", "x86_pkg_temp\n")
        try tree.write("sys/class/thermal/thermal_zone0/temp", "-1500\n")
        try tree.mkdir("sys/class/thermal/thermal_zone1/temp")
        try tree.write("sys/class/thermal/thermal_zone1/type", "acpitz\n")
        try tree.write("sys/class/thermal/cooling_device0/type", "Processor\n")
        try tree.write("sys/class/thermal/cooling_device0/cur_state", "1\n")
        try tree.write("sys/class/thermal/cooling_device0/max_state", "3\n")
        let (families, success) = tree.run(ThermalZoneCollector())
        #expect(success)
        #expect(families.value("node_thermal_zone_temp", ["zone": "0", "type": "x86_pkg_temp"]) == -1.5)
        #expect(families.family("node_thermal_zone_temp")?.samples.count == 1)
        #expect(families.value("node_cooling_device_max_state", ["name": "0", "type": "Processor"]) == 3)
    }

    @Test func hwmonSensors() throws {
        let tree = try FixtureTree()
        let chip = "sys/class/hwmon/hwmon0"
        try tree.write(chip + "/name", "coretemp\n")
        try tree.write(chip + "/temp1_input", "55000\n")
        try tree.write(chip + "/temp1_max", "84000\n")
        try tree.write(chip + "/temp1_label", "Package id 0\n")
        try tree.write(chip + "/fan2_input", "1200\n")
        try tree.write(chip + "/in0_input", "1250\n")
        try tree.write(chip + "/power1_average", "15000000\n")
        try tree.write(chip + "/uevent", "x\n")
        try tree.write(chip + "/temp2_input", "not a number\n")
        let (families, success) = tree.run(HwmonCollector())
        #expect(success)
        let sensor1: Labels = ["chip": "coretemp", "sensor": "temp1"]
        #expect(families.value("node_hwmon_temp_celsius", sensor1) == 55)
        #expect(families.value("node_hwmon_temp_max_celsius", sensor1) == 84)
        #expect(families.family("node_hwmon_temp_celsius")?.help == "Hardware monitor for temperature (input)")
        #expect(families.value("node_hwmon_fan_rpm", ["chip": "coretemp", "sensor": "fan2"]) == 1200)
        #expect(families.value("node_hwmon_in_volts", ["chip": "coretemp", "sensor": "in0"]) == 1.25)
        #expect(families.value("node_hwmon_power_average_watt", ["chip": "coretemp", "sensor": "power1"]) == 15)
        #expect(families.value("node_hwmon_chip_names", ["chip": "coretemp", "chip_name": "coretemp"]) == 1)
        #expect(families.value("node_hwmon_sensor_label", ["chip": "coretemp", "sensor": "temp1", "label": "Package id 0"]) == 1)
        #expect(families.value("node_hwmon_temp_celsius", ["chip": "coretemp", "sensor": "temp2"]) == nil)
    }

    @Test func hwmonFileNames() {
        #expect(HwmonCollector.split("temp1_input")! == ("temp", 1, "input"))
        #expect(HwmonCollector.split("beep_enable")! == ("beep_enable", 0, ""))
        #expect(HwmonCollector.split("power1_average_interval")! == ("power", 1, "average_interval"))
        #expect(HwmonCollector.split("fan1_") == nil)
        #expect(HwmonCollector.split("1abc") == nil)
        #expect(HwmonCollector.clean("  Core-Temp 0 ") == "core_temp_0")
    }

    @Test func missingClassesAreNoData() throws {
        let tree = try FixtureTree()
        #expect(!tree.run(HwmonCollector()).success)
        #expect(!tree.run(NVMeCollector()).success)
        #expect(!tree.run(ThermalZoneCollector()).success)
    }

    @Test func nvmeInfo() throws {
        let tree = try FixtureTree()
        try tree.write("sys/class/nvme/nvme0/model", "Samsung SSD 970 EVO\n")
        try tree.write("sys/class/nvme/nvme0/serial", "S123\n")
        try tree.write("sys/class/nvme/nvme0/firmware_rev", "2B2QEXE7\n")
        try tree.write("sys/class/nvme/nvme0/state", "live\n")
        let (families, success) = tree.run(NVMeCollector())
        #expect(success)
        #expect(families.value("node_nvme_info", [
            "device": "nvme0", "model": "Samsung SSD 970 EVO", "serial": "S123", "firmware_revision": "2B2QEXE7", "state": "live",
        ]) == 1)
    }

    @Test func clocksources() throws {
        let tree = try FixtureTree()
        try tree.write("sys/devices/system/clocksource/clocksource0/available_clocksource", "tsc hpet acpi_pm \n")
        try tree.write("sys/devices/system/clocksource/clocksource0/current_clocksource", "tsc\n")
        let (families, success) = tree.run(TimeCollector())
        #expect(success)
        #expect(families.family("node_time_clocksource_available_info")?.samples.count == 3)
        #expect(families.value("node_time_clocksource_current_info", ["device": "0", "clocksource": "tsc"]) == 1)
        #expect(families.value("node_time_seconds")! > 1_600_000_000)
    }

    @Test func osRelease() throws {
        let tree = try FixtureTree()
        try tree.write("rootfs/usr/lib/os-release", """
            NAME="Ubuntu"
            VERSION="22.04.3 LTS (Jammy Jellyfish)"
            ID=ubuntu
            ID_LIKE=debian
            PRETTY_NAME="Ubuntu \\"22.04\\""
            VERSION_ID='22.04'
            # comment

            """)
        let (families, success) = tree.run(OSReleaseCollector())
        #expect(success)
        #expect(families.value("node_os_version", ["id": "ubuntu", "id_like": "debian", "name": "Ubuntu"]) == 22.04)
        let info = families.family("node_os_info")?.samples.first?.labels
        #expect(info?["pretty_name"] == "Ubuntu \"22.04\"")
        #expect(info?["version_id"] == "22.04")
        #expect(OSReleaseCollector.majorMinor("rolling") == nil)
        #expect(OSReleaseCollector.majorMinor("12") == 12)
        let empty = try FixtureTree()
        #expect(!empty.run(OSReleaseCollector()).success)
    }

    @Test func textfileDirectory() throws {
        let tree = try FixtureTree()
        try tree.write("text/batch.prom", "# HELP batch_done Last success.\n# TYPE batch_done gauge\nbatch_done{job=\"backup\"} 1.7e9\nother 3\n")
        try tree.write("text/also.prom", "other{a=\"b\"} 4\n")
        try tree.write("text/ignored.txt", "not_read 1\n")
        let collector = TextfileCollector(directory: tree.root + "/text")
        let (families, success) = tree.run(collector)
        #expect(success)
        #expect(families.value("batch_done", ["job": "backup"]) == 1.7e9)
        #expect(families.family("batch_done")?.type == .gauge)
        #expect(families.family("other")?.samples.count == 2)
        #expect(families.family("other")?.help == "Metric read from \(tree.root)/text/also.prom, \(tree.root)/text/batch.prom")
        #expect(families.value("node_textfile_scrape_error") == 0)
        #expect(families.family("node_textfile_mtime_seconds")?.samples.count == 2)
        #expect(families.family("not_read") == nil)
    }

    @Test func textfileErrorsSetTheErrorGauge() throws {
        let tree = try FixtureTree()
        try tree.write("text/stamped.prom", "with_time 1 1700000000000\n")
        try tree.write("text/broken.prom", "this is { not valid\n")
        try tree.write("text/good.prom", "fine 1\n")
        let (families, success) = tree.run(TextfileCollector(directory: tree.root + "/text"))
        #expect(success)
        #expect(families.value("node_textfile_scrape_error") == 1)
        #expect(families.value("fine") == 1)
        #expect(families.family("with_time") == nil)
        #expect(families.family("node_textfile_mtime_seconds")?.samples.count == 1)
        let (missing, _) = tree.run(TextfileCollector(directory: tree.root + "/nowhere"))
        #expect(missing.value("node_textfile_scrape_error") == 1)
        let (unset, _) = tree.run(TextfileCollector(directory: ""))
        #expect(unset.value("node_textfile_scrape_error") == 0)
    }

    @Test func anEmptyTreeFailsEveryFileCollectorWithoutCrashing() throws {
        let tree = try FixtureTree()
        var options = NodeCollectorOptions()
        options.paths = tree.paths
        options.enabled.remove("filesystem")
        let exporter = try NodeExporter(options: options, logger: .init(label: "test"))
        let families = exporter.collect()
        let success = families.family("node_scrape_collector_success")?.samples ?? []
        #expect(success.count == options.enabled.count)
        let succeeded = Set(success.filter { $0.value == 1 }.compactMap { $0.labels["collector"] })
        // Those that read no files, or tolerate their absence (no cgroups, no nvidia-smi: no series).
        #expect(succeeded.isSubset(of: ["uname", "timex", "textfile", "sockstat", "os", "container", "gpu"]))
        #expect(succeeded.contains("uname"))
        #expect(families.family("node_scrape_collector_duration_seconds")?.samples.count == options.enabled.count)
    }

    @Test func aDirectoryWhereAFileBelongsFailsOnlyThatCollector() throws {
        let tree = try FixtureTree()
        try tree.mkdir("proc/loadavg")
        try tree.write("proc/sys/fs/file-nr", "1 0 2\n")
        let exporter = NodeExporter(collectors: [LoadavgCollector(), FilefdCollector()], paths: tree.paths, logger: .init(label: "t"))
        let families = exporter.collect()
        #expect(families.value("node_scrape_collector_success", ["collector": "loadavg"]) == 0)
        #expect(families.value("node_scrape_collector_success", ["collector": "filefd"]) == 1)
        #expect(families.value("node_filefd_maximum") == 2)
    }

    @Test func badOptionsAreRejectedWithTheFlag() {
        var options = NodeCollectorOptions()
        options.vmstatFields = "(unclosed"
        let error = #expect(throws: CollectorError.self) { try NodeExporter(options: options, logger: .init(label: "t")) }
        #expect(error?.path == "--collector.vmstat.fields")
        var unknown = NodeCollectorOptions()
        unknown.enabled.insert("cadvisor")
        #expect(throws: CollectorError.self) { try NodeExporter(options: unknown, logger: .init(label: "t")) }
        var both = NodeCollectorOptions()
        both.netdevDeviceInclude = "eth"
        both.netdevDeviceExclude = "lo"
        #expect(throws: CollectorError.self) { try NodeExporter(options: both, logger: .init(label: "t")) }
    }
}
