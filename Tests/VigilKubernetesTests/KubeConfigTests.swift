import Foundation
import Testing
import VigilConfig
@testable import VigilKubernetes
import VigilTestSupport

@Suite struct KubeConfigTests {
    static let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    static var pemBase64: String { Data(pem.utf8).base64EncodedString() }

    static var yaml: String {
        """
        apiVersion: v1
        kind: Config
        current-context: dev
        preferences: {}
        clusters:
        - name: dev-cluster
          cluster:
            server: https://dev.example:6443/
            certificate-authority-data: \(pemBase64)
            extensions: []
        - name: prod-cluster
          cluster:
            server: https://prod.example:6443
            certificate-authority: certs/ca.crt
            insecure-skip-tls-verify: true
        contexts:
        - name: dev
          context: {cluster: dev-cluster, user: dev-user, namespace: shop}
        - name: prod
          context: {cluster: prod-cluster, user: prod-user}
        - name: eks
          context: {cluster: prod-cluster, user: eks-user}
        - name: broken
          context: {cluster: nowhere, user: dev-user}
        users:
        - name: dev-user
          user:
            token: sekret-token
            client-certificate-data: \(pemBase64)
            client-key-data: \(pemBase64)
        - name: prod-user
          user:
            tokenFile: tokens/prod
            client-certificate: /abs/client.crt
            client-key: keys/client.key
        - name: eks-user
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              command: aws
              args: [eks, get-token, --cluster-name, prod]
              env: [{name: AWS_PROFILE, value: prod}]
              interactiveMode: Never
        """
    }

    @Test func currentContextGivesServerCAAndClientCertificateFromData() throws {
        let config = try KubeConfig(yaml: Self.yaml, path: "/home/u/.kube/config")
        let connection = try config.connection()
        #expect(connection.server == "https://dev.example:6443")
        #expect(connection.namespace == "shop")
        #expect(connection.httpClient.tlsConfig.ca == Self.pem)
        #expect(connection.httpClient.tlsConfig.cert == Self.pem)
        #expect(connection.httpClient.tlsConfig.key?.value == Self.pem)
        #expect(connection.httpClient.authorization?.credentials?.value == "sekret-token")
        #expect(connection.httpClient.tlsConfig.insecureSkipVerify == false)
        #expect(connection.exec == nil)
    }

    @Test func aContextOverrideResolvesFilesAgainstTheKubeconfigDirectory() throws {
        let config = try KubeConfig(yaml: Self.yaml, path: "/home/u/.kube/config")
        let connection = try config.connection(context: "prod")
        #expect(connection.server == "https://prod.example:6443")
        #expect(connection.httpClient.tlsConfig.caFile == "/home/u/.kube/certs/ca.crt")
        #expect(connection.httpClient.tlsConfig.insecureSkipVerify)
        #expect(connection.httpClient.tlsConfig.certFile == "/abs/client.crt")
        #expect(connection.httpClient.tlsConfig.keyFile == "/home/u/.kube/keys/client.key")
        #expect(connection.httpClient.authorization?.credentialsFile == "/home/u/.kube/tokens/prod")
        #expect(connection.namespace == "")
    }

    @Test func execUsersCarryThePlugin() throws {
        let connection = try KubeConfig(yaml: Self.yaml, path: "/k/config").connection(context: "eks")
        let exec = try #require(connection.exec)
        #expect(exec.command == "aws")
        #expect(exec.args == ["eks", "get-token", "--cluster-name", "prod"])
        #expect(exec.env.map(\.name) == ["AWS_PROFILE"])
        #expect(exec.apiVersion == "client.authentication.k8s.io/v1beta1")
    }

    @Test func missingContextsAndClustersAreNamed() throws {
        let config = try KubeConfig(yaml: Self.yaml, path: "/k/config")
        #expect(throws: KubernetesError.self) { try config.connection(context: "nope") }
        do {
            _ = try config.connection(context: "broken")
            Issue.record("a context naming a missing cluster must fail")
        } catch {
            #expect(error.message.contains("cluster \"nowhere\" does not exist"))
        }
        do {
            _ = try KubeConfig(yaml: "clusters: 3", path: "/k/bad")
            Issue.record("a malformed kubeconfig must fail")
        } catch {
            #expect(error.message.hasPrefix("/k/bad: invalid kubeconfig"))
        }
    }

    @Test func inClusterReadsTheServiceAccountAndEnvironment() throws {
        let directory = try TemporaryDirectory()
        _ = try directory.write("token", "token-1\n")
        _ = try directory.write("ca.crt", Self.pem)
        _ = try directory.write("namespace", "monitoring")
        let connection = try KubernetesConnection.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"],
            serviceAccountDirectory: directory.path)
        #expect(connection.server == "https://[fd00::1]:443")
        #expect(connection.namespace == "monitoring")
        #expect(connection.httpClient.tlsConfig.caFile == directory.path + "/ca.crt")
        // The token is a file, read again for every request, so a rotated token is used at once.
        #expect(connection.httpClient.authorization?.credentialsFile == directory.path + "/token")
        #expect(throws: KubernetesError.self) {
            try KubernetesConnection.inCluster(environment: [:], serviceAccountDirectory: directory.path)
        }
    }
}
