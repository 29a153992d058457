/// A networking.k8s.io/v1 Ingress: hosts, paths and TLS hosts.
public struct Ingress: KubernetesObject {
    /// Where ingresses live.
    public static let resource = KubernetesResource(
        group: "networking.k8s.io", version: "v1", plural: "ingresses", namespaced: true)
    /// Name, namespace, labels, annotations.
    public var metadata: ObjectMeta
    /// The ingress's spec.
    public var spec: Spec?

    /// An ingress.
    public init(metadata: ObjectMeta, spec: Spec? = nil) {
        self.metadata = metadata
        self.spec = spec
    }

    /// `spec`.
    public struct Spec: Sendable, Hashable, Codable {
        /// The ingress class.
        public var ingressClassName: String?
        /// TLS sections.
        public var tls: [TLS]?
        /// Host rules.
        public var rules: [Rule]?
    }

    /// A TLS section: the hosts it covers.
    public struct TLS: Sendable, Hashable, Codable {
        /// Hosts, possibly wildcards (`*.example.com`).
        public var hosts: [String]?
    }

    /// A host rule.
    public struct Rule: Sendable, Hashable, Codable {
        /// The host; empty for all hosts.
        public var host: String?
        /// The HTTP paths.
        public var http: HTTP?
    }

    /// `http` of a rule.
    public struct HTTP: Sendable, Hashable, Codable {
        /// The paths.
        public var paths: [Path]
    }

    /// One path of a rule.
    public struct Path: Sendable, Hashable, Codable {
        /// The path; empty means `/`.
        public var path: String?
        /// `Exact`, `Prefix` or `ImplementationSpecific`.
        public var pathType: String?
    }
}
