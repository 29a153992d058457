import Synchronization
public import VigilKubernetes
public import VigilLogs

/// The log pipeline's pod cache (``PodMetadataSource``) fed by a Kubernetes pod informer: the
/// `kubernetes` log processor reads pod labels, annotations, UID and node from it.
///
/// ``run(_:)`` consumes the informer's updates until cancelled; lookups take a lock briefly and
/// never wait for the API server. Pods the informer has not listed yet are simply unknown.
public final class InformerPodCache: PodMetadataSource {
    private let pods = Mutex<[ObjectKey: PodMetadata]>([:])

    /// An empty cache.
    public init() {}

    /// Follows `informer` (use a node-scoped one: `fieldSelector: spec.nodeName=<node>`).
    public func run(_ informer: SharedInformer<Pod>) async {
        for await update in informer.updates() {
            var snapshot: [ObjectKey: PodMetadata] = [:]
            snapshot.reserveCapacity(update.store.count)
            for (key, pod) in update.store { snapshot[key] = Self.metadata(of: pod) }
            pods.withLock { $0 = snapshot }
        }
    }

    /// The cached metadata of a pod.
    public func pod(namespace: String, name: String) -> PodMetadata? {
        pods.withLock { $0[ObjectKey(namespace: namespace, name: name)] }
    }

    static func metadata(of pod: Pod) -> PodMetadata {
        PodMetadata(
            uid: pod.metadata.uid, labels: pod.metadata.labels, annotations: pod.metadata.annotations,
            nodeName: pod.spec?.nodeName ?? "")
    }
}
