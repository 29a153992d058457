/// The roots node files are read under, as node_exporter's `--path.procfs`, `--path.sysfs`,
/// `--path.rootfs` and `--path.udev.data`: a container pointed at the host's `/proc`, `/sys`
/// and `/` reports the host.
public struct NodePaths: Sendable, Equatable {
    /// The procfs mount point, `/proc` by default.
    public var procfs: String
    /// The sysfs mount point, `/sys` by default.
    public var sysfs: String
    /// The host's root file system, `/` by default; filesystem statistics are taken under it and
    /// mount points are reported with it stripped.
    public var rootfs: String
    /// udev's database of device properties, `/run/udev/data` by default.
    public var udevData: String

    /// The roots, each with node_exporter's default.
    public init(procfs: String = "/proc", sysfs: String = "/sys", rootfs: String = "/", udevData: String = "/run/udev/data") {
        self.procfs = NodePaths.trimmed(procfs)
        self.sysfs = NodePaths.trimmed(sysfs)
        self.rootfs = NodePaths.trimmed(rootfs)
        self.udevData = NodePaths.trimmed(udevData)
    }

    /// `procfs/relative`.
    public func proc(_ relative: String) -> String { NodePaths.join(procfs, relative) }

    /// `sysfs/relative`.
    public func sys(_ relative: String) -> String { NodePaths.join(sysfs, relative) }

    /// `path` under the rootfs (`/home` → `/host/home` with `--path.rootfs=/host`).
    public func root(_ path: String) -> String {
        rootfs == "/" ? path : NodePaths.join(rootfs, path)
    }

    /// A mount point as the host sees it: the rootfs prefix removed (`/host/home` → `/home`).
    public func strippingRoot(_ path: String) -> String {
        guard rootfs != "/", path.hasPrefix(rootfs) else { return path }
        let stripped = String(path.dropFirst(rootfs.count))
        return stripped.isEmpty ? "/" : stripped
    }

    static func join(_ base: String, _ relative: String) -> String {
        if relative.isEmpty { return base }
        if base == "/" { return relative.hasPrefix("/") ? relative : "/" + relative }
        return relative.hasPrefix("/") ? base + relative : base + "/" + relative
    }

    private static func trimmed(_ path: String) -> String {
        var path = path.isEmpty ? "/" : path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
