/// A core/v1 Namespace.
public struct Namespace: KubernetesObject {
    /// Where namespaces live (cluster-scoped).
    public static let resource = KubernetesResource(group: "", version: "v1", plural: "namespaces", namespaced: false)
    /// Name, labels, annotations.
    public var metadata: ObjectMeta
    /// The namespace's status.
    public var status: Status?

    /// A namespace.
    public init(metadata: ObjectMeta, status: Status? = nil) {
        self.metadata = metadata
        self.status = status
    }

    /// `status`.
    public struct Status: Sendable, Hashable, Codable {
        /// `Active` or `Terminating`.
        public var phase: String?
    }
}
