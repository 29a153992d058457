import Foundation

/// Consistency checks across manifests; each returns the problems it found, naming the document.
enum ManifestChecks {
    /// Roles Kubernetes itself creates, which bindings may name without a manifest.
    static let builtInRoles: Set<String> = [
        "ClusterRole/system:auth-delegator",
        "Role/kube-system/extension-apiserver-authentication-reader",
    ]
    /// Service accounts Kubernetes itself creates.
    static let builtInServiceAccounts: Set<String> = ["kube-system/horizontal-pod-autoscaler"]

    static func required(_ manifests: [Manifest]) -> [String] {
        manifests.compactMap { manifest in
            let version = manifest.object["apiVersion"] as? String ?? ""
            if version.isEmpty || manifest.kind.isEmpty || manifest.name.isEmpty {
                return "\(manifest.place): needs apiVersion, kind and metadata.name"
            }
            return nil
        }
    }

    /// The pod templates of workloads: (workload, namespace, labels, pod spec).
    static func podTemplates(_ manifests: [Manifest]) -> [(Manifest, [String: String], [String: Any])] {
        manifests.compactMap { manifest in
            guard ["Deployment", "StatefulSet", "DaemonSet"].contains(manifest.kind),
                let template = (manifest.object["spec"] as? [String: Any])?["template"] as? [String: Any],
                let spec = template["spec"] as? [String: Any]
            else { return nil }
            let labels = (template["metadata"] as? [String: Any])?["labels"] as? [String: String] ?? [:]
            return (manifest, labels, spec)
        }
    }

    static func containers(_ spec: [String: Any]) -> [[String: Any]] {
        (spec["containers"] as? [[String: Any]] ?? []) + (spec["initContainers"] as? [[String: Any]] ?? [])
    }

    static func exists(_ manifests: [Manifest], kind: String, namespace: String, name: String) -> Bool {
        manifests.contains { $0.kind == kind && $0.namespace == namespace && $0.name == name }
    }

    /// Every Service selects a pod template, and each of its targetPorts is a port of it.
    static func servicePorts(_ manifests: [Manifest]) -> [String] {
        var problems: [String] = []
        let templates = podTemplates(manifests)
        for service in manifests where service.kind == "Service" {
            let spec = service.object["spec"] as? [String: Any] ?? [:]
            let selector = spec["selector"] as? [String: String] ?? [:]
            let selected = templates.filter { workload, labels, _ in
                workload.namespace == service.namespace && !selector.isEmpty
                    && selector.allSatisfy { labels[$0.key] == $0.value }
            }
            if selected.isEmpty { problems.append("\(service.place): selects no pod template"); continue }
            let ports = selected.flatMap { _, _, podSpec in
                containers(podSpec).flatMap { $0["ports"] as? [[String: Any]] ?? [] }
            }
            for port in spec["ports"] as? [[String: Any]] ?? [] {
                let target = port["targetPort"] ?? port["port"] ?? ""
                let found = ports.contains { containerPort in
                    if let name = target as? String { return containerPort["name"] as? String == name }
                    return containerPort["containerPort"] as? Int == target as? Int
                }
                if !found { problems.append("\(service.place): targetPort \(target) is no container port") }
            }
        }
        return problems
    }

    /// serviceAccountName and the ConfigMaps of volumes exist in the workload's namespace.
    static func podReferences(_ manifests: [Manifest]) -> [String] {
        var problems: [String] = []
        for (workload, _, spec) in podTemplates(manifests) {
            let account = spec["serviceAccountName"] as? String ?? "default"
            if !exists(manifests, kind: "ServiceAccount", namespace: workload.namespace, name: account) {
                problems.append("\(workload.place): service account \(account) does not exist")
            }
            for volume in spec["volumes"] as? [[String: Any]] ?? [] {
                guard let configMap = volume["configMap"] as? [String: Any], let name = configMap["name"] as? String else { continue }
                // `optional: true` lets the pod start without it, as the kubelet does.
                let optional = configMap["optional"] as? Bool ?? false
                if !optional && !exists(manifests, kind: "ConfigMap", namespace: workload.namespace, name: name) {
                    problems.append("\(workload.place): ConfigMap \(name) does not exist")
                }
            }
        }
        return problems
    }

    /// A container's `--config=PATH` names a key of a ConfigMap mounted at PATH's directory.
    static func configArguments(_ manifests: [Manifest]) -> [String] {
        var problems: [String] = []
        for (workload, _, spec) in podTemplates(manifests) {
            let volumes = spec["volumes"] as? [[String: Any]] ?? []
            for container in containers(spec) {
                let arguments = container["args"] as? [String] ?? []
                for argument in arguments where argument.hasPrefix("--config=") {
                    let path = String(argument.dropFirst("--config=".count)) as NSString
                    let mounts = container["volumeMounts"] as? [[String: Any]] ?? []
                    let mount = mounts.first { $0["mountPath"] as? String == path.deletingLastPathComponent }
                    let volume = volumes.first { $0["name"] as? String == mount?["name"] as? String }
                    let configMapName = (volume?["configMap"] as? [String: Any])?["name"] as? String
                    let configMap = manifests.first {
                        $0.kind == "ConfigMap" && $0.namespace == workload.namespace && $0.name == configMapName
                    }
                    let data = configMap?.object["data"] as? [String: Any] ?? [:]
                    if data[path.lastPathComponent] == nil {
                        problems.append("\(workload.place): \(argument) is not a key of a mounted ConfigMap")
                    }
                }
            }
        }
        return problems
    }

    /// Role bindings name existing roles and service accounts.
    static func bindings(_ manifests: [Manifest]) -> [String] {
        var problems: [String] = []
        for binding in manifests where binding.kind == "RoleBinding" || binding.kind == "ClusterRoleBinding" {
            let roleRef = binding.object["roleRef"] as? [String: Any] ?? [:]
            let kind = roleRef["kind"] as? String ?? ""
            let name = roleRef["name"] as? String ?? ""
            let namespace = kind == "Role" ? binding.namespace : ""
            let key = namespace.isEmpty ? "\(kind)/\(name)" : "\(kind)/\(namespace)/\(name)"
            if !builtInRoles.contains(key) && !exists(manifests, kind: kind, namespace: namespace, name: name) {
                problems.append("\(binding.place): \(key) does not exist")
            }
            for subject in binding.object["subjects"] as? [[String: Any]] ?? [] where subject["kind"] as? String == "ServiceAccount" {
                let account = "\(subject["namespace"] as? String ?? "")/\(subject["name"] as? String ?? "")"
                let parts = account.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                if !builtInServiceAccounts.contains(account)
                    && !exists(manifests, kind: "ServiceAccount", namespace: parts[0], name: parts[1]) {
                    problems.append("\(binding.place): service account \(account) does not exist")
                }
            }
        }
        return problems
    }

    /// APIServices point at an existing Service port.
    static func apiServices(_ manifests: [Manifest]) -> [String] {
        manifests.filter { $0.kind == "APIService" }.compactMap { apiService in
            let reference = (apiService.object["spec"] as? [String: Any])?["service"] as? [String: Any] ?? [:]
            let port = reference["port"] as? Int ?? 443
            let service = manifests.first {
                $0.kind == "Service" && $0.namespace == reference["namespace"] as? String
                    && $0.name == reference["name"] as? String
            }
            let ports = (service?.object["spec"] as? [String: Any])?["ports"] as? [[String: Any]] ?? []
            return ports.contains { $0["port"] as? Int == port } ? nil : "\(apiService.place): no Service port \(port)"
        }
    }

    /// A URL's host `<service>.<namespace>.svc` and port name a Service of the manifests.
    static func serviceURL(_ url: URL, in manifests: [Manifest], from place: String) -> String? {
        let parts = (url.host ?? "").split(separator: ".").map(String.init)
        guard parts.count >= 3, parts[2] == "svc" else { return "\(place): \(url) is not a Service address" }
        let service = manifests.first { $0.kind == "Service" && $0.name == parts[0] && $0.namespace == parts[1] }
        let ports = (service?.object["spec"] as? [String: Any])?["ports"] as? [[String: Any]] ?? []
        return ports.contains { $0["port"] as? Int == url.port } ? nil : "\(place): no Service behind \(url)"
    }
}
