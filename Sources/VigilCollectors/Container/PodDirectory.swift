/// What the node knows about its pods, by pod UID and container ID: the names cAdvisor's
/// `pod`, `namespace`, `container` and `image` labels carry.
///
/// A value: a ``PodMetadataSource`` hands out a fresh one per scrape.
public struct PodDirectory: Sendable, Equatable {
    /// A pod's identity.
    public struct Pod: Sendable, Equatable {
        /// The pod's namespace.
        public var namespace: String
        /// The pod's name.
        public var name: String

        /// A pod called `name` in `namespace`.
        public init(namespace: String, name: String) {
            self.namespace = namespace
            self.name = name
        }
    }

    /// A container's identity.
    public struct Container: Sendable, Equatable {
        /// The container's name in its pod spec.
        public var name: String
        /// The image reference, empty when unknown.
        public var image: String

        /// A container called `name` running `image`.
        public init(name: String, image: String = "") {
            self.name = name
            self.image = image
        }
    }

    /// Pods by UID (with dashes).
    public var pods: [String: Pod]
    /// Containers by runtime ID (64 hex digits, without a `containerd://` prefix).
    public var containers: [String: Container]

    /// A directory of `pods` and `containers`.
    public init(pods: [String: Pod] = [:], containers: [String: Container] = [:]) {
        self.pods = pods
        self.containers = containers
    }

    /// Knows nothing: labels are what the cgroup path gives.
    public static let empty = PodDirectory()
}

/// Where the container collector learns pod and container names: a seam, so the node-local
/// ``PodLogDirectory`` can be replaced by a Kubernetes API client's pod list.
///
/// Called once per scrape from the scraping thread; implementations must be cheap and thread-safe.
public protocol PodMetadataSource: Sendable {
    /// The pods and containers known now.
    func podDirectory() -> PodDirectory
}

/// No metadata: cAdvisor's labels for cgroups it cannot name (`id` only, the rest empty).
public struct NoPodMetadata: PodMetadataSource {
    /// A source that knows nothing.
    public init() {}

    /// ``PodDirectory/empty``.
    public func podDirectory() -> PodDirectory { .empty }
}
