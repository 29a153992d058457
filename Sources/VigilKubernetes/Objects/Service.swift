/// A core/v1 Service: its type, addresses and ports.
public struct Service: KubernetesObject {
    /// Where services live.
    public static let resource = KubernetesResource(group: "", version: "v1", plural: "services", namespaced: true)
    /// Name, namespace, labels, annotations.
    public var metadata: ObjectMeta
    /// The service's spec.
    public var spec: Spec?

    /// A service.
    public init(metadata: ObjectMeta, spec: Spec? = nil) {
        self.metadata = metadata
        self.spec = spec
    }

    /// `spec`.
    public struct Spec: Sendable, Hashable, Codable {
        /// `ClusterIP`, `NodePort`, `LoadBalancer` or `ExternalName`.
        public var type: String?
        /// The cluster IP (`None` for headless services).
        public var clusterIP: String?
        /// The external name of an `ExternalName` service.
        public var externalName: String?
        /// The requested load-balancer IP.
        public var loadBalancerIP: String?
        /// The service ports.
        public var ports: [Port]?
    }

    /// A service port.
    public struct Port: Sendable, Hashable, Codable {
        /// The port's name.
        public var name: String?
        /// The service port number.
        public var port: Int
        /// `TCP`, `UDP` or `SCTP`.
        public var `protocol`: String?
    }
}
