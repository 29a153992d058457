public import VigilKubernetes
import VigilModel

/// One Kubernetes event in the shape every filter and sink uses, whichever API group it came from.
public struct KubernetesEventRecord: Sendable, Hashable, Codable {
    /// The event object's UID, or `namespace/name` when the server gave none; the dedup key.
    public var identity: String
    /// The event object's namespace.
    public var namespace: String
    /// The event object's name.
    public var name: String
    /// The kind of the object the event is about (`Pod`).
    public var kind: String
    /// The name of the object the event is about.
    public var objectName: String
    /// The namespace of the object the event is about.
    public var objectNamespace: String
    /// The short machine-readable reason (`BackOff`).
    public var reason: String
    /// The human-readable message.
    public var message: String
    /// `Normal` or `Warning` (empty when unset).
    public var type: String
    /// How many times the reporter saw it (1 when unset).
    public var count: Int
    /// The reporting component (`kubelet`).
    public var component: String
    /// The host the reporter runs on.
    public var host: String
    /// When it was last seen, in milliseconds since the epoch; nil when no timestamp parsed.
    public var lastSeenMilliseconds: Int64?
    /// When it was first seen, in milliseconds since the epoch.
    public var firstSeenMilliseconds: Int64?

    /// A record from a core/v1 Event: `series` wins over `count`, and the series' or
    /// `lastTimestamp` over `eventTime` for the last time seen.
    public init(_ event: Event) {
        identity = event.metadata.uid.isEmpty ? ObjectKey(event.metadata).description : event.metadata.uid
        namespace = event.metadata.namespace
        name = event.metadata.name
        kind = event.involvedObject?.kind ?? ""
        objectName = event.involvedObject?.name ?? ""
        objectNamespace = event.involvedObject?.namespace ?? event.metadata.namespace
        reason = event.reason ?? ""
        message = event.message ?? ""
        type = event.type ?? ""
        count = max(event.series?.count ?? event.count ?? 1, 1)
        component = event.source?.component ?? event.reportingComponent ?? ""
        host = event.source?.host ?? event.reportingInstance ?? ""
        let last = [event.series?.lastObservedTime, event.lastTimestamp, event.eventTime, event.firstTimestamp]
        lastSeenMilliseconds = last.lazy.compactMap { $0.flatMap(RFC3339.parse) }.first
        firstSeenMilliseconds = [event.firstTimestamp, event.eventTime].lazy.compactMap { $0.flatMap(RFC3339.parse) }.first
            ?? lastSeenMilliseconds
    }

    /// A record from an events.k8s.io/v1 Event, read through its renamed fields.
    public init(_ event: EventV1) {
        identity = event.metadata.uid.isEmpty ? ObjectKey(event.metadata).description : event.metadata.uid
        namespace = event.metadata.namespace
        name = event.metadata.name
        kind = event.regarding?.kind ?? ""
        objectName = event.regarding?.name ?? ""
        objectNamespace = event.regarding?.namespace ?? event.metadata.namespace
        reason = event.reason ?? ""
        message = event.note ?? ""
        type = event.type ?? ""
        count = max(event.series?.count ?? event.deprecatedCount ?? 1, 1)
        component = event.reportingController ?? event.deprecatedSource?.component ?? ""
        host = event.reportingInstance ?? event.deprecatedSource?.host ?? ""
        let last = [event.series?.lastObservedTime, event.deprecatedLastTimestamp, event.eventTime]
        lastSeenMilliseconds = last.lazy.compactMap { $0.flatMap(RFC3339.parse) }.first
        firstSeenMilliseconds = [event.eventTime, event.deprecatedFirstTimestamp].lazy.compactMap { $0.flatMap(RFC3339.parse) }.first
            ?? lastSeenMilliseconds
    }
}

/// An event object of either API group, readable as a ``KubernetesEventRecord``.
public protocol KubernetesEventConvertible: KubernetesObject {
    /// The normalised record.
    var eventRecord: KubernetesEventRecord { get }
}

extension Event: KubernetesEventConvertible {
    /// The normalised record.
    public var eventRecord: KubernetesEventRecord { KubernetesEventRecord(self) }
}

extension EventV1: KubernetesEventConvertible {
    /// The normalised record.
    public var eventRecord: KubernetesEventRecord { KubernetesEventRecord(self) }
}
