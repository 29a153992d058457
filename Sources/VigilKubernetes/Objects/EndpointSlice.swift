/// A discovery.k8s.io/v1 EndpointSlice.
public struct EndpointSlice: KubernetesObject {
    /// Where endpoint slices live.
    public static let resource = KubernetesResource(
        group: "discovery.k8s.io", version: "v1", plural: "endpointslices", namespaced: true)
    /// Name, namespace, labels (`kubernetes.io/service-name` names the service).
    public var metadata: ObjectMeta
    /// `IPv4`, `IPv6` or `FQDN`.
    public var addressType: String?
    /// The endpoints.
    public var endpoints: [Endpoint]?
    /// The ports every endpoint serves.
    public var ports: [Port]?

    /// An endpoint slice.
    public init(metadata: ObjectMeta, addressType: String? = nil, endpoints: [Endpoint]? = nil, ports: [Port]? = nil) {
        self.metadata = metadata
        self.addressType = addressType
        self.endpoints = endpoints
        self.ports = ports
    }

    /// One endpoint.
    public struct Endpoint: Sendable, Hashable, Codable {
        /// Its addresses (all of the slice's address type).
        public var addresses: [String]?
        /// Readiness conditions.
        public var conditions: Conditions?
        /// The hostname, when set.
        public var hostname: String?
        /// The object behind the endpoint.
        public var targetRef: ObjectReference?
        /// The node hosting it.
        public var nodeName: String?
        /// The zone it is in.
        public var zone: String?
        /// The deprecated topology map (still served by v1 as `deprecatedTopology`).
        public var deprecatedTopology: [String: String]?
    }

    /// `conditions`; each is absent when unknown.
    public struct Conditions: Sendable, Hashable, Codable {
        /// Ready to receive traffic.
        public var ready: Bool?
        /// Serving (even if terminating).
        public var serving: Bool?
        /// Terminating.
        public var terminating: Bool?
    }

    /// A slice port; every field is optional in the API.
    public struct Port: Sendable, Hashable, Codable {
        /// The port's name.
        public var name: String?
        /// The port number.
        public var port: Int?
        /// `TCP`, `UDP` or `SCTP`.
        public var `protocol`: String?
        /// The application protocol.
        public var appProtocol: String?
    }
}
