/// What the node collector collects and where it reads: node_exporter 1.5's flags as values.
///
/// Every default is node_exporter's, except that the netdev collector excludes no device
/// (Debian's package patches in `^lo$`; upstream excludes none).
public struct NodeCollectorOptions: Sendable, Equatable {
    /// Every collector Vigil implements, with whether it is on by default: node_exporter's (all
    /// on by default there), plus `container` (cAdvisor's metrics) and `gpu` (DCGM's names).
    public static let available: [(name: String, enabledByDefault: Bool)] = [
        ("conntrack", true), ("container", true), ("cpu", true), ("diskstats", true), ("entropy", true), ("filefd", true),
        ("filesystem", true), ("gpu", true), ("hwmon", true), ("loadavg", true), ("meminfo", true), ("netdev", true),
        ("netstat", true), ("nvme", true), ("os", true), ("pressure", true), ("sockstat", true),
        ("stat", true), ("textfile", true), ("thermal_zone", true), ("time", true), ("timex", true),
        ("uname", true), ("vmstat", true),
    ]

    /// node_exporter's `--collector.diskstats.device-exclude` default.
    public static let defaultDiskstatsDeviceExclude = #"^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$"#
    /// node_exporter's `--collector.filesystem.mount-points-exclude` default.
    public static let defaultMountPointsExclude = #"^/(dev|proc|run|sys|mnt|media|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)"#
    /// node_exporter's `--collector.filesystem.fs-types-exclude` default.
    public static let defaultFSTypesExclude =
        #"^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$"#
    /// node_exporter's `--collector.netstat.fields` default.
    public static let defaultNetstatFields =
        #"^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$"#
    /// node_exporter's `--collector.vmstat.fields` default.
    public static let defaultVmstatFields = #"^(oom_kill|pgpg|pswp|pg.*fault).*"#
    /// node_exporter's `--collector.textfile.directory` default (empty: the collector reads nothing).
    public static let defaultTextfileDirectory = ""

    /// Where procfs, sysfs, the root file system and udev's data are.
    public var paths = NodePaths()
    /// The collectors that run, by name.
    public var enabled: Set<String> = Set(available.filter(\.enabledByDefault).map(\.name))
    /// `--collector.diskstats.device-exclude`.
    public var diskstatsDeviceExclude: String? = defaultDiskstatsDeviceExclude
    /// `--collector.diskstats.device-include` (exclusive with the exclude pattern).
    public var diskstatsDeviceInclude: String?
    /// `--collector.filesystem.mount-points-exclude`.
    public var mountPointsExclude = defaultMountPointsExclude
    /// `--collector.filesystem.fs-types-exclude`.
    public var fsTypesExclude = defaultFSTypesExclude
    /// `--collector.netdev.device-exclude`.
    public var netdevDeviceExclude: String?
    /// `--collector.netdev.device-include` (exclusive with the exclude pattern).
    public var netdevDeviceInclude: String?
    /// `--collector.netstat.fields`.
    public var netstatFields = defaultNetstatFields
    /// `--collector.vmstat.fields`.
    public var vmstatFields = defaultVmstatFields
    /// `--collector.textfile.directory`: `*.prom` files in it are exposed; empty reads nothing.
    public var textfileDirectory = defaultTextfileDirectory
    /// `--collector.container.pod-logs`: the directory (under the rootfs) whose `pods/` and
    /// `containers/` name the node's pods and containers for the container collector's labels.
    public var containerPodLogs = "/var/log"
    /// `--collector.container.kubeconfig`: a kubeconfig whose API server lists this node's pods
    /// (`NODE_NAME`) for the `image` label and for pods without log directories. Without it, the
    /// in-cluster service account is used when the agent runs in a pod.
    public var containerKubeconfig: String?
    /// `--collector.gpu.nvidia-smi`: the nvidia-smi program, looked up in `PATH` by default.
    public var nvidiaSMI = "nvidia-smi"
    /// `--collector.cpu.guest`: expose `node_cpu_guest_seconds_total` (on by default).
    public var cpuGuest = true

    /// node_exporter's defaults.
    public init() {}

    /// Whether `name` is a collector Vigil implements.
    public static func isKnown(_ name: String) -> Bool {
        available.contains { $0.name == name }
    }
}
