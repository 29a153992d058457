/// A resource in an API group: `pods`, `deployments.apps`.
public struct GroupResource: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The API group, empty for the core group.
    public var group: String
    /// The resource, plural once normalized.
    public var resource: String

    /// A group and resource.
    public init(group: String = "", resource: String) {
        self.group = group
        self.resource = resource
    }

    /// `resource.group`, or `resource` in the core group (apimachinery's `GroupResource.String`).
    public var description: String { group.isEmpty ? resource : resource + "." + group }

    /// Ordered by the printed form.
    public static func < (lhs: GroupResource, rhs: GroupResource) -> Bool { lhs.description < rhs.description }

    static let namespaces = GroupResource(resource: "namespaces")
    static let nodes = GroupResource(resource: "nodes")
    static let persistentVolumes = GroupResource(resource: "persistentvolumes")

    /// The root-scoped resources the adapter never treats as namespaced.
    var isRootScopedByAdapter: Bool { self == .namespaces || self == .nodes || self == .persistentVolumes }
}

/// The kinds of Kubernetes object the adapter can attach metrics to: what its RESTMapper learns
/// from the API server's discovery. Vigil ships the built-in kinds; add custom resources with
/// ``adding(_:)``.
public struct KubernetesResourceTable: Sendable, Hashable {
    /// One kind of object.
    public struct Entry: Sendable, Hashable {
        /// API group, empty for core.
        public var group: String
        /// The preferred version (`v1`).
        public var version: String
        /// Plural resource name (`pods`).
        public var plural: String
        /// Singular resource name (`pod`).
        public var singular: String
        /// The kind (`Pod`).
        public var kind: String

        /// An entry from its parts.
        public init(group: String, version: String, plural: String, singular: String, kind: String) {
            self.group = group
            self.version = version
            self.plural = plural
            self.singular = singular
            self.kind = kind
        }

        var groupResource: GroupResource { GroupResource(group: group, resource: plural) }
    }

    /// The entries, in the priority order a bare resource name resolves in (core first).
    public private(set) var entries: [Entry]

    /// A table of `entries`.
    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// This table with `entry` added after the others.
    public func adding(_ entry: Entry) -> KubernetesResourceTable {
        KubernetesResourceTable(entries: entries + [entry])
    }

    /// The built-in kinds an HPA or a rule commonly names.
    public static let standard = KubernetesResourceTable(entries: [
        Entry(group: "", version: "v1", plural: "pods", singular: "pod", kind: "Pod"),
        Entry(group: "", version: "v1", plural: "nodes", singular: "node", kind: "Node"),
        Entry(group: "", version: "v1", plural: "namespaces", singular: "namespace", kind: "Namespace"),
        Entry(group: "", version: "v1", plural: "services", singular: "service", kind: "Service"),
        Entry(group: "", version: "v1", plural: "endpoints", singular: "endpoints", kind: "Endpoints"),
        Entry(group: "", version: "v1", plural: "persistentvolumes", singular: "persistentvolume", kind: "PersistentVolume"),
        Entry(
            group: "", version: "v1", plural: "persistentvolumeclaims", singular: "persistentvolumeclaim",
            kind: "PersistentVolumeClaim"),
        Entry(group: "", version: "v1", plural: "configmaps", singular: "configmap", kind: "ConfigMap"),
        Entry(group: "", version: "v1", plural: "secrets", singular: "secret", kind: "Secret"),
        Entry(group: "", version: "v1", plural: "serviceaccounts", singular: "serviceaccount", kind: "ServiceAccount"),
        Entry(
            group: "", version: "v1", plural: "replicationcontrollers", singular: "replicationcontroller",
            kind: "ReplicationController"),
        Entry(group: "apps", version: "v1", plural: "deployments", singular: "deployment", kind: "Deployment"),
        Entry(group: "apps", version: "v1", plural: "statefulsets", singular: "statefulset", kind: "StatefulSet"),
        Entry(group: "apps", version: "v1", plural: "daemonsets", singular: "daemonset", kind: "DaemonSet"),
        Entry(group: "apps", version: "v1", plural: "replicasets", singular: "replicaset", kind: "ReplicaSet"),
        Entry(group: "batch", version: "v1", plural: "jobs", singular: "job", kind: "Job"),
        Entry(group: "batch", version: "v1", plural: "cronjobs", singular: "cronjob", kind: "CronJob"),
        Entry(
            group: "autoscaling", version: "v2", plural: "horizontalpodautoscalers", singular: "horizontalpodautoscaler",
            kind: "HorizontalPodAutoscaler"),
        Entry(group: "networking.k8s.io", version: "v1", plural: "ingresses", singular: "ingress", kind: "Ingress"),
        Entry(group: "policy", version: "v1", plural: "poddisruptionbudgets", singular: "poddisruptionbudget", kind: "PodDisruptionBudget"),
    ])

    /// The entry a group and resource (singular or plural, any case) name — the RESTMapper's
    /// `ResourceFor`; an empty group matches any group, core first.
    public func entry(for groupResource: GroupResource) -> Entry? {
        let resource = groupResource.resource.lowercased()
        let group = groupResource.group.lowercased()
        return entries.first { entry in
            (group.isEmpty || entry.group == group) && (entry.plural == resource || entry.singular == resource)
        }
    }

    /// The canonical (plural, full group) form of `groupResource`; nil when unknown.
    public func normalize(_ groupResource: GroupResource) -> GroupResource? {
        entry(for: groupResource)?.groupResource
    }

    /// The table in force while a config is decoded.
    @TaskLocal static var decoding = KubernetesResourceTable.standard
}
