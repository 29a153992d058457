/// A core/v1 Pod, with the fields discovery and events read.
public struct Pod: KubernetesObject {
    /// Where pods live.
    public static let resource = KubernetesResource(group: "", version: "v1", plural: "pods", namespaced: true)
    /// Name, namespace, labels, annotations, owners.
    public var metadata: ObjectMeta
    /// What should run.
    public var spec: Spec?
    /// What runs.
    public var status: Status?

    /// A pod.
    public init(metadata: ObjectMeta, spec: Spec? = nil, status: Status? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// `spec`: containers and the node the pod is bound to.
    public struct Spec: Sendable, Hashable, Codable {
        /// The node the pod is scheduled on.
        public var nodeName: String?
        /// The app containers.
        public var containers: [Container]?
        /// The init containers.
        public var initContainers: [Container]?
    }

    /// One container of the pod spec.
    public struct Container: Sendable, Hashable, Codable {
        /// The container's name.
        public var name: String
        /// The image reference.
        public var image: String?
        /// The declared ports.
        public var ports: [ContainerPort]?
    }

    /// A declared container port.
    public struct ContainerPort: Sendable, Hashable, Codable {
        /// The port's name (optional in the API).
        public var name: String?
        /// The port number.
        public var containerPort: Int
        /// `TCP`, `UDP` or `SCTP`; the API server defaults it to TCP.
        public var `protocol`: String?
    }

    /// `status`: phase, addresses, conditions, container ids.
    public struct Status: Sendable, Hashable, Codable {
        /// `Pending`, `Running`, `Succeeded`, `Failed`, `Unknown`.
        public var phase: String?
        /// The pod's primary IP; absent until it starts.
        public var podIP: String?
        /// The node's IP.
        public var hostIP: String?
        /// The pod's conditions (`Ready`, …).
        public var conditions: [Condition]?
        /// App container states.
        public var containerStatuses: [ContainerStatus]?
        /// Init container states.
        public var initContainerStatuses: [ContainerStatus]?
    }

    /// A pod condition.
    public struct Condition: Sendable, Hashable, Codable {
        /// The condition type (`Ready`).
        public var type: String
        /// `True`, `False` or `Unknown`.
        public var status: String?
    }

    /// A container's runtime state, of which Vigil reads the id and the image.
    public struct ContainerStatus: Sendable, Hashable, Codable {
        /// The container's name.
        public var name: String
        /// `containerd://…`, empty until it starts.
        public var containerID: String?
        /// The image the runtime runs, as the kubelet reports it (`docker.io/library/nginx:1.25`).
        public var image: String?
    }
}
