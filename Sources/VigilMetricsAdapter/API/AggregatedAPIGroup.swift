/// One API group served through the Kubernetes aggregation layer: its name, its versions and
/// the handler of every path under `/apis/<name>`.
///
/// The seam between the metrics APIs and the TLS aggregated API server, which routes
/// `/apis/<name>…` here after authenticating the front proxy.
public struct AggregatedAPIGroup: Sendable {
    /// The group (`custom.metrics.k8s.io`).
    public var name: String
    /// The versions served, preferred first.
    public var versions: [String]
    /// Answers a GET of `path` (the full path, `/apis/custom.metrics.k8s.io/v1beta2/…`) with the
    /// query's decoded pairs: an HTTP status and a JSON body.
    public var handle: @Sendable (_ path: String, _ query: [(String, String)]) async -> (status: Int, body: [UInt8])

    /// A group from its parts.
    public init(
        name: String, versions: [String],
        handle: @escaping @Sendable (_ path: String, _ query: [(String, String)]) async -> (status: Int, body: [UInt8])
    ) {
        self.name = name
        self.versions = versions
        self.handle = handle
    }
}
