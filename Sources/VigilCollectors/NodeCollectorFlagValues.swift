/// node_exporter's command-line flags as a parser hands them over, before they become
/// ``NodeCollectorOptions``: `vigil agent`/`vigil server` (swift-argument-parser) and
/// `vigil-agent` (a small parser of its own, to stay free of Foundation) both fill one, so the
/// defaults and the rules between flags live in one place.
public struct NodeCollectorFlagValues: Sendable, Equatable {
    /// `--collector.disable-defaults`.
    public var disableDefaults = false
    /// `--collector.<name>` (true) and `--no-collector.<name>` (false), by collector name.
    public var collectors: [String: Bool] = [:]
    /// `--[no-]collector.cpu.guest`.
    public var cpuGuest = true
    /// The value flags given, by name without dashes (``NodeCollectorOptions/valueFlags``).
    public var values: [String: String] = [:]

    /// No flag given.
    public init() {}
}

extension NodeCollectorOptions {
    /// One value flag: its name without dashes, its help and the name of its value.
    public struct ValueFlag: Sendable {
        /// `path.procfs`.
        public let name: String
        /// One sentence.
        public let help: String
        /// `path`, `dir`, `regex`, `file`.
        public let valueName: String
    }

    /// Every value flag the node collector takes, with node_exporter's names.
    public static let valueFlags: [ValueFlag] = [
        ValueFlag(name: "path.procfs", help: "procfs mount point.", valueName: "path"),
        ValueFlag(name: "path.sysfs", help: "sysfs mount point.", valueName: "path"),
        ValueFlag(name: "path.rootfs", help: "rootfs mount point (the host's / inside a container).", valueName: "path"),
        ValueFlag(name: "path.udev.data", help: "udev data path.", valueName: "path"),
        ValueFlag(name: "collector.textfile.directory", help: "Directory to read *.prom files from.", valueName: "dir"),
        ValueFlag(name: "collector.diskstats.device-exclude", help: "Regexp of diskstats devices to exclude.", valueName: "regex"),
        ValueFlag(name: "collector.diskstats.device-include", help: "Regexp of diskstats devices to include.", valueName: "regex"),
        ValueFlag(
            name: "collector.filesystem.mount-points-exclude", help: "Regexp of mount points to exclude for the filesystem collector.",
            valueName: "regex"),
        ValueFlag(
            name: "collector.filesystem.fs-types-exclude", help: "Regexp of filesystem types to exclude for the filesystem collector.",
            valueName: "regex"),
        ValueFlag(name: "collector.netdev.device-exclude", help: "Regexp of net devices to exclude.", valueName: "regex"),
        ValueFlag(name: "collector.netdev.device-include", help: "Regexp of net devices to include.", valueName: "regex"),
        ValueFlag(name: "collector.netstat.fields", help: "Regexp of fields to return for the netstat collector.", valueName: "regex"),
        ValueFlag(name: "collector.vmstat.fields", help: "Regexp of fields to return for the vmstat collector.", valueName: "regex"),
        ValueFlag(
            name: "collector.container.pod-logs", help: "Directory (under --path.rootfs) whose pods/ and containers/ name the node's pods.",
            valueName: "dir"),
        ValueFlag(
            name: "collector.container.kubeconfig",
            help:
                "Kubeconfig of the API server that lists this node's pods (NODE_NAME) for the container labels, image included; in a pod, the service account is used without it.",
            valueName: "file"),
        ValueFlag(name: "collector.gpu.nvidia-smi", help: "The nvidia-smi program (looked up in PATH).", valueName: "path"),
    ]

    /// The help of the value flag `name`.
    public static func help(for name: String) -> String {
        valueFlags.first { $0.name == name }?.help ?? ""
    }

    /// The options `flags` describe, with node_exporter 1.5's defaults for what they leave out.
    ///
    /// - Throws: ``CollectorError`` when an include and an exclude pattern are both given.
    public init(flags: NodeCollectorFlagValues) throws(CollectorError) {
        self.init()
        let value = { (name: String) in flags.values[name] }
        for pair in [("diskstats.device", "diskstats"), ("netdev.device", "netdev")]
        where value("collector.\(pair.0)-exclude") != nil && value("collector.\(pair.0)-include") != nil {
            throw .malformed(
                "--collector.\(pair.0)-exclude", "--collector.\(pair.0)-exclude and --collector.\(pair.0)-include are mutually exclusive")
        }
        paths = NodePaths(
            procfs: value("path.procfs") ?? "/proc", sysfs: value("path.sysfs") ?? "/sys", rootfs: value("path.rootfs") ?? "/",
            udevData: value("path.udev.data") ?? "/run/udev/data")
        enabled = Set(
            Self.available.filter { flags.collectors[$0.name] ?? ($0.enabledByDefault && !flags.disableDefaults) }.map(\.name))
        // An include pattern replaces the default exclude, as in node_exporter.
        if let include = value("collector.diskstats.device-include") {
            diskstatsDeviceInclude = include
            diskstatsDeviceExclude = nil
        } else if let exclude = value("collector.diskstats.device-exclude") {
            diskstatsDeviceExclude = exclude
        }
        netdevDeviceExclude = value("collector.netdev.device-exclude")
        netdevDeviceInclude = value("collector.netdev.device-include")
        mountPointsExclude = value("collector.filesystem.mount-points-exclude") ?? mountPointsExclude
        fsTypesExclude = value("collector.filesystem.fs-types-exclude") ?? fsTypesExclude
        netstatFields = value("collector.netstat.fields") ?? netstatFields
        vmstatFields = value("collector.vmstat.fields") ?? vmstatFields
        textfileDirectory = value("collector.textfile.directory") ?? textfileDirectory
        cpuGuest = flags.cpuGuest
        containerPodLogs = value("collector.container.pod-logs") ?? containerPodLogs
        containerKubeconfig = value("collector.container.kubeconfig")
        nvidiaSMI = value("collector.gpu.nvidia-smi") ?? nvidiaSMI
    }
}
