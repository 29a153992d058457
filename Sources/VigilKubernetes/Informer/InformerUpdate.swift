public import VigilModel

/// One change an informer saw, after de-duplication against its store.
public enum InformerEvent<Object: KubernetesObject>: Sendable, Hashable {
    /// A new object.
    case added(Object)
    /// An object whose resource version changed; `old` is what the store held before.
    case updated(old: Object, new: Object)
    /// An object that is gone; this is its last known state.
    case deleted(Object)

    /// The object the event is about (the new state of an update).
    public var object: Object {
        switch self {
        case .added(let object), .deleted(let object): object
        case .updated(_, let new): new
        }
    }
}

/// What an informer hands each consumer: the changes since the last update, and the whole store
/// after them (a copy-on-write dictionary, cheap to pass).
public struct InformerUpdate<Object: KubernetesObject>: Sendable {
    /// The changes, in the order they happened; empty on a sync that changed nothing.
    public var events: [InformerEvent<Object>]
    /// Every object the informer holds after these events, by `namespace/name`.
    public var store: [ObjectKey: Object]
}

/// Tuning of an informer's list-and-watch loop; the defaults are client-go's.
public struct InformerSettings: Sendable, Hashable {
    /// The page size of lists.
    public var pageSize: Int
    /// The `timeoutSeconds` of each watch is drawn from this range, so the server ends watches
    /// at different times.
    public var watchTimeoutSeconds: ClosedRange<Int>
    /// How long past its timeout a watch may stay silent before it is declared stalled.
    public var stallGrace: Duration
    /// The backoff after failures.
    public var backoff: Backoff

    /// Settings with client-go's defaults: 500 per page, watches of 5–10 minutes, 0.8 s to 30 s backoff.
    public init(
        pageSize: Int = 500, watchTimeoutSeconds: ClosedRange<Int> = 300...600, stallGrace: Duration = .seconds(30),
        backoff: Backoff = Backoff()
    ) {
        self.pageSize = pageSize
        self.watchTimeoutSeconds = watchTimeoutSeconds
        self.stallGrace = stallGrace
        self.backoff = backoff
    }
}

/// Counts of what an informer's loop did, for self-metrics and tests.
public struct InformerStatistics: Sendable, Hashable {
    /// Complete lists (all pages) done.
    public var lists = 0
    /// Watches started.
    public var watches = 0
    /// Relists forced by an expired resource version (410).
    public var expired = 0
    /// Relists forced by a watch that closed early without sending anything.
    public var silentCloses = 0
    /// Relists forced by a watch that stalled.
    public var stalls = 0
    /// Other failures (connection refused, HTTP errors, bad JSON).
    public var failures = 0
}
