/// A coordination.k8s.io/v1 Lease, for leader election among replicas.
public struct Lease: KubernetesWritableObject {
    /// `Lease`.
    public static let kind = "Lease"
    /// Where leases live.
    public static let resource = KubernetesResource(
        group: "coordination.k8s.io", version: "v1", plural: "leases", namespaced: true)
    /// Name, namespace, resource version (the optimistic-concurrency token).
    public var metadata: ObjectMeta
    /// Who holds the lease and until when.
    public var spec: Spec?

    /// A lease.
    public init(metadata: ObjectMeta, spec: Spec? = nil) {
        self.metadata = metadata
        self.spec = spec
    }

    /// `spec`.
    public struct Spec: Sendable, Hashable, Codable {
        /// The holder's identity.
        public var holderIdentity: String?
        /// How long a holder keeps the lease without renewing it.
        public var leaseDurationSeconds: Int?
        /// When the current holder acquired it (MicroTime, RFC 3339 with microseconds).
        public var acquireTime: String?
        /// When the holder last renewed it.
        public var renewTime: String?
        /// How many times the lease changed hands.
        public var leaseTransitions: Int?

        /// A spec; every field optional, as the API has them.
        public init(
            holderIdentity: String? = nil, leaseDurationSeconds: Int? = nil, acquireTime: String? = nil,
            renewTime: String? = nil, leaseTransitions: Int? = nil
        ) {
            self.holderIdentity = holderIdentity
            self.leaseDurationSeconds = leaseDurationSeconds
            self.acquireTime = acquireTime
            self.renewTime = renewTime
            self.leaseTransitions = leaseTransitions
        }
    }
}
