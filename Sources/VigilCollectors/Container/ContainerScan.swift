/// One reading of every cgroup on the host with the names cAdvisor would give it: what the
/// container collector and `/metrics/resource` both render.
public struct ContainerScan: Sendable {
    /// One cgroup.
    public struct Entry: Sendable {
        /// The cgroup path from the root (cAdvisor's `id` label): `/`, `/kubepods/burstable/pod…/…`.
        public var id: String
        /// What the path says about Kubernetes, when it is a pod's or a container's cgroup.
        public var kubernetes: KubernetesCgroup?
        /// The pod, when the metadata source knows the path's pod UID.
        public var pod: PodDirectory.Pod?
        /// The container, when the metadata source knows the path's container ID.
        public var container: PodDirectory.Container?
        /// The cgroup's statistics.
        public var stats: CgroupStats
        /// Interface counters of the cgroup's network namespace (`/proc/<pid>/net/dev` columns),
        /// on the first cgroup found in each namespace other than the host's: for a pod, its own cgroup.
        public var network: [(String, [UInt64])] = []
    }

    /// The cgroups, parents before children.
    public var entries: [Entry]
    /// When the files were read, milliseconds since the epoch.
    public var timestamp: Int64
    /// Whether a cgroup hierarchy was found at all.
    public var hierarchyFound: Bool
}
