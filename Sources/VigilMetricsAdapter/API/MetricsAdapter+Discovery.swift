import VigilKubeMetricsAPI

/// Paths under an aggregated group, and the answer for one nothing serves.
enum GroupPaths {
    /// What the API server answers for a path it has no route for.
    static let notFound = KubernetesStatus.notFound("the server could not find the requested resource")

    /// The path below `/apis/<group>`, split on `/`, or nil when `path` is not under it.
    static func segments(of path: String, group: String) -> [Substring]? {
        let prefix = "/apis/" + group
        guard path.hasPrefix(prefix) else { return nil }
        let rest = path.dropFirst(prefix.count)
        guard rest.isEmpty || rest.hasPrefix("/") else { return nil }
        return rest.split(separator: "/", omittingEmptySubsequences: true)
    }
}
