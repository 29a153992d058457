#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
public import Logging
internal import Synchronization
import VigilModel

/// `container`: cAdvisor's `container_*` metrics for every cgroup on the host, from cgroup v2 or
/// the v1 controller hierarchies, labelled `id`, `name`, `container`, `pod`, `namespace`,
/// `image` as the kubelet's cAdvisor labels them.
///
/// `id` is the cgroup path; for a Kubernetes container `name` is its runtime ID, and `container`,
/// `pod`, `namespace` and `image` come from the ``PodMetadataSource`` (empty when it does not
/// know the pod, as cAdvisor leaves them for cgroups that are not containers).
///
/// A file that is missing or unreadable (a cgroup removed mid-scrape, a controller the kernel
/// lacks, permission denied) drops only its series, with a debug log. A counter that reads lower
/// than the last scrape for the same cgroup (a wrapped or reset kernel counter) is left out of
/// that scrape, with a debug log, and taken as the new baseline.
public final class ContainerCollector: Collector {
    /// `container`.
    public let name = "container"
    /// Where pod and container names come from.
    public let metadata: any PodMetadataSource
    private let logger: Logger
    /// The last value of every counter, by cgroup, family and device/interface.
    private let lastCounters = Mutex<[String: UInt64]>([:])
    /// Block device names by `major:minor`.
    private let deviceNames = Mutex<[String: String]>([:])

    /// A collector naming pods and containers from `metadata`.
    public init(metadata: any PodMetadataSource = NoPodMetadata(), logger: Logger) {
        self.metadata = metadata
        self.logger = logger
    }

    /// Reads every cgroup's statistics, its Kubernetes names and its pod's network counters.
    public func scan(paths: NodePaths, reader: inout FileReader) -> ContainerScan {
        let timestamp = ContainerCollector.nowMilliseconds()
        guard let hierarchy = CgroupHierarchy.detect(sysfs: paths.sysfs) else {
            logger.debug("No cgroup file system found", metadata: ["path": "\(paths.sys("fs/cgroup"))"])
            return ContainerScan(entries: [], timestamp: timestamp, hierarchyFound: false)
        }
        let logger = self.logger
        let skipped: (String, CollectorError) -> Void = { path, error in
            logger.debug("Container statistic skipped", metadata: ["path": "\(path)", "err": "\(error.message)"])
        }
        let directory = metadata.podDirectory()
        let hostNamespace = ContainerCollector.networkNamespace(paths.proc("1/ns/net"))
            ?? ContainerCollector.networkNamespace(paths.proc("self/ns/net"))
        var seenNamespaces: Set<String> = []
        if let hostNamespace { seenNamespaces.insert(hostNamespace) }
        var entries: [ContainerScan.Entry] = []
        var indexByID: [String: Int] = [:]
        for (cgroup, controllers) in hierarchy.members(skipped: skipped) {
            let stats = hierarchy.stats(of: cgroup, controllers: controllers, reader: &reader, skipped: skipped)
            let kubernetes = KubernetesCgroup.parse(cgroup)
            let entry = ContainerScan.Entry(
                id: cgroup, kubernetes: kubernetes, pod: kubernetes.flatMap { directory.pods[$0.podUID] },
                container: kubernetes?.containerID.flatMap { directory.containers[$0] }, stats: stats)
            indexByID[cgroup] = entries.count
            entries.append(entry)
            // A namespace's counters go on the first cgroup seen in it; a pod's on the pod's cgroup.
            guard let pid = stats.firstPID, let namespace = ContainerCollector.networkNamespace(paths.proc("\(pid)/ns/net")),
                !seenNamespaces.contains(namespace)
            else { continue }
            seenNamespaces.insert(namespace)
            let path = paths.proc("\(pid)/net/dev")
            do throws(CollectorError) {
                let devices = try NetdevCollector.parse(reader.read(path), path: path).filter { !ContainerCollector.ignoredInterface($0.0) }
                var owner = entries.count - 1
                if let kubernetes, kubernetes.containerID != nil, let podPath = ContainerCollector.podCgroup(of: cgroup),
                    let podIndex = indexByID[podPath]
                {
                    owner = podIndex
                }
                entries[owner].network = devices
            } catch {
                skipped(path, error)
            }
        }
        return ContainerScan(entries: entries, timestamp: timestamp, hierarchyFound: true)
    }

    public func collect(_ context: inout CollectorContext) throws(CollectorError) {
        let scan = scan(paths: context.paths, reader: &context.reader)
        var names: [String: String] = [:]
        for entry in scan.entries {
            for io in entry.stats.io where names[io.device] == nil {
                names[io.device] = deviceName(io.device, paths: context.paths, reader: &context.reader)
            }
        }
        var emitter = ContainerEmitter(
            sink: context.sink, previous: lastCounters.withLock { $0 }, deviceNames: names, logger: logger)
        let lastSeen = Double(scan.timestamp / 1000)
        for entry in scan.entries { emitter.emit(entry, lastSeen: lastSeen) }
        context.sink = emitter.sink
        let current = emitter.current
        lastCounters.withLock { $0 = current }
    }

    /// `/dev/<name>` for a `major:minor`, from sysfs's uevent; the number when unknown.
    private func deviceName(_ device: String, paths: NodePaths, reader: inout FileReader) -> String {
        if let known = deviceNames.withLock({ $0[device] }) { return known }
        var name = device
        if let text = try? reader.read(paths.sys("dev/block/\(device)/uevent")) {
            for line in ByteText.lines(text) where ByteText.hasPrefix(line, "DEVNAME=") {
                name = "/dev/" + ByteText.string(line.dropFirst(8))
            }
        }
        deviceNames.withLock { names in
            if names.count > 4096 { names.removeAll() }
            names[device] = name
        }
        return name
    }

    /// The pod's cgroup above a container's cgroup path.
    static func podCgroup(of path: String) -> String? {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return nil }
        return String(path[..<slash])
    }

    /// cAdvisor leaves out loopback and the host ends of container links.
    static func ignoredInterface(_ name: String) -> Bool {
        name == "lo" || name.hasPrefix("veth") || name.hasPrefix("docker")
    }

    /// The `net:[inode]` link naming a process's network namespace, or nil when unreadable.
    static func networkNamespace(_ path: String) -> String? {
        Directory.linkTarget(path)
    }

    static func nowMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
