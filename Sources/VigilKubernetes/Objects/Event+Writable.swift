/// Core/v1 Events are written too: the kernel-problem rules report on the Node, as
/// node-problem-detector does.
extension Event: KubernetesWritableObject {
    /// `Event`.
    public static let kind = "Event"
}

extension Event {
    /// An event with `metadata` and nothing else set yet.
    public init(metadata: ObjectMeta) {
        self.metadata = metadata
        involvedObject = nil
        reason = nil
        message = nil
        source = nil
        firstTimestamp = nil
        lastTimestamp = nil
        count = nil
        type = nil
        eventTime = nil
        series = nil
        action = nil
        related = nil
        reportingComponent = nil
        reportingInstance = nil
    }
}

extension Event.Source {
    /// The component (and host) that reported.
    public init(reportedBy component: String, on host: String?) {
        self.component = component
        self.host = host
    }
}

extension ObjectReference {
    /// A reference by kind and name (and namespace, uid where the kind has them).
    public init(kind: String, namespace: String? = nil, name: String, uid: String? = nil) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
        apiVersion = nil
        resourceVersion = nil
        fieldPath = nil
    }
}
