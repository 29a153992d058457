import VigilKubernetes
import VigilModel

/// What endpoints and endpoint slices look up while building targets.
struct EndpointContext {
    /// Pods by `namespace/name`, to resolve `targetRef`s.
    var pods: [ObjectKey: Pod]
    /// Services by `namespace/name`, for the group's service labels.
    var services: [ObjectKey: Service]
    /// Nodes by name when `attach_metadata.node` is on; nil otherwise.
    var nodes: [ObjectKey: Node]?

    func pod(_ reference: ObjectReference?) -> Pod? {
        guard let reference, reference.kind == "Pod", let name = reference.name else { return nil }
        return pods[ObjectKey(namespace: reference.namespace ?? "", name: name)]
    }
}

extension KubernetesTargets {
    /// The `endpoints` role: one target per address and port of every subset (ready ones with
    /// `endpoint_ready="true"`, then not-ready ones), merged with the pod behind the address;
    /// then one target per container port of those pods that no endpoint port covered. Source
    /// `endpoints/<ns>/<name>`.
    static func endpoints(_ endpoints: Endpoints, context: EndpointContext) -> TargetGroup {
        let namespace = endpoints.metadata.namespace
        var group = LabelsBuilder()
        group.set(M.namespace, namespace)
        group.set(M.prefix + "endpoints_name", endpoints.metadata.name)
        if let service = context.services[ObjectKey(namespace: namespace, name: endpoints.metadata.name)] {
            M.addService(service, to: &group)
        }
        M.addLabels(endpoints.metadata.labels, resource: "endpoints", to: &group)

        var targets: [Labels] = []
        var seenPods = SeenPods()
        func add(_ address: Endpoints.Address, _ port: Endpoints.Port, ready: String) {
            var target = LabelsBuilder()
            target.set("__address__", M.hostPort(address.ip, port.port))
            target.set(M.prefix + "endpoint_port_name", port.name ?? "")
            target.set(M.prefix + "endpoint_port_protocol", port.protocol ?? "")
            target.set(M.prefix + "endpoint_ready", ready)
            if let reference = address.targetRef {
                target.set(M.prefix + "endpoint_address_target_kind", reference.kind ?? "")
                target.set(M.prefix + "endpoint_address_target_name", reference.name ?? "")
            }
            if let node = address.nodeName { target.set(M.prefix + "endpoint_node_name", node) }
            if let hostname = address.hostname, !hostname.isEmpty { target.set(M.prefix + "endpoint_hostname", hostname) }
            if context.nodes != nil { M.addNode(named: address.nodeName, nodes: context.nodes, to: &target) }
            guard let pod = context.pod(address.targetRef) else {
                targets.append(target.build())
                return
            }
            seenPods.note(pod, port: port.port)
            M.addPod(pod, to: &target)
            if let (container, containerPort) = matchingContainerPort(pod, port.port) {
                target.set(M.prefix + "pod_container_name", container.name)
                target.set(M.prefix + "pod_container_image", container.image ?? "")
                target.set(M.prefix + "pod_container_port_name", containerPort.name ?? "")
                target.set(M.prefix + "pod_container_port_number", String(port.port))
                // Endpoints take the endpoint port's protocol here; endpoint slices the container's.
                target.set(M.prefix + "pod_container_port_protocol", port.protocol ?? "")
            }
            targets.append(target.build())
        }
        for subset in endpoints.subsets ?? [] {
            for port in subset.ports ?? [] {
                for address in subset.addresses ?? [] { add(address, port, ready: "true") }
                for address in subset.notReadyAddresses ?? [] { add(address, port, ready: "false") }
            }
        }
        targets += seenPods.uncoveredPortTargets()
        return TargetGroup(targets: targets, labels: group.build(), source: "endpoints/\(namespace)/\(endpoints.metadata.name)")
    }

    /// The first container port of `pod` numbered `port`.
    static func matchingContainerPort(_ pod: Pod, _ port: Int) -> (Pod.Container, Pod.ContainerPort)? {
        for container in pod.spec?.containers ?? [] {
            if let match = (container.ports ?? []).first(where: { $0.containerPort == port }) { return (container, match) }
        }
        return nil
    }
}

/// The pods behind an endpoints object's addresses and the ports the endpoints covered, in the
/// order first seen, to add targets for the pods' other container ports.
struct SeenPods {
    private var order: [ObjectKey] = []
    private var entries: [ObjectKey: (pod: Pod, ports: [Int])] = [:]

    mutating func note(_ pod: Pod, port: Int?) {
        let key = ObjectKey(pod.metadata)
        if entries[key] == nil {
            order.append(key)
            entries[key] = (pod, [])
        }
        if let port { entries[key]!.ports.append(port) }
    }

    /// One target per container port (app containers only) no endpoint port covered.
    func uncoveredPortTargets() -> [Labels] {
        typealias M = KubernetesMetaLabels
        var targets: [Labels] = []
        for key in order {
            let (pod, covered) = entries[key]!
            for container in pod.spec?.containers ?? [] {
                for port in container.ports ?? [] where !covered.contains(port.containerPort) {
                    var target = LabelsBuilder()
                    target.set("__address__", M.hostPort(pod.status?.podIP ?? "", port.containerPort))
                    target.set(M.prefix + "pod_container_name", container.name)
                    target.set(M.prefix + "pod_container_image", container.image ?? "")
                    target.set(M.prefix + "pod_container_port_name", port.name ?? "")
                    target.set(M.prefix + "pod_container_port_number", String(port.containerPort))
                    target.set(M.prefix + "pod_container_port_protocol", port.protocol ?? "")
                    M.addPod(pod, to: &target)
                    targets.append(target.build())
                }
            }
        }
        return targets
    }
}
