/// A core/v1 Node: addresses, the kubelet's port and the provider id.
public struct Node: KubernetesObject {
    /// Where nodes live (cluster-scoped).
    public static let resource = KubernetesResource(group: "", version: "v1", plural: "nodes", namespaced: false)
    /// Name, labels, annotations.
    public var metadata: ObjectMeta
    /// The node's spec.
    public var spec: Spec?
    /// The node's status.
    public var status: Status?

    /// A node.
    public init(metadata: ObjectMeta, spec: Spec? = nil, status: Status? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// `spec`.
    public struct Spec: Sendable, Hashable, Codable {
        /// The cloud provider's id of the machine.
        public var providerID: String?
    }

    /// `status`.
    public struct Status: Sendable, Hashable, Codable {
        /// The node's addresses by type.
        public var addresses: [Address]?
        /// Where the node's daemons listen.
        public var daemonEndpoints: DaemonEndpoints?
    }

    /// One address (`InternalIP`, `ExternalIP`, `Hostname`, …).
    public struct Address: Sendable, Hashable, Codable {
        /// The address type.
        public var type: String
        /// The address.
        public var address: String
    }

    /// `status.daemonEndpoints`.
    public struct DaemonEndpoints: Sendable, Hashable, Codable {
        /// The kubelet's endpoint.
        public var kubeletEndpoint: Port?
    }

    /// `{"Port": n}` — the API writes this field capitalised.
    public struct Port: Sendable, Hashable, Codable {
        /// The port.
        public var port: Int?

        enum CodingKeys: String, CodingKey { case port = "Port" }
    }
}
