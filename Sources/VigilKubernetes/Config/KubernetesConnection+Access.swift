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
