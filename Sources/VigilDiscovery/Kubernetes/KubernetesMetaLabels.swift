import VigilKubernetes
import VigilModel

/// The `__meta_kubernetes_*` label helpers shared by every role, as Prometheus 2.42's
/// `discovery/kubernetes` writes them.
enum KubernetesMetaLabels {
    static let prefix = "__meta_kubernetes_"
    static let namespace = prefix + "namespace"

    /// Prometheus's `strutil.SanitizeLabelName`: every character outside `[a-zA-Z0-9_]` becomes `_`.
    static func sanitize(_ name: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(name.unicodeScalars.count)
        for scalar in name.unicodeScalars {
            let ok = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
                || scalar == "_"
            out.unicodeScalars.append(ok ? scalar : "_")
        }
        return out
    }

    /// `<resource>_label_<name>` and `<resource>_labelpresent_<name>` for each label.
    static func addLabels(_ labels: [String: String], resource: String, to builder: inout LabelsBuilder) {
        for (key, value) in labels {
            let name = sanitize(key)
            builder.set(prefix + resource + "_label_" + name, value)
            builder.set(prefix + resource + "_labelpresent_" + name, "true")
        }
    }

    /// `<resource>_annotation_<name>` and `<resource>_annotationpresent_<name>` for each annotation.
    static func addAnnotations(_ annotations: [String: String], resource: String, to builder: inout LabelsBuilder) {
        for (key, value) in annotations {
            let name = sanitize(key)
            builder.set(prefix + resource + "_annotation_" + name, value)
            builder.set(prefix + resource + "_annotationpresent_" + name, "true")
        }
    }

    /// Go's `net.JoinHostPort`.
    static func hostPort(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// `attach_metadata.node`: the node's name and labels (not its annotations), when the node is known.
    static func addNode(named name: String?, nodes: [ObjectKey: Node]?, to builder: inout LabelsBuilder) {
        guard let name, let nodes, let node = nodes[ObjectKey(namespace: "", name: name)] else { return }
        builder.set(prefix + "node_name", name)
        addLabels(node.metadata.labels, resource: "node", to: &builder)
    }

    /// The pod labels endpoints and endpoint slices merge into targets backed by a pod
    /// (Prometheus's `podLabels`: no namespace, no container labels).
    static func addPod(_ pod: Pod, to builder: inout LabelsBuilder) {
        builder.set(prefix + "pod_name", pod.metadata.name)
        builder.set(prefix + "pod_ip", pod.status?.podIP ?? "")
        builder.set(prefix + "pod_ready", podReady(pod))
        builder.set(prefix + "pod_phase", pod.status?.phase ?? "")
        builder.set(prefix + "pod_node_name", pod.spec?.nodeName ?? "")
        builder.set(prefix + "pod_host_ip", pod.status?.hostIP ?? "")
        builder.set(prefix + "pod_uid", pod.metadata.uid)
        if let controller = pod.metadata.controller {
            if let kind = controller.kind, !kind.isEmpty { builder.set(prefix + "pod_controller_kind", kind) }
            if let name = controller.name, !name.isEmpty { builder.set(prefix + "pod_controller_name", name) }
        }
        addLabels(pod.metadata.labels, resource: "pod", to: &builder)
        addAnnotations(pod.metadata.annotations, resource: "pod", to: &builder)
    }

    /// `true`, `false` or `unknown`: the lower-cased status of the pod's `Ready` condition.
    static func podReady(_ pod: Pod) -> String {
        for condition in pod.status?.conditions ?? [] where condition.type == "Ready" {
            return (condition.status ?? "").lowercased()
        }
        return "unknown"
    }

    /// The service labels endpoints and endpoint slices add to their group (Prometheus's `serviceLabels`).
    static func addService(_ service: Service, to builder: inout LabelsBuilder) {
        builder.set(prefix + "service_name", service.metadata.name)
        builder.set(namespace, service.metadata.namespace)
        addLabels(service.metadata.labels, resource: "service", to: &builder)
        addAnnotations(service.metadata.annotations, resource: "service", to: &builder)
    }
}
