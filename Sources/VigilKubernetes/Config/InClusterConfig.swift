import Foundation
import VigilConfig

extension KubernetesConnection {
    /// Where a pod's service account credentials are mounted.
    public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// The connection a pod makes with its service account (client-go's `InClusterConfig`):
    /// `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`, the CA in `ca.crt`, the bearer
    /// token in `token` — read again for every request, since bound tokens rotate — and the
    /// namespace in `namespace`.
    ///
    /// `environment` defaults to the process's. Throws when either variable is missing (the process is not in a cluster) or the token
    /// cannot be read.
    public static func inCluster(
        environment: [String: String]? = nil,
        serviceAccountDirectory: String = KubernetesConnection.serviceAccountDirectory
    ) throws(KubernetesError) -> KubernetesConnection {
        let environment = environment ?? ProcessInfo.processInfo.environment
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
            let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else {
            throw .configuration(
                "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined")
        }
        let tokenFile = serviceAccountDirectory + "/token"
        guard FileManager.default.isReadableFile(atPath: tokenFile) else {
            throw .configuration("unable to read the service account token \(tokenFile)")
        }
        var config = HTTPClientConfig()
        config.authorization = Authorization(type: "Bearer", credentialsFile: tokenFile)
        let caFile = serviceAccountDirectory + "/ca.crt"
        if FileManager.default.fileExists(atPath: caFile) { config.tlsConfig.caFile = caFile }
        let namespaceData = FileManager.default.contents(atPath: serviceAccountDirectory + "/namespace")
        let namespace = namespaceData.map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        // Go's net.JoinHostPort: IPv6 hosts are bracketed.
        let hostPort = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        return KubernetesConnection(server: "https://\(hostPort)", httpClient: config, namespace: namespace ?? "")
    }
}
