/// A core/v1 Endpoints object: a service's ready and not-ready addresses by port set.
public struct Endpoints: KubernetesObject {
    /// Where endpoints live.
    public static let resource = KubernetesResource(group: "", version: "v1", plural: "endpoints", namespaced: true)
    /// Name (the service's), namespace, labels.
    public var metadata: ObjectMeta
    /// The address/port sets.
    public var subsets: [Subset]?

    /// An endpoints object.
    public init(metadata: ObjectMeta, subsets: [Subset]? = nil) {
        self.metadata = metadata
        self.subsets = subsets
    }

    /// Addresses sharing a set of ports.
    public struct Subset: Sendable, Hashable, Codable {
        /// Ready addresses.
        public var addresses: [Address]?
        /// Addresses not ready yet.
        public var notReadyAddresses: [Address]?
        /// The ports every address serves.
        public var ports: [Port]?
    }

    /// One endpoint address.
    public struct Address: Sendable, Hashable, Codable {
        /// The IP.
        public var ip: String
        /// The hostname, when set.
        public var hostname: String?
        /// The node hosting the endpoint.
        public var nodeName: String?
        /// The object behind the address (usually a Pod).
        public var targetRef: ObjectReference?
    }

    /// One endpoint port.
    public struct Port: Sendable, Hashable, Codable {
        /// The port's name.
        public var name: String?
        /// The port number.
        public var port: Int
        /// `TCP`, `UDP` or `SCTP`.
        public var `protocol`: String?
    }
}
