import VigilKubernetes
import VigilModel

extension KubernetesTargets {
    /// The `service` role: one target per service port at `<name>.<ns>.svc:<port>`; source
    /// `svc/<ns>/<name>`.
    static func service(_ service: Service) -> TargetGroup {
        var group = LabelsBuilder()
        M.addService(service, to: &group)
        let type = service.spec?.type ?? ""
        var targets: [Labels] = []
        for port in service.spec?.ports ?? [] {
            var target = LabelsBuilder()
            target.set("__address__", M.hostPort("\(service.metadata.name).\(service.metadata.namespace).svc", port.port))
            target.set(M.prefix + "service_port_name", port.name ?? "")
            target.set(M.prefix + "service_port_number", String(port.port))
            target.set(M.prefix + "service_port_protocol", port.protocol ?? "")
            target.set(M.prefix + "service_type", type)
            if type == "ExternalName" {
                target.set(M.prefix + "service_external_name", service.spec?.externalName ?? "")
            } else {
                target.set(M.prefix + "service_cluster_ip", service.spec?.clusterIP ?? "")
            }
            if type == "LoadBalancer" {
                target.set(M.prefix + "service_loadbalancer_ip", service.spec?.loadBalancerIP ?? "")
            }
            targets.append(target.build())
        }
        return TargetGroup(
            targets: targets, labels: group.build(), source: "svc/\(service.metadata.namespace)/\(service.metadata.name)")
    }
}
