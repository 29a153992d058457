/// How a section reaches the Kubernetes API server: `api_server`, or `kubeconfig_file` with an
/// optional `context`; neither means the in-cluster service account.
///
/// Shared by `kubernetes_events:` and `kubernetes_metrics_api:`, whose keys sit beside the
/// section's own, as in Prometheus's `kubernetes_sd_configs`.
public struct KubernetesAPIAccess: Sendable, Hashable, Decodable {
    /// The API server's URL (`api_server`).
    public var apiServer: String?
    /// A kubeconfig file (`kubeconfig_file`), resolved against the config's directory.
    public var kubeconfigFile: String?
    /// The kubeconfig context (`context`); its current context when absent.
    public var context: String?

    /// In-cluster: no server, no kubeconfig.
    public init(apiServer: String? = nil, kubeconfigFile: String? = nil, context: String? = nil) {
        self.apiServer = apiServer
        self.kubeconfigFile = kubeconfigFile
        self.context = context
    }

    /// Whether `api_server` or `kubeconfig_file` was given (otherwise only in-cluster config applies).
    public var isExplicit: Bool { apiServer != nil || kubeconfigFile != nil }

    enum CodingKeys: String, CodingKey {
        case context
        case apiServer = "api_server"
        case kubeconfigFile = "kubeconfig_file"
    }

    /// Decodes a mapping of only these keys (`logs.kubernetes`) and validates it.
    public init(from decoder: any Decoder) throws {
        self = try Self.decode(from: decoder)
        try validate()
    }

    /// Reads the three keys from the section `decoder` decodes; call it before the section's own
    /// checks so an early error does not leave these keys unread.
    static func decode(from decoder: any Decoder) throws -> KubernetesAPIAccess {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        return KubernetesAPIAccess(
            apiServer: try container.optional(.apiServer), kubeconfigFile: try container.optional(.kubeconfigFile),
            context: try container.optional(.context))
    }

    /// Refuses both `api_server` and `kubeconfig_file`, as Prometheus's Kubernetes SD does, and a
    /// server that is not an http(s) URL.
    func validate() throws {
        if apiServer != nil && kubeconfigFile != nil {
            throw ConfigValidationError("api_server and kubeconfig_file are mutually exclusive", field: "kubeconfig_file")
        }
        if let apiServer, !(apiServer.hasPrefix("http://") || apiServer.hasPrefix("https://")) {
            throw ConfigValidationError("api_server must be an http:// or https:// URL, not \"\(apiServer)\"", field: "api_server")
        }
    }

    mutating func resolvePaths(in directory: String) {
        kubeconfigFile = kubeconfigFile.map { joinDirectory(directory, $0) }
    }
}
