import VigilKubernetes
import VigilModel

/// Turns Kubernetes objects into target groups, one function per role, with exactly the labels
/// and group sources of Prometheus 2.42's `discovery/kubernetes`.
enum KubernetesTargets {
    typealias M = KubernetesMetaLabels

    /// The `pod` role: one target per container port (`podIP:port`), or one per container
    /// without ports (`podIP`), init containers included; source `pod/<ns>/<name>`. A pod
    /// without an IP yields an empty group.
    static func pod(_ pod: Pod, nodes: [ObjectKey: Node]?) -> TargetGroup {
        let source = "pod/\(pod.metadata.namespace)/\(pod.metadata.name)"
        guard let ip = pod.status?.podIP, !ip.isEmpty else { return TargetGroup(targets: [], source: source) }
        var group = LabelsBuilder()
        M.addPod(pod, to: &group)
        group.set(M.namespace, pod.metadata.namespace)
        if nodes != nil { M.addNode(named: pod.spec?.nodeName, nodes: nodes, to: &group) }
        var targets: [Labels] = []
        let containers = (pod.spec?.containers ?? []).map { ($0, false) } + (pod.spec?.initContainers ?? []).map { ($0, true) }
        for (container, isInit) in containers {
            let statuses = isInit ? pod.status?.initContainerStatuses : pod.status?.containerStatuses
            let id = statuses?.first { $0.name == container.name }?.containerID ?? ""
            let ports = container.ports ?? []
            if ports.isEmpty {
                var target = LabelsBuilder()
                target.set("__address__", ip)
                target.set(M.prefix + "pod_container_name", container.name)
                target.set(M.prefix + "pod_container_id", id)
                target.set(M.prefix + "pod_container_image", container.image ?? "")
                target.set(M.prefix + "pod_container_init", isInit ? "true" : "false")
                targets.append(target.build())
                continue
            }
            for port in ports {
                var target = LabelsBuilder()
                target.set("__address__", M.hostPort(ip, port.containerPort))
                target.set(M.prefix + "pod_container_name", container.name)
                target.set(M.prefix + "pod_container_id", id)
                target.set(M.prefix + "pod_container_image", container.image ?? "")
                target.set(M.prefix + "pod_container_port_number", String(port.containerPort))
                target.set(M.prefix + "pod_container_port_name", port.name ?? "")
                target.set(M.prefix + "pod_container_port_protocol", port.protocol ?? "")
                target.set(M.prefix + "pod_container_init", isInit ? "true" : "false")
                targets.append(target.build())
            }
        }
        return TargetGroup(targets: targets, labels: group.build(), source: source)
    }
}
