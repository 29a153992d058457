import VigilKubernetes
import VigilModel

extension KubernetesTargets {
    /// The `ingress` role: one target per rule path at the rule's host, `https` when a TLS
    /// section covers the host (wildcards match one leading label); source `ingress/<ns>/<name>`.
    static func ingress(_ ingress: Ingress) -> TargetGroup {
        var group = LabelsBuilder()
        group.set(M.prefix + "ingress_name", ingress.metadata.name)
        group.set(M.namespace, ingress.metadata.namespace)
        if let className = ingress.spec?.ingressClassName { group.set(M.prefix + "ingress_class_name", className) }
        M.addLabels(ingress.metadata.labels, resource: "ingress", to: &group)
        M.addAnnotations(ingress.metadata.annotations, resource: "ingress", to: &group)
        let tlsHosts = (ingress.spec?.tls ?? []).flatMap { $0.hosts ?? [] }
        var targets: [Labels] = []
        for rule in ingress.spec?.rules ?? [] {
            let host = rule.host ?? ""
            let scheme = tlsHosts.contains { matchesHostnamePattern($0, host) } ? "https" : "http"
            let paths = rule.http.map { $0.paths.map { ($0.path ?? "").isEmpty ? "/" : $0.path! } } ?? ["/"]
            for path in paths {
                var target = LabelsBuilder()
                target.set("__address__", host)
                target.set(M.prefix + "ingress_scheme", scheme)
                target.set(M.prefix + "ingress_host", host)
                target.set(M.prefix + "ingress_path", path)
                targets.append(target.build())
            }
        }
        return TargetGroup(
            targets: targets, labels: group.build(), source: "ingress/\(ingress.metadata.namespace)/\(ingress.metadata.name)")
    }

    /// Prometheus's `matchesHostnamePattern`: equal, or `*.rest` matching a host with the same
    /// number of labels and the same labels after the first.
    static func matchesHostnamePattern(_ pattern: String, _ host: String) -> Bool {
        if pattern == host { return true }
        let patternParts = pattern.split(separator: ".", omittingEmptySubsequences: false)
        let hostParts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard patternParts.first == "*", patternParts.count == hostParts.count else { return false }
        return patternParts.dropFirst().elementsEqual(hostParts.dropFirst())
    }
}
