import Foundation
public import VigilConfig

extension KubernetesConnection {
    /// The connection a config section names: its `api_server`, its kubeconfig's context, or the
    /// in-cluster service account when it names neither.
    public init(access: KubernetesAPIAccess) throws {
        if let server = access.apiServer {
            self.init(server: server)
        } else if let file = access.kubeconfigFile {
            self = try KubeConfig.load(path: file).connection(context: access.context)
        } else {
            self = try KubernetesConnection.inCluster()
        }
    }
}

extension KubernetesAPIAccess {
    /// `access` when it names a server or a kubeconfig; otherwise the in-cluster account when
    /// this process runs in a pod (`KUBERNETES_SERVICE_HOST` set); otherwise nil, for the callers
    /// that can do without the API server outside a cluster.
    public static func configuredOrInCluster(
        _ access: KubernetesAPIAccess?, environment: [String: String]? = nil
    ) -> KubernetesAPIAccess? {
        if let access, access.isExplicit { return access }
        let environment = environment ?? ProcessInfo.processInfo.environment
        return (environment["KUBERNETES_SERVICE_HOST"] ?? "").isEmpty ? nil : KubernetesAPIAccess()
    }
}
