import VigilModel

/// The legacy discovery documents (`/apis`, `/apis/<group>`, `/apis/<group>/<version>`) as
/// kube-apiserver and metrics-server write them; `kubectl top` and the aggregator's availability
/// check read these.
public enum APIDiscovery {
    /// `/apis`: an `APIGroupList` naming every group.
    public static func groupList(_ groups: [AggregatedAPIGroup]) -> [UInt8] {
        Array((#"{"kind":"APIGroupList","apiVersion":"v1","groups":["# + groups.map(groupBody).joined(separator: ",") + "]}").utf8)
    }

    /// `/apis/<group>`: an `APIGroup`.
    public static func group(_ group: AggregatedAPIGroup) -> [UInt8] {
        Self.group(name: group.name, versions: group.versions)
    }

    /// `/apis/<name>`: an `APIGroup` serving `versions`, preferred first.
    public static func group(name: String, versions: [String]) -> [UInt8] {
        Array((#"{"kind":"APIGroup","apiVersion":"v1","# + groupBody(name: name, versions: versions).dropFirst()).utf8)
    }

    /// One resource in an `APIResourceList`.
    public struct Resource: Sendable {
        /// The plural name (`nodes`).
        public var name: String
        /// The singular name; empty, as metrics-server leaves it.
        public var singularName: String
        /// Whether it lives in a namespace.
        public var namespaced: Bool
        /// The kind of one object (`NodeMetrics`).
        public var kind: String
        /// The verbs served (`get`, `list`).
        public var verbs: [String]

        /// A resource; see the properties.
        public init(name: String, singularName: String = "", namespaced: Bool, kind: String, verbs: [String]) {
            self.name = name
            self.singularName = singularName
            self.namespaced = namespaced
            self.kind = kind
            self.verbs = verbs
        }
    }

    /// `/apis/<group>/<version>`: an `APIResourceList`.
    public static func resourceList(groupVersion: String, resources: [Resource]) -> [UInt8] {
        var out = #"{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"# + JSONQuoting.quote(groupVersion) + #","resources":["#
        for (index, resource) in resources.enumerated() {
            if index > 0 { out += "," }
            out += #"{"name":"# + JSONQuoting.quote(resource.name) + #","singularName":"# + JSONQuoting.quote(resource.singularName)
            out += #","namespaced":"# + (resource.namespaced ? "true" : "false") + #","kind":"# + JSONQuoting.quote(resource.kind)
            out += #","verbs":["# + resource.verbs.map(JSONQuoting.quote).joined(separator: ",") + "]}"
        }
        return Array((out + "]}").utf8)
    }

    /// `{"name":…,"versions":[…],"preferredVersion":…}`.
    private static func groupBody(_ group: AggregatedAPIGroup) -> String {
        groupBody(name: group.name, versions: group.versions)
    }

    private static func groupBody(name: String, versions: [String]) -> String {
        func version(_ version: String) -> String {
            #"{"groupVersion":"# + JSONQuoting.quote(name + "/" + version) + #","version":"# + JSONQuoting.quote(version) + "}"
        }
        var out = #"{"name":"# + JSONQuoting.quote(name) + #","versions":["# + versions.map(version).joined(separator: ",") + "]"
        if let preferred = versions.first { out += #","preferredVersion":"# + version(preferred) }
        return out + "}"
    }
}
