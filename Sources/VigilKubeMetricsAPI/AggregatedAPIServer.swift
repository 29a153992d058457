/// What the aggregated API listener answers, without the network: health paths for anyone,
/// everything else only for a front-proxy-authenticated request; `/apis` lists the groups and
/// each group answers under `/apis/<name>`.
public struct AggregatedAPIServer: Sendable {
    /// A response: status, content type and body.
    public struct Response: Sendable {
        /// The HTTP status.
        public var status: Int
        /// The content type.
        public var contentType: String
        /// The body.
        public var body: [UInt8]
    }

    private let groups: [AggregatedAPIGroup]
    private let authenticator: FrontProxyAuthenticator

    /// A server for `groups`, authenticating with `authenticator`.
    public init(groups: [AggregatedAPIGroup], authenticator: FrontProxyAuthenticator) {
        self.groups = groups
        self.authenticator = authenticator
    }

    /// The paths kube-apiserver's generic server lets through without authentication.
    static let healthPaths: Set<String> = ["/healthz", "/livez", "/readyz"]

    /// Answers one request. `path` is percent-decoded; `verifiedCommonName` is the common name of
    /// a client certificate the front-proxy CA verified, nil otherwise.
    public func respond(
        method: String, path: String, query: [(String, String)], verifiedCommonName: String?, headers: [(name: String, value: String)]
    ) async -> Response {
        if Self.healthPaths.contains(path) {
            return Response(status: 200, contentType: "text/plain; charset=utf-8", body: Array("ok".utf8))
        }
        guard authenticator.authenticate(verifiedCommonName: verifiedCommonName, headers: headers) != nil else {
            return Self.status(.unauthorized)
        }
        guard method == "GET" || method == "HEAD" else { return Self.status(.methodNotAllowed) }
        if path == "/apis" || path == "/apis/" {
            return Response(status: 200, contentType: "application/json", body: APIDiscovery.groupList(groups))
        }
        if path.hasPrefix("/apis/") {
            let name = path.dropFirst("/apis/".count).prefix { $0 != "/" }
            if let group = groups.first(where: { $0.name == name }) {
                let (status, body) = await group.handle(path, query)
                return Response(status: status, contentType: "application/json", body: body)
            }
        }
        return Self.status(.pathNotFound)
    }

    static func status(_ status: KubernetesStatus) -> Response {
        Response(status: status.code, contentType: "application/json", body: status.json)
    }
}
