/// A core/v1 Event.
public struct Event: KubernetesObject {
    /// Where core events live.
    public static let resource = KubernetesResource(group: "", version: "v1", plural: "events", namespaced: true)
    /// The event object's own name, namespace and version.
    public var metadata: ObjectMeta
    /// The object the event is about.
    public var involvedObject: ObjectReference?
    /// A short machine-readable reason (`BackOff`).
    public var reason: String?
    /// A human-readable message.
    public var message: String?
    /// Who reported it.
    public var source: Source?
    /// First time seen (RFC 3339).
    public var firstTimestamp: String?
    /// Last time seen (RFC 3339).
    public var lastTimestamp: String?
    /// How many times it was seen.
    public var count: Int?
    /// `Normal` or `Warning`.
    public var type: String?
    /// When it was first observed (MicroTime), set by newer reporters.
    public var eventTime: String?
    /// Series data for repeated events.
    public var series: Series?
    /// What action was taken.
    public var action: String?
    /// A second object the event is about.
    public var related: ObjectReference?
    /// The reporting controller (Go's `ReportingController`, JSON `reportingComponent`).
    public var reportingComponent: String?
    /// The reporting instance.
    public var reportingInstance: String?

    /// `source`.
    public struct Source: Sendable, Hashable, Codable {
        /// The component (`kubelet`).
        public var component: String?
        /// The host.
        public var host: String?
    }

    /// `series` of a repeated event.
    public struct Series: Sendable, Hashable, Codable {
        /// How many times seen in the series.
        public var count: Int?
        /// When last seen (MicroTime).
        public var lastObservedTime: String?
    }
}

/// An events.k8s.io/v1 Event: the newer shape, with fields renamed from core/v1.
public struct EventV1: KubernetesObject {
    /// Where events.k8s.io events live.
    public static let resource = KubernetesResource(group: "events.k8s.io", version: "v1", plural: "events", namespaced: true)
    /// The event object's own name, namespace and version.
    public var metadata: ObjectMeta
    /// When it was first observed (MicroTime, required).
    public var eventTime: String?
    /// Series data for repeated events.
    public var series: Event.Series?
    /// The reporting controller.
    public var reportingController: String?
    /// The reporting instance.
    public var reportingInstance: String?
    /// What action was taken.
    public var action: String?
    /// A short machine-readable reason.
    public var reason: String?
    /// The object the event is about (core/v1's `involvedObject`).
    public var regarding: ObjectReference?
    /// A second object.
    public var related: ObjectReference?
    /// A human-readable message (core/v1's `message`).
    public var note: String?
    /// `Normal` or `Warning`.
    public var type: String?
    /// core/v1's `source`.
    public var deprecatedSource: Event.Source?
    /// core/v1's `firstTimestamp`.
    public var deprecatedFirstTimestamp: String?
    /// core/v1's `lastTimestamp`.
    public var deprecatedLastTimestamp: String?
    /// core/v1's `count`.
    public var deprecatedCount: Int?
}
