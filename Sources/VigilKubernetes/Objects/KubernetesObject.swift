/// An API resource: where its objects live on the API server.
public struct KubernetesResource: Sendable, Hashable, CustomStringConvertible {
    /// The API group; empty for the core group.
    public var group: String
    /// The version (`v1`).
    public var version: String
    /// The plural resource name in URLs (`pods`, `endpointslices`).
    public var plural: String
    /// Whether objects live in namespaces.
    public var namespaced: Bool

    /// A resource of `group`/`version` called `plural`.
    public init(group: String, version: String, plural: String, namespaced: Bool) {
        self.group = group
        self.version = version
        self.plural = plural
        self.namespaced = namespaced
    }

    /// The collection path: `/api/v1/pods`, `/api/v1/namespaces/ns/pods`,
    /// `/apis/discovery.k8s.io/v1/namespaces/ns/endpointslices`; `namespace` nil or empty means all.
    public func path(namespace: String?) -> String {
        let prefix = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace, !namespace.isEmpty { return "\(prefix)/namespaces/\(namespace)/\(plural)" }
        return "\(prefix)/\(plural)"
    }

    /// `group/version/plural` (`v1/pods` for the core group).
    public var description: String { group.isEmpty ? "\(version)/\(plural)" : "\(group)/\(version)/\(plural)" }
}

/// A typed Kubernetes object Vigil lists and watches.
public protocol KubernetesObject: Codable, Sendable, Hashable {
    /// Where objects of this type live.
    static var resource: KubernetesResource { get }
    /// The object's metadata.
    var metadata: ObjectMeta { get }
}

extension KubernetesObject {
    /// The cache key: `namespace/name`, or `name` for cluster-scoped objects (client-go's
    /// `MetaNamespaceKeyFunc`).
    public var key: String { ObjectKey(metadata).description }
}

/// `namespace/name` of an object, the key of informer stores.
public struct ObjectKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The namespace; empty for cluster-scoped objects.
    public var namespace: String
    /// The name.
    public var name: String

    /// The key of `namespace`/`name`.
    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// The key of an object's metadata.
    public init(_ metadata: ObjectMeta) {
        self.init(namespace: metadata.namespace, name: metadata.name)
    }

    /// `namespace/name`, or `name` alone when there is no namespace.
    public var description: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }

    /// Orders by namespace, then name.
    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name)
    }
}

/// A page of a list answer (`PodList`, …).
public struct ObjectList<Object: Decodable & Sendable>: Sendable, Decodable {
    /// The list's resource version and continue token.
    public var metadata: ListMeta
    /// The objects of this page.
    public var items: [Object]

    enum CodingKeys: String, CodingKey { case metadata, items }

    /// Decodes; a `null` item list is empty, as the API server writes it for no objects.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try container.decodeIfPresent(ListMeta.self, forKey: .metadata) ?? ListMeta()
        items = try container.decodeIfPresent([Object].self, forKey: .items) ?? []
    }
}
