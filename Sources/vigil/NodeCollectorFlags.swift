import ArgumentParser
import VigilCollectors

/// node_exporter's collector flags, shared by `vigil agent` and `vigil server`:
/// `--collector.<name>` / `--no-collector.<name>`, `--collector.disable-defaults`, the
/// `--path.*` roots and the per-collector filters, with node_exporter 1.5's defaults.
struct NodeCollectorFlags: ParsableArguments {
    /// node_exporter's defaults.
    init() {}

    @Flag(name: .customLong("collector.disable-defaults"), help: "Disable every collector not enabled explicitly with --collector.<name>.")
    var disableDefaults = false

    @Flag(name: .customLong("collector.conntrack"), inversion: .prefixedNo, help: "Connection-tracking table statistics (default: on).")
    var conntrack: Bool?
    @Flag(
        name: .customLong("collector.container"), inversion: .prefixedNo,
        help: "cAdvisor's container_* metrics from the cgroups (default: on).")
    var container: Bool?
    @Flag(name: .customLong("collector.cpu"), inversion: .prefixedNo, help: "CPU time per mode from /proc/stat (default: on).")
    var cpu: Bool?
    @Flag(name: .customLong("collector.diskstats"), inversion: .prefixedNo, help: "Disk I/O statistics from /proc/diskstats (default: on).")
    var diskstats: Bool?
    @Flag(name: .customLong("collector.entropy"), inversion: .prefixedNo, help: "Available entropy (default: on).")
    var entropy: Bool?
    @Flag(name: .customLong("collector.filefd"), inversion: .prefixedNo, help: "File handle statistics (default: on).")
    var filefd: Bool?
    @Flag(name: .customLong("collector.filesystem"), inversion: .prefixedNo, help: "File system space and inodes (default: on).")
    var filesystem: Bool?
    @Flag(name: .customLong("collector.gpu"), inversion: .prefixedNo, help: "NVIDIA GPUs through nvidia-smi, with DCGM's names (default: on).")
    var gpu: Bool?
    @Flag(name: .customLong("collector.hwmon"), inversion: .prefixedNo, help: "Hardware sensors from /sys/class/hwmon (default: on).")
    var hwmon: Bool?
    @Flag(name: .customLong("collector.loadavg"), inversion: .prefixedNo, help: "Load averages (default: on).")
    var loadavg: Bool?
    @Flag(name: .customLong("collector.meminfo"), inversion: .prefixedNo, help: "Memory statistics from /proc/meminfo (default: on).")
    var meminfo: Bool?
    @Flag(name: .customLong("collector.netdev"), inversion: .prefixedNo, help: "Network device counters (default: on).")
    var netdev: Bool?
    @Flag(name: .customLong("collector.netstat"), inversion: .prefixedNo, help: "Network protocol statistics from /proc/net (default: on).")
    var netstat: Bool?
    @Flag(name: .customLong("collector.nvme"), inversion: .prefixedNo, help: "NVMe controller information (default: on).")
    var nvme: Bool?
    @Flag(name: .customLong("collector.os"), inversion: .prefixedNo, help: "os-release information (default: on).")
    var os: Bool?
    @Flag(name: .customLong("collector.pressure"), inversion: .prefixedNo, help: "Pressure stall information (default: on).")
    var pressure: Bool?
    @Flag(name: .customLong("collector.sockstat"), inversion: .prefixedNo, help: "Socket statistics (default: on).")
    var sockstat: Bool?
    @Flag(name: .customLong("collector.stat"), inversion: .prefixedNo, help: "Boot time, forks, interrupts, context switches (default: on).")
    var stat: Bool?
    @Flag(name: .customLong("collector.textfile"), inversion: .prefixedNo, help: "Metrics from *.prom files (default: on).")
    var textfile: Bool?
    @Flag(name: .customLong("collector.thermal_zone"), inversion: .prefixedNo, help: "Thermal zones and cooling devices (default: on).")
    var thermalZone: Bool?
    @Flag(name: .customLong("collector.time"), inversion: .prefixedNo, help: "System time, time zone and clock sources (default: on).")
    var time: Bool?
    @Flag(name: .customLong("collector.timex"), inversion: .prefixedNo, help: "Kernel clock discipline from adjtimex (default: on).")
    var timex: Bool?
    @Flag(name: .customLong("collector.uname"), inversion: .prefixedNo, help: "uname system information (default: on).")
    var uname: Bool?
    @Flag(name: .customLong("collector.vmstat"), inversion: .prefixedNo, help: "Fields of /proc/vmstat (default: on).")
    var vmstat: Bool?

    @Option(name: .customLong("path.procfs"), help: ArgumentHelp(NodeCollectorOptions.help(for: "path.procfs"), valueName: "path"))
    var procfs = "/proc"
    @Option(name: .customLong("path.sysfs"), help: ArgumentHelp(NodeCollectorOptions.help(for: "path.sysfs"), valueName: "path"))
    var sysfs = "/sys"
    @Option(name: .customLong("path.rootfs"), help: ArgumentHelp(NodeCollectorOptions.help(for: "path.rootfs"), valueName: "path"))
    var rootfs = "/"
    @Option(name: .customLong("path.udev.data"), help: ArgumentHelp(NodeCollectorOptions.help(for: "path.udev.data"), valueName: "path"))
    var udevData = "/run/udev/data"

    @Option(name: .customLong("collector.textfile.directory"), help: ArgumentHelp(NodeCollectorOptions.help(for: "collector.textfile.directory"), valueName: "dir"))
    var textfileDirectory = NodeCollectorOptions.defaultTextfileDirectory
    @Option(name: .customLong("collector.diskstats.device-exclude"), help: ArgumentHelp(NodeCollectorOptions.help(for: "collector.diskstats.device-exclude"), valueName: "regex"))
    var diskstatsDeviceExclude: String?
    @Option(name: .customLong("collector.diskstats.device-include"), help: ArgumentHelp(NodeCollectorOptions.help(for: "collector.diskstats.device-include"), valueName: "regex"))
    var diskstatsDeviceInclude: String?
    @Option(
        name: .customLong("collector.filesystem.mount-points-exclude"),
        help: ArgumentHelp(NodeCollectorOptions.help(for: "collector.filesystem.mount-points-exclude"), valueName: "regex"))
    var mountPointsExclude = NodeCollectorOptions.defaultMountPointsExclude
    @Option(
        name: .customLong("collector.filesystem.fs-types-exclude"),
        help: ArgumentHelp(NodeCollectorOptions.help(for: "collector.filesystem.fs-types-exclude"), valueName: "regex"))
    var fsTypesExclude = NodeCollectorOptions.defaultFSTypesExclude
    @Option(name: .customLong("collector.netdev.device-exclude"), help: ArgumentHelp(NodeCollectorOptions.help(for: "collector.netdev.device-exclude"), valueName: "regex"))
    var netdevDeviceExclude: String?
    @Option(name: .customLong("collector.netdev.device-include"), help: ArgumentHelp(NodeCollectorOptions.help(for: "collector.netdev.device-include"), valueName: "regex"))
    var netdevDeviceInclude: String?
    @Option(name: .customLong("collector.netstat.fields"), help: ArgumentHelp(NodeCollectorOptions.help(for: "collector.netstat.fields"), valueName: "regex"))
    var netstatFields = NodeCollectorOptions.defaultNetstatFields
    @Option(name: .customLong("collector.vmstat.fields"), help: ArgumentHelp(NodeCollectorOptions.help(for: "collector.vmstat.fields"), valueName: "regex"))
    var vmstatFields = NodeCollectorOptions.defaultVmstatFields
    @Option(
        name: .customLong("collector.container.pod-logs"),
        help: ArgumentHelp(NodeCollectorOptions.help(for: "collector.container.pod-logs"), valueName: "dir"))
    var containerPodLogs = "/var/log"
    @Option(
        name: .customLong("collector.container.kubeconfig"),
        help: ArgumentHelp(NodeCollectorOptions.help(for: "collector.container.kubeconfig"),
            valueName: "file"))
    var containerKubeconfig: String?
    @Option(name: .customLong("collector.gpu.nvidia-smi"), help: ArgumentHelp(NodeCollectorOptions.help(for: "collector.gpu.nvidia-smi"), valueName: "path"))
    var nvidiaSMI = "nvidia-smi"
    @Flag(name: .customLong("collector.cpu.guest"), inversion: .prefixedNo, help: "Expose node_cpu_guest_seconds_total.")
    var cpuGuest = true

    /// The choices each `--collector.<name>` flag made, by collector name.
    private var choices: [(String, Bool?)] {
        [
            ("conntrack", conntrack), ("container", container), ("cpu", cpu), ("diskstats", diskstats), ("entropy", entropy), ("filefd", filefd),
            ("filesystem", filesystem), ("gpu", gpu), ("hwmon", hwmon), ("loadavg", loadavg), ("meminfo", meminfo), ("netdev", netdev),
            ("netstat", netstat), ("nvme", nvme), ("os", os), ("pressure", pressure), ("sockstat", sockstat), ("stat", stat),
            ("textfile", textfile), ("thermal_zone", thermalZone), ("time", time), ("timex", timex), ("uname", uname),
            ("vmstat", vmstat),
        ]
    }

    /// Refuses include and exclude patterns given together.
    func validate() throws {
        do {
            _ = try NodeCollectorOptions(flags: values)
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// The flags as ``NodeCollectorFlagValues``.
    var values: NodeCollectorFlagValues {
        var values = NodeCollectorFlagValues()
        values.disableDefaults = disableDefaults
        for (name, choice) in choices {
            if let choice { values.collectors[name] = choice }
        }
        values.cpuGuest = cpuGuest
        let given: [(String, String?)] = [
            ("path.procfs", procfs), ("path.sysfs", sysfs), ("path.rootfs", rootfs), ("path.udev.data", udevData),
            ("collector.textfile.directory", textfileDirectory), ("collector.diskstats.device-exclude", diskstatsDeviceExclude),
            ("collector.diskstats.device-include", diskstatsDeviceInclude),
            ("collector.filesystem.mount-points-exclude", mountPointsExclude), ("collector.filesystem.fs-types-exclude", fsTypesExclude),
            ("collector.netdev.device-exclude", netdevDeviceExclude), ("collector.netdev.device-include", netdevDeviceInclude),
            ("collector.netstat.fields", netstatFields), ("collector.vmstat.fields", vmstatFields),
            ("collector.container.pod-logs", containerPodLogs), ("collector.container.kubeconfig", containerKubeconfig),
            ("collector.gpu.nvidia-smi", nvidiaSMI),
        ]
        for (name, value) in given {
            if let value { values.values[name] = value }
        }
        return values
    }

    /// The options these flags describe (``validate()`` has refused the only conflict).
    var options: NodeCollectorOptions {
        (try? NodeCollectorOptions(flags: values)) ?? NodeCollectorOptions()
    }

    /// The flags as given, for `/api/v1/status/flags`.
    var flags: [(name: String, value: String)] {
        var flags: [(name: String, value: String)] = [
            ("collector.disable-defaults", String(disableDefaults)), ("path.procfs", procfs), ("path.sysfs", sysfs),
            ("path.rootfs", rootfs), ("collector.textfile.directory", textfileDirectory),
        ]
        for (name, choice) in choices {
            if let choice { flags.append(("collector." + name, String(choice))) }
        }
        return flags
    }
}
