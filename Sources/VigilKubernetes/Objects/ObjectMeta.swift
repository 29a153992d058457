/// The `metadata` every Kubernetes object carries (`meta/v1 ObjectMeta`), reduced to what Vigil
/// reads. Unknown fields are ignored, so newer API servers decode fine.
public struct ObjectMeta: Sendable, Hashable, Codable {
    /// The object's name, unique within its namespace.
    public var name: String
    /// The namespace; empty for cluster-scoped objects.
    public var namespace: String
    /// The server-assigned unique id.
    public var uid: String
    /// The opaque version the server bumps on every change; only compared for equality.
    public var resourceVersion: String
    /// The object's labels.
    public var labels: [String: String]
    /// The object's annotations.
    public var annotations: [String: String]
    /// The objects that own this one (a ReplicaSet owning a pod).
    public var ownerReferences: [OwnerReference]
    /// When the object was created (RFC 3339), empty if absent.
    public var creationTimestamp: String

    /// Metadata for an object called `name` in `namespace`.
    public init(
        name: String, namespace: String = "", uid: String = "", resourceVersion: String = "",
        labels: [String: String] = [:], annotations: [String: String] = [:], ownerReferences: [OwnerReference] = [],
        creationTimestamp: String = ""
    ) {
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.labels = labels
        self.annotations = annotations
        self.ownerReferences = ownerReferences
        self.creationTimestamp = creationTimestamp
    }

    enum CodingKeys: String, CodingKey {
        case name, namespace, uid, resourceVersion, labels, annotations, ownerReferences, creationTimestamp
    }

    /// Decodes with every field optional.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        namespace = try container.decodeIfPresent(String.self, forKey: .namespace) ?? ""
        uid = try container.decodeIfPresent(String.self, forKey: .uid) ?? ""
        resourceVersion = try container.decodeIfPresent(String.self, forKey: .resourceVersion) ?? ""
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        annotations = try container.decodeIfPresent([String: String].self, forKey: .annotations) ?? [:]
        ownerReferences = try container.decodeIfPresent([OwnerReference].self, forKey: .ownerReferences) ?? []
        creationTimestamp = try container.decodeIfPresent(String.self, forKey: .creationTimestamp) ?? ""
    }

    /// Encodes only the fields that are set: the API server refuses an empty `creationTimestamp`
    /// and treats an empty `resourceVersion` on an update as "no precondition".
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        if !namespace.isEmpty { try container.encode(namespace, forKey: .namespace) }
        if !uid.isEmpty { try container.encode(uid, forKey: .uid) }
        if !resourceVersion.isEmpty { try container.encode(resourceVersion, forKey: .resourceVersion) }
        if !labels.isEmpty { try container.encode(labels, forKey: .labels) }
        if !annotations.isEmpty { try container.encode(annotations, forKey: .annotations) }
        if !ownerReferences.isEmpty { try container.encode(ownerReferences, forKey: .ownerReferences) }
        if !creationTimestamp.isEmpty { try container.encode(creationTimestamp, forKey: .creationTimestamp) }
    }

    /// The object that controls this one (the owner reference with `controller: true`), if any.
    public var controller: OwnerReference? { ownerReferences.first { $0.controller == true } }
}

/// One entry of `metadata.ownerReferences`.
public struct OwnerReference: Sendable, Hashable, Codable {
    /// The owner's API version (`apps/v1`).
    public var apiVersion: String?
    /// The owner's kind (`ReplicaSet`).
    public var kind: String?
    /// The owner's name.
    public var name: String?
    /// The owner's uid.
    public var uid: String?
    /// Whether the owner is the managing controller.
    public var controller: Bool?

    /// An owner reference.
    public init(apiVersion: String? = nil, kind: String? = nil, name: String? = nil, uid: String? = nil, controller: Bool? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
    }
}

/// A reference to another object (`core/v1 ObjectReference`): an endpoint's pod, an event's subject.
public struct ObjectReference: Sendable, Hashable, Codable {
    /// The referenced object's kind.
    public var kind: String?
    /// Its namespace.
    public var namespace: String?
    /// Its name.
    public var name: String?
    /// Its uid.
    public var uid: String?
    /// Its API version.
    public var apiVersion: String?
    /// The version of the object the reference was made against.
    public var resourceVersion: String?
    /// The part of the object meant (`spec.containers{app}`).
    public var fieldPath: String?
}

/// The `metadata` of a list (`meta/v1 ListMeta`).
public struct ListMeta: Sendable, Hashable, Codable {
    /// The version the list was read at; start a watch from here.
    public var resourceVersion: String?
    /// The token for the next page; absent or empty on the last page.
    public var `continue`: String?
    /// How many items remain after this page, when the server knows.
    public var remainingItemCount: Int?
}
