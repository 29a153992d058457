import Foundation
import VigilConfig
import Yams

/// A kubeconfig file (`~/.kube/config`): clusters, users and contexts.
///
/// ``connection(context:)`` resolves one context into a ``KubernetesConnection``: the cluster's
/// server, CA (`certificate-authority` file or `-data`), `insecure-skip-tls-verify` and
/// `tls-server-name`; the user's `token`, `tokenFile` (re-read per request), client certificate
/// and key (file or `-data`), basic auth, or `exec` plugin. Relative paths are resolved against
/// the kubeconfig's directory, as kubectl does.
public struct KubeConfig: Sendable, Hashable {
    /// The context used when none is named.
    public var currentContext: String
    /// Clusters by name.
    public var clusters: [String: Cluster]
    /// Users by name.
    public var users: [String: User]
    /// Contexts by name.
    public var contexts: [String: Context]
    /// The directory relative paths are resolved against.
    public var directory: String

    /// A cluster entry.
    public struct Cluster: Sendable, Hashable, Decodable {
        /// The API server URL.
        public var server: String?
        /// A CA bundle file.
        public var certificateAuthority: String?
        /// A CA bundle, base64-encoded PEM.
        public var certificateAuthorityData: String?
        /// Skip server certificate verification.
        public var insecureSkipTLSVerify: Bool?
        /// The name to verify the server certificate against.
        public var tlsServerName: String?

        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case tlsServerName = "tls-server-name"
        }
    }

    /// A user entry (`AuthInfo`).
    public struct User: Sendable, Hashable, Decodable {
        /// A static bearer token.
        public var token: String?
        /// A file holding the bearer token, read again for every request.
        public var tokenFile: String?
        /// A client certificate file.
        public var clientCertificate: String?
        /// A client certificate, base64-encoded PEM.
        public var clientCertificateData: String?
        /// A client key file.
        public var clientKey: String?
        /// A client key, base64-encoded PEM.
        public var clientKeyData: String?
        /// Basic-auth user name.
        public var username: String?
        /// Basic-auth password.
        public var password: String?
        /// An exec credential plugin.
        public var exec: ExecCredentialConfig?

        enum CodingKeys: String, CodingKey {
            case token, tokenFile, username, password, exec
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
        }
    }

    /// A context: a cluster, a user and a default namespace.
    public struct Context: Sendable, Hashable, Decodable {
        /// The cluster's name.
        public var cluster: String
        /// The user's name.
        public var user: String?
        /// The default namespace.
        public var namespace: String?
    }

    private struct Named<Value: Decodable>: Decodable {
        var name: String
        var cluster: Value?
        var user: Value?
        var context: Value?
    }

    private struct File: Decodable {
        var currentContext: String?
        var clusters: [Named<Cluster>]?
        var users: [Named<User>]?
        var contexts: [Named<Context>]?

        enum CodingKeys: String, CodingKey {
            case currentContext = "current-context"
            case clusters, users, contexts
        }
    }

    /// Parses kubeconfig YAML; `path` names the file in errors and anchors relative paths.
    public init(yaml: String, path: String) throws(KubernetesError) {
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: yaml)
        } catch {
            throw .configuration("\(path): invalid kubeconfig: \(error)")
        }
        currentContext = file.currentContext ?? ""
        var clusters: [String: Cluster] = [:]
        for entry in file.clusters ?? [] { clusters[entry.name] = entry.cluster }
        var users: [String: User] = [:]
        for entry in file.users ?? [] { users[entry.name] = entry.user }
        var contexts: [String: Context] = [:]
        for entry in file.contexts ?? [] { contexts[entry.name] = entry.context }
        self.clusters = clusters
        self.users = users
        self.contexts = contexts
        directory = (path as NSString).deletingLastPathComponent
    }

    /// Reads and parses the kubeconfig at `path`.
    public static func load(path: String) throws(KubernetesError) -> KubeConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .configuration("\(path): cannot read kubeconfig")
        }
        return try KubeConfig(yaml: String(decoding: data, as: UTF8.self), path: path)
    }

    /// The connection of `context`, or of `current-context` when `context` is nil.
    public func connection(context name: String? = nil) throws(KubernetesError) -> KubernetesConnection {
        let contextName = name ?? currentContext
        guard !contextName.isEmpty else { throw .configuration("kubeconfig has no current-context and none was given") }
        guard let context = contexts[contextName] else {
            throw .configuration("context \"\(contextName)\" does not exist in the kubeconfig")
        }
        guard let cluster = clusters[context.cluster] else {
            throw .configuration("context \"\(contextName)\": cluster \"\(context.cluster)\" does not exist")
        }
        guard let server = cluster.server, !server.isEmpty else {
            throw .configuration("cluster \"\(context.cluster)\" has no server")
        }
        let user: User?
        if let userName = context.user, !userName.isEmpty {
            guard let found = users[userName] else {
                throw .configuration("context \"\(contextName)\": user \"\(userName)\" does not exist")
            }
            user = found
        } else {
            user = nil
        }
        var config = HTTPClientConfig()
        var tls = TLSConfig()
        if let data = cluster.certificateAuthorityData, !data.isEmpty {
            tls.ca = try decodePEM(data, field: "clusters[\(context.cluster)].certificate-authority-data")
        } else if let file = cluster.certificateAuthority, !file.isEmpty {
            tls.caFile = resolve(file)
        }
        tls.insecureSkipVerify = cluster.insecureSkipTLSVerify ?? false
        tls.serverName = cluster.tlsServerName ?? ""
        var exec: ExecCredentialConfig? = nil
        if let user {
            if let data = user.clientCertificateData, !data.isEmpty {
                tls.cert = try decodePEM(data, field: "users[\(context.user ?? "")].client-certificate-data")
            } else if let file = user.clientCertificate, !file.isEmpty {
                tls.certFile = resolve(file)
            }
            if let data = user.clientKeyData, !data.isEmpty {
                tls.key = Secret(try decodePEM(data, field: "users[\(context.user ?? "")].client-key-data"))
            } else if let file = user.clientKey, !file.isEmpty {
                tls.keyFile = resolve(file)
            }
            if let token = user.token, !token.isEmpty {
                config.authorization = Authorization(type: "Bearer", credentials: Secret(token))
            } else if let file = user.tokenFile, !file.isEmpty {
                config.authorization = Authorization(type: "Bearer", credentialsFile: resolve(file))
            } else if let username = user.username, !username.isEmpty {
                config.basicAuth = BasicAuth(username: username, password: user.password.map(Secret.init))
            }
            if var plugin = user.exec {
                // client-go resolves a command with a path separator against the kubeconfig's directory.
                if plugin.command.contains("/") { plugin.command = resolve(plugin.command) }
                exec = plugin
            }
        }
        config.tlsConfig = tls
        return KubernetesConnection(server: server, httpClient: config, exec: exec, namespace: context.namespace ?? "")
    }

    private func resolve(_ path: String) -> String {
        path.hasPrefix("/") || directory.isEmpty ? path : directory + "/" + path
    }

    private func decodePEM(_ base64: String, field: String) throws(KubernetesError) -> String {
        guard let data = Data(base64Encoded: base64, options: .ignoreUnknownCharacters) else {
            throw .configuration("\(field) is not valid base64")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
