/// One API group the aggregated API listener serves: listed in `/apis`, and every request under
/// `/apis/<name>` handed to ``handle``.
///
/// metrics.k8s.io is one (``ResourceMetricsAPI/group``); custom.metrics.k8s.io and
/// external.metrics.k8s.io plug in the same way.
public struct AggregatedAPIGroup: Sendable {
    /// The group name (`metrics.k8s.io`).
    public var name: String
    /// The versions served, preferred first (`["v1beta2", "v1beta1"]`).
    public var versions: [String]
    /// Answers a GET of `path` (the full path, e.g.
    /// `/apis/custom.metrics.k8s.io/v1beta2/namespaces/x/pods/*/m`, percent-decoded) with its
    /// decoded query items; returns the status and a JSON body (a `Status` object for errors).
    public var handle: @Sendable (_ path: String, _ query: [(String, String)]) async -> (status: Int, body: [UInt8])

    /// A group; see the properties.
    public init(
        name: String, versions: [String],
        handle: @escaping @Sendable (_ path: String, _ query: [(String, String)]) async -> (status: Int, body: [UInt8])
    ) {
        self.name = name
        self.versions = versions
        self.handle = handle
    }
}
