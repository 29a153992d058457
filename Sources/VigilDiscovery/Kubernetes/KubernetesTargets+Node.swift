import VigilKubernetes
import VigilModel

extension KubernetesTargets {
    /// The `node` role: one target per node at its first address (InternalIP, InternalDNS,
    /// ExternalIP, ExternalDNS, LegacyHostIP, Hostname, in that order of preference) and the
    /// kubelet port, `instance` set to the node name; source `node/<name>`. A node without an
    /// address yields no group, as in Prometheus.
    static func node(_ node: Node) -> TargetGroup? {
        var byType: [String: [String]] = [:]
        var typeOrder: [String] = []
        for address in node.status?.addresses ?? [] {
            if byType[address.type] == nil { typeOrder.append(address.type) }
            byType[address.type, default: []].append(address.address)
        }
        let preference = ["InternalIP", "InternalDNS", "ExternalIP", "ExternalDNS", "LegacyHostIP", "Hostname"]
        guard let type = preference.first(where: { byType[$0] != nil }), let address = byType[type]?.first else { return nil }
        var group = LabelsBuilder()
        group.set(M.prefix + "node_name", node.metadata.name)
        group.set(M.prefix + "node_provider_id", node.spec?.providerID ?? "")
        M.addLabels(node.metadata.labels, resource: "node", to: &group)
        M.addAnnotations(node.metadata.annotations, resource: "node", to: &group)
        var target = LabelsBuilder()
        target.set("__address__", M.hostPort(address, node.status?.daemonEndpoints?.kubeletEndpoint?.port ?? 0))
        target.set("instance", node.metadata.name)
        for type in typeOrder {
            target.set(M.sanitize(M.prefix + "node_address_" + type), byType[type]![0])
        }
        return TargetGroup(targets: [target.build()], labels: group.build(), source: "node/\(node.metadata.name)")
    }
}
