/// One event of a watch stream (`{"type": …, "object": …}`).
public enum WatchEvent<Object: KubernetesObject>: Sendable, Hashable {
    /// An object was created (or is listed by the watch's initial events).
    case added(Object)
    /// An object changed.
    case modified(Object)
    /// An object was deleted; this is its last state.
    case deleted(Object)
    /// The server has sent everything up to this resource version; nothing else changed.
    case bookmark(resourceVersion: String)

    /// The resource version the client has seen once it handled this event.
    public var resourceVersion: String {
        switch self {
        case .added(let object), .modified(let object), .deleted(let object): object.metadata.resourceVersion
        case .bookmark(let version): version
        }
    }
}
