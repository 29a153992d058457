/// What the log pipeline knows of a pod from the API server (the agent's pod informer cache).
public struct PodMetadata: Sendable, Hashable {
    /// `metadata.uid`.
    public var uid: String
    /// `metadata.labels`.
    public var labels: [String: String]
    /// `metadata.annotations`.
    public var annotations: [String: String]
    /// `spec.nodeName`.
    public var nodeName: String

    /// A pod's metadata.
    public init(uid: String = "", labels: [String: String] = [:], annotations: [String: String] = [:], nodeName: String = "") {
        self.uid = uid
        self.labels = labels
        self.annotations = annotations
        self.nodeName = nodeName
    }

    /// Whether the pod asked not to have its logs collected: `vigil.dev/logs: "false"` or
    /// Fluent Bit's `fluentbit.io/exclude: "true"`.
    public var excludesLogs: Bool {
        annotations["vigil.dev/logs"]?.lowercased() == "false" || annotations["fluentbit.io/exclude"]?.lowercased() == "true"
    }
}

/// Looks pods up by namespace and name; the server wires it to the Kubernetes client's pod
/// informer, tests to a dictionary. Called per line from the reading task: it must not block.
public protocol PodMetadataSource: Sendable {
    /// The pod's metadata, or nil when the cache does not (yet) know it.
    func pod(namespace: String, name: String) -> PodMetadata?
}
