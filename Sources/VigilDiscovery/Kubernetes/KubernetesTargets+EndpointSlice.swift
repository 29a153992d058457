import VigilKubernetes
import VigilModel

extension KubernetesTargets {
    /// The `endpointslice` role: one target per endpoint, port and address, with the
    /// conditions, hostname, target reference and topology the slice gives, merged with the pod
    /// behind it; then the pods' uncovered container ports. Service labels come from the service
    /// named by the `kubernetes.io/service-name` label. Source `endpointslice/<ns>/<name>`.
    static func endpointSlice(_ slice: EndpointSlice, context: EndpointContext) -> TargetGroup {
        let namespace = slice.metadata.namespace
        var group = LabelsBuilder()
        group.set(M.namespace, namespace)
        group.set(M.prefix + "endpointslice_name", slice.metadata.name)
        group.set(M.prefix + "endpointslice_address_type", slice.addressType ?? "")
        if let serviceName = slice.metadata.labels["kubernetes.io/service-name"],
            let service = context.services[ObjectKey(namespace: namespace, name: serviceName)]
        {
            M.addService(service, to: &group)
        }
        var targets: [Labels] = []
        var seenPods = SeenPods()
        for endpoint in slice.endpoints ?? [] {
            for port in slice.ports ?? [] {
                for address in endpoint.addresses ?? [] {
                    var target = LabelsBuilder()
                    target.set("__address__", port.port.map { M.hostPort(address, $0) } ?? address)
                    if let name = port.name { target.set(M.prefix + "endpointslice_port_name", name) }
                    if let proto = port.protocol { target.set(M.prefix + "endpointslice_port_protocol", proto) }
                    if let number = port.port { target.set(M.prefix + "endpointslice_port", String(number)) }
                    if let app = port.appProtocol { target.set(M.prefix + "endpointslice_port_app_protocol", app) }
                    let conditions = endpoint.conditions
                    if let ready = conditions?.ready { target.set(M.prefix + "endpointslice_endpoint_conditions_ready", String(ready)) }
                    if let serving = conditions?.serving {
                        target.set(M.prefix + "endpointslice_endpoint_conditions_serving", String(serving))
                    }
                    if let terminating = conditions?.terminating {
                        target.set(M.prefix + "endpointslice_endpoint_conditions_terminating", String(terminating))
                    }
                    if let hostname = endpoint.hostname { target.set(M.prefix + "endpointslice_endpoint_hostname", hostname) }
                    if let reference = endpoint.targetRef {
                        target.set(M.prefix + "endpointslice_address_target_kind", reference.kind ?? "")
                        target.set(M.prefix + "endpointslice_address_target_name", reference.name ?? "")
                    }
                    for (key, value) in endpoint.deprecatedTopology ?? [:] {
                        let name = M.sanitize(key)
                        target.set(M.prefix + "endpointslice_endpoint_topology_" + name, value)
                        target.set(M.prefix + "endpointslice_endpoint_topology_present_" + name, "true")
                    }
                    if context.nodes != nil { M.addNode(named: endpoint.nodeName, nodes: context.nodes, to: &target) }
                    guard let pod = context.pod(endpoint.targetRef) else {
                        targets.append(target.build())
                        continue
                    }
                    seenPods.note(pod, port: port.port)
                    M.addPod(pod, to: &target)
                    if let number = port.port, let (container, containerPort) = matchingContainerPort(pod, number) {
                        target.set(M.prefix + "pod_container_name", container.name)
                        target.set(M.prefix + "pod_container_image", container.image ?? "")
                        target.set(M.prefix + "pod_container_port_name", containerPort.name ?? "")
                        target.set(M.prefix + "pod_container_port_number", String(number))
                        target.set(M.prefix + "pod_container_port_protocol", containerPort.protocol ?? "")
                    }
                    targets.append(target.build())
                }
            }
        }
        targets += seenPods.uncoveredPortTargets()
        return TargetGroup(targets: targets, labels: group.build(), source: "endpointslice/\(namespace)/\(slice.metadata.name)")
    }
}
