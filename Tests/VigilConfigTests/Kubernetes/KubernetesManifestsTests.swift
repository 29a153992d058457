import Foundation
import Testing
import VigilConfig
import Yams

/// deploy/kubernetes/: every document parses, every file is part of a kustomization, the configs
/// load with Vigil's own loader, and the objects' references to each other resolve.
@Suite struct KubernetesManifestsTests {
    let directory = KubernetesManifests.directory

    private func manifests() throws -> [Manifest] { try KubernetesManifests.load(from: directory) }

    @Test func everyDocumentHasAPIVersionKindAndName() throws {
        let manifests = try manifests()
        #expect(manifests.count >= 20)
        #expect(ManifestChecks.required(manifests) == [])
        let kinds = Set(manifests.map(\.kind))
        for kind in ["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
                     "ConfigMap", "StatefulSet", "Service", "DaemonSet", "APIService"] {
            #expect(kinds.contains(kind), "no \(kind)")
        }
    }

    @Test func namespacedObjectsAreInVigilsNamespace() throws {
        let clusterScoped: Set<String> = ["Namespace", "ClusterRole", "ClusterRoleBinding", "APIService"]
        for manifest in try manifests() where !clusterScoped.contains(manifest.kind) {
            let allowed = manifest.namespace == "vigil"
                || (manifest.kind == "RoleBinding" && manifest.namespace == "kube-system")
            #expect(allowed, "\(manifest.place) is in namespace '\(manifest.namespace)'")
        }
    }

    /// Each kustomization's resources exist; every file is in the kustomization of its directory.
    /// metrics-apis/ is the optional part: its own kustomization, never the default's.
    @Test func kustomizationsListEveryFile() throws {
        let files = try KubernetesManifests.yamlFiles(in: directory)
        let kustomizations = files.filter(KubernetesManifests.isKustomization)
        #expect(Set(kustomizations) == ["kustomization.yaml", "metrics-apis/kustomization.yaml"])
        var listed: Set<String> = []
        for kustomization in kustomizations {
            let base = (kustomization as NSString).deletingLastPathComponent
            for resource in try KubernetesManifests.kustomizationResources(kustomization, in: directory) {
                let path = base.isEmpty ? resource : base + "/" + resource
                #expect(files.contains(path), "\(kustomization) lists \(resource), which does not exist")
                listed.insert(path)
            }
        }
        for file in files where !KubernetesManifests.isKustomization(file) {
            #expect(listed.contains(file), "\(file) is in no kustomization")
        }
        let defaults = try KubernetesManifests.kustomizationResources("kustomization.yaml", in: directory)
        #expect(!defaults.contains { $0.contains("metrics-apis") }, "the metrics APIs must stay optional")
        let apiServiceFiles = Set(try manifests().filter { $0.kind == "APIService" }.map(\.file))
        #expect(apiServiceFiles == ["metrics-apis/apiservices.yaml"])
    }

    @Test func referencesResolve() throws {
        let manifests = try manifests()
        #expect(ManifestChecks.servicePorts(manifests) == [])
        #expect(ManifestChecks.podReferences(manifests) == [])
        #expect(ManifestChecks.configArguments(manifests) == [])
        #expect(ManifestChecks.bindings(manifests) == [])
        #expect(ManifestChecks.apiServices(manifests) == [])
    }

    /// Vigil binds to loopback by default; a pod must listen on every interface, on its port
    /// (the first); a second port is the server's `kubernetes_metrics_api` listener.
    @Test func containersListenOnTheirDeclaredPort() throws {
        let manifests = try manifests()
        let metricsAPI = try #require(try embeddedConfig("vigil-server-config", key: "prometheus.yml", in: manifests).kubernetesMetricsAPI)
        for (workload, _, spec) in ManifestChecks.podTemplates(manifests) {
            for container in ManifestChecks.containers(spec) {
                let ports = (container["ports"] as? [[String: Any]] ?? []).compactMap { $0["containerPort"] as? Int }
                let listen = (container["args"] as? [String] ?? []).first { $0.hasPrefix("--listen=") }
                #expect(!ports.isEmpty && listen == "--listen=0.0.0.0:\(ports[0])", "\(workload.place): \(String(describing: listen))")
                if ports.count > 1 {
                    #expect(ports.count == 2 && metricsAPI.listenAddress == "0.0.0.0:\(ports[1])", "\(workload.place)")
                }
            }
        }
    }

    /// The server's prometheus.yml: Vigil's loader accepts it, and it has the cluster's jobs.
    @Test func serverConfigLoads() throws {
        let manifests = try manifests()
        let config = try embeddedConfig("vigil-server-config", key: "prometheus.yml", in: manifests)
        let jobs = Set(config.scrapeConfigs.map(\.jobName))
        #expect(jobs.isSuperset(of: ["kubernetes-apiservers", "node-exporter", "kubelet", "kubelet-resource", "kubernetes-pods"]))
        #expect(config.logStore.enabled)
    }

    /// Server replicas elect the event sender: the config turns election on, each pod gets
    /// its name (the identity) and namespace from the downward API, and RBAC lets the server
    /// account create, read and renew that Lease in its own namespace and nothing more.
    @Test func serverReplicasElectTheEventSenderThroughALease() throws {
        let manifests = try manifests()
        let config = try embeddedConfig("vigil-server-config", key: "prometheus.yml", in: manifests)
        let election = try #require(config.kubernetesEvents?.leaderElection)
        #expect(election.enabled)
        let server = try #require(manifests.first { $0.kind == "StatefulSet" && $0.name == "vigil-server" })
        let spec = server.object["spec"] as? [String: Any] ?? [:]
        // One replica by default (pushes through the Service must not split); scaling is safe.
        #expect((spec["replicas"] as? Int ?? 1) == 1)
        let template = (spec["template"] as? [String: Any])?["spec"] as? [String: Any] ?? [:]
        let container = try #require(ManifestChecks.containers(template).first)
        var downward: [String: String] = [:]
        for variable in container["env"] as? [[String: Any]] ?? [] {
            let field = ((variable["valueFrom"] as? [String: Any])?["fieldRef"] as? [String: Any])?["fieldPath"] as? String
            if let name = variable["name"] as? String, let field { downward[name] = field }
        }
        #expect(downward == ["POD_NAME": "metadata.name", "POD_NAMESPACE": "metadata.namespace"])
        let role = try #require(manifests.first { $0.kind == "Role" && $0.name == "vigil-server-leases" })
        #expect(role.namespace == server.namespace)
        let rules = (role.object["rules"] as? [[String: Any]] ?? []).filter { ($0["resources"] as? [String]) == ["leases"] }
        var verbs: [String: Set<String>] = [:]
        for rule in rules {
            let names = (rule["resourceNames"] as? [String])?.joined(separator: ",") ?? "*"
            verbs[names, default: []].formUnion(rule["verbs"] as? [String] ?? [])
        }
        #expect(verbs == [election.leaseName: ["get", "update"], "*": ["create"]])
        let binding = try #require(manifests.first { $0.kind == "RoleBinding" && $0.name == "vigil-server-leases" })
        let subjects = binding.object["subjects"] as? [[String: Any]] ?? []
        #expect(subjects.contains { $0["name"] as? String == template["serviceAccountName"] as? String })
    }

    /// The agent's config loads, satisfies agent mode (a remote_write, no rules, alerting or
    /// remote_read), tails the pod logs and ships them to a Service of these manifests.
    @Test func agentConfigLoadsAndShipsToTheServer() throws {
        let manifests = try manifests()
        let config = try embeddedConfig("vigil-agent-config", key: "agent.yml", in: manifests)
        #expect(!config.remoteWrite.isEmpty)
        #expect(config.ruleFiles.isEmpty && config.remoteRead.isEmpty && config.alerting.alertmanagers.isEmpty)
        #expect(config.logs.fileInputs.map(\.paths) == [["/var/log/pods/*/*/*.log"]])
        #expect(config.logs.fileInputs.first?.format == .cri)
        let urls = config.logs.outputs.compactMap(\.url?.url) + config.remoteWrite.map(\.url.url)
        #expect(urls.count == 2)
        for url in urls {
            #expect(ManifestChecks.serviceURL(url, in: manifests, from: "agent.yml") == nil)
        }
        #expect(config.logs.outputs.first?.url?.url.path == "/loki/api/v1/push")
    }

    private func embeddedConfig(_ name: String, key: String, in manifests: [Manifest]) throws -> PrometheusConfig {
        let configMap = try #require(manifests.first { $0.kind == "ConfigMap" && $0.name == name })
        let text = try #require((configMap.object["data"] as? [String: Any])?[key] as? String)
        return try PrometheusConfig.parse(yaml: text, fileName: "\(configMap.file):\(key)")
    }

    /// The checks find what they look for: each broken variant of a small set is reported.
    @Test func checksReportBrokenReferences() throws {
        let good = try Self.sample()
        #expect(ManifestChecks.servicePorts(good) == [])
        #expect(ManifestChecks.podReferences(good) == [])
        #expect(ManifestChecks.configArguments(good) == [])
        #expect(ManifestChecks.bindings(good) == [])

        let wrongPort = try Self.sample(replacing: "targetPort: http", with: "targetPort: web")
        #expect(ManifestChecks.servicePorts(wrongPort).count == 1)
        let wrongAccount = try Self.sample(replacing: "serviceAccountName: app", with: "serviceAccountName: other")
        #expect(ManifestChecks.podReferences(wrongAccount).count == 1)
        let wrongConfigMap = try Self.sample(replacing: "configMap: {name: app-config}", with: "configMap: {name: gone}")
        #expect(ManifestChecks.podReferences(wrongConfigMap).count == 1)
        #expect(ManifestChecks.configArguments(wrongConfigMap).count == 1)
        let wrongKey = try Self.sample(replacing: "--config=/etc/app/app.yml", with: "--config=/etc/app/other.yml")
        #expect(ManifestChecks.configArguments(wrongKey).count == 1)
        let wrongRole = try Self.sample(replacing: "kind: Role, name: app-role}", with: "kind: Role, name: missing-role}")
        #expect(ManifestChecks.bindings(wrongRole).count == 1)
        let wrongSubject = try Self.sample(replacing: "{kind: ServiceAccount, name: app, namespace: ns}", with: "{kind: ServiceAccount, name: app, namespace: elsewhere}")
        #expect(ManifestChecks.bindings(wrongSubject).count == 1)
        let noName = try Self.sample(replacing: "name: ns\n", with: "labels: {}\n")
        #expect(ManifestChecks.required(noName).count == 1)
    }

    private static func sample(replacing target: String = "", with replacement: String = "") throws -> [Manifest] {
        var text = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: ns
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: app, namespace: ns}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: app-config, namespace: ns}
            data: {app.yml: ""}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: app, namespace: ns}
            spec:
              template:
                metadata: {labels: {app: app}}
                spec:
                  serviceAccountName: app
                  containers:
                    - name: app
                      args: [--config=/etc/app/app.yml]
                      ports: [{name: http, containerPort: 80}]
                      volumeMounts: [{name: config, mountPath: /etc/app}]
                  volumes:
                    - {name: config, configMap: {name: app-config}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: app, namespace: ns}
            spec:
              selector: {app: app}
              ports: [{port: 80, targetPort: http}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: app-role, namespace: ns}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: app, namespace: ns}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: app-role}
            subjects: [{kind: ServiceAccount, name: app, namespace: ns}]

            """
        if !target.isEmpty {
            #expect(text.contains(target), "the sample lacks \(target)")
            text = text.replacingOccurrences(of: target, with: replacement)
        }
        return try Yams.load_all(yaml: text).enumerated().map { index, document in
            Manifest(file: "sample.yaml", index: index, object: try #require(document as? [String: Any]))
        }
    }
}
