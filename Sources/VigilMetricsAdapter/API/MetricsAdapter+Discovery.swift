/// The discovery documents of an aggregated group: `APIGroup` at `/apis/<group>` and
/// `APIResourceList` at `/apis/<group>/<version>`.
enum APIDiscovery {
    static func group(name: String, versions: [String]) -> String {
        let entries = versions.map { "{\"groupVersion\":\"\(name)/\($0)\",\"version\":\"\($0)\"}" }
        return "{\"kind\":\"APIGroup\",\"apiVersion\":\"v1\",\"name\":\"\(name)\",\"versions\":["
            + entries.joined(separator: ",") + "],\"preferredVersion\":" + entries[0] + "}"
    }

    /// One `metav1.APIResource` per metric, as custom-metrics-apiserver lists them.
    static func resourceList(groupVersion: String, resources: [(name: String, namespaced: Bool)], kind: String) -> String {
        let items = resources.map { resource in
            "{\"name\":" + KubernetesJSON.quote(resource.name) + ",\"singularName\":\"\",\"namespaced\":"
                + (resource.namespaced ? "true" : "false") + ",\"kind\":\"\(kind)\",\"verbs\":[\"get\"]}"
        }
        return "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"\(groupVersion)\",\"resources\":["
            + items.joined(separator: ",") + "]}"
    }

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
