public import VigilConfig

/// Everything needed to reach one API server: its URL, TLS and static credentials (as a
/// Prometheus `http_client_config`, so token files are re-read on every request), an optional
/// exec credential plugin, and the default namespace.
///
/// Build one from a kubeconfig (``KubeConfig/connection(context:)``), from the in-cluster
/// service account (``KubernetesConnection/inCluster(environment:serviceAccountDirectory:)``),
/// or from an explicit `api_server` and HTTP client config.
public struct KubernetesConnection: Sendable, Hashable {
    /// The API server's base URL (`https://10.0.0.1:443`), without a trailing slash.
    public var server: String
    /// TLS (CA, client certificate, verification) and static authentication.
    public var httpClient: HTTPClientConfig
    /// A credential plugin run for bearer tokens, when the kubeconfig user has `exec`.
    public var exec: ExecCredentialConfig?
    /// The namespace of the context or of the service account; empty if unknown.
    public var namespace: String

    /// A connection to `server` with `httpClient`'s TLS and authentication.
    public init(server: String, httpClient: HTTPClientConfig = .default, exec: ExecCredentialConfig? = nil, namespace: String = "") {
        var server = server
        while server.hasSuffix("/") { server.removeLast() }
        self.server = server
        self.httpClient = httpClient
        self.exec = exec
        self.namespace = namespace
    }
}
