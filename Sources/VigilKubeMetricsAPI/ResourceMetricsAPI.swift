import VigilModel
import VigilTemplate
import VigilTSDB

/// metrics.k8s.io/v1beta1, as metrics-server serves it: NodeMetrics and PodMetrics, lists and
/// single objects, from a ``ResourceUsageReader``.
///
/// `labelSelector` and `fieldSelector` select on the Node and Pod objects' labels and fields,
/// which the stored resource series do not carry: an ``ObjectSelector`` (the API server) names
/// the objects they pick. Without one, a request with a selector gets a 400 `BadRequest` rather
/// than a silently wrong answer.
public struct ResourceMetricsAPI: Sendable {
    /// The objects of `resource` (`nodes` or `pods`) in `namespace` (nil: all) that the selectors
    /// pick, as keys: `namespace/name` for pods, `name` for nodes.
    public typealias ObjectSelector =
        @Sendable (_ resource: String, _ namespace: String?, _ labelSelector: String, _ fieldSelector: String) async throws -> Set<String>

    /// The group name.
    public static let groupName = "metrics.k8s.io"
    /// The one version served.
    public static let version = "v1beta1"
    static let groupVersion = groupName + "/" + version

    private let reader: ResourceUsageReader
    private let clock: @Sendable () -> Int64
    private let selectObjects: ObjectSelector?

    /// The API over `reader`; `clock` gives the request time in milliseconds since the epoch;
    /// `selectObjects` answers selectors (nil: they are refused).
    public init(reader: ResourceUsageReader, selectObjects: ObjectSelector? = nil, clock: @escaping @Sendable () -> Int64) {
        self.reader = reader
        self.selectObjects = selectObjects
        self.clock = clock
    }

    /// The group for ``AggregatedAPIServer``.
    public var group: AggregatedAPIGroup {
        AggregatedAPIGroup(name: Self.groupName, versions: [Self.version]) { path, query in
            await self.respond(path: path, query: query)
        }
    }

    /// The discovery resources: nodes (cluster-scoped) and pods (namespaced), `get` and `list`.
    static let resources = [
        APIDiscovery.Resource(name: "nodes", namespaced: false, kind: "NodeMetrics", verbs: ["get", "list"]),
        APIDiscovery.Resource(name: "pods", namespaced: true, kind: "PodMetrics", verbs: ["get", "list"]),
    ]

    /// Answers a GET of `path` (under `/apis/metrics.k8s.io`).
    func respond(path: String, query: [(String, String)]) async -> (status: Int, body: [UInt8]) {
        let prefix = "/apis/" + Self.groupName
        guard path.hasPrefix(prefix) else { return failure(.pathNotFound) }
        let parts = path.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if parts.isEmpty {
            return (200, APIDiscovery.group(group))
        }
        guard parts[0] == Self.version else { return failure(.pathNotFound) }
        let rest = Array(parts.dropFirst())
        if rest.isEmpty {
            return (200, APIDiscovery.resourceList(groupVersion: Self.groupVersion, resources: Self.resources))
        }
        let labelSelector = query.last(where: { $0.0 == "labelSelector" })?.1 ?? ""
        let fieldSelector = query.last(where: { $0.0 == "fieldSelector" })?.1 ?? ""
        if selectObjects == nil {
            for (name, value) in [("labelSelector", labelSelector), ("fieldSelector", fieldSelector)] where !value.isEmpty {
                return failure(
                    KubernetesStatus(
                        code: 400, reason: "BadRequest",
                        message: "\(name) \(JSONQuoting.quote(value)) is not supported: no Kubernetes API connection to select objects with"))
            }
        }
        let now = clock()
        do {
            switch rest.count {
            case 1 where rest[0] == "nodes":
                let nodes = try reader.nodes(now: now)
                return (200, nodeList(try await selected(nodes, "nodes", nil, labelSelector, fieldSelector, key: \.name), now: now))
            case 2 where rest[0] == "nodes":
                guard let node = try reader.nodes(now: now).first(where: { $0.name == rest[1] }) else {
                    return failure(.notFound(resource: "nodes", group: Self.groupName, name: rest[1]))
                }
                return (200, Array(nodeObject(node, now: now, typed: true).utf8))
            case 1 where rest[0] == "pods":
                let pods = try reader.pods(now: now)
                return (200, podList(try await selected(pods, "pods", nil, labelSelector, fieldSelector, key: \.key), now: now))
            case 3 where rest[0] == "namespaces" && rest[2] == "pods":
                let pods = try reader.pods(now: now, namespace: rest[1])
                return (200, podList(try await selected(pods, "pods", rest[1], labelSelector, fieldSelector, key: \.key), now: now))
            case 4 where rest[0] == "namespaces" && rest[2] == "pods":
                guard let pod = try reader.pods(now: now, namespace: rest[1]).first(where: { $0.name == rest[3] }) else {
                    return failure(.notFound(resource: "pods", group: Self.groupName, name: rest[3]))
                }
                return (200, Array(podObject(pod, now: now, typed: true).utf8))
            default:
                return failure(.pathNotFound)
            }
        } catch let status as KubernetesStatus {
            return failure(status)
        } catch {
            return failure(KubernetesStatus(code: 500, reason: "InternalError", message: "Internal error occurred: \(error)"))
        }
    }

    /// `items` whose object the selectors pick; all of them when there is no selector.
    private func selected<Item>(
        _ items: [Item], _ resource: String, _ namespace: String?, _ labelSelector: String, _ fieldSelector: String,
        key: (Item) -> String
    ) async throws -> [Item] {
        guard !labelSelector.isEmpty || !fieldSelector.isEmpty, let selectObjects else { return items }
        let keys: Set<String>
        do {
            keys = try await selectObjects(resource, namespace, labelSelector, fieldSelector)
        } catch let status as KubernetesStatus {
            throw status
        } catch {
            throw KubernetesStatus(code: 500, reason: "InternalError", message: "Internal error occurred: listing \(resource): \(error)")
        }
        return items.filter { keys.contains(key($0)) }
    }

    private func failure(_ status: KubernetesStatus) -> (status: Int, body: [UInt8]) {
        (status.code, status.json)
    }

    private func nodeList(_ nodes: [NodeUsage], now: Int64) -> [UInt8] {
        let items = nodes.map { nodeObject($0, now: now, typed: false) }.joined(separator: ",")
        return Array((#"{"kind":"NodeMetricsList","apiVersion":"# + JSONQuoting.quote(Self.groupVersion) + #","metadata":{},"items":["# + items + "]}").utf8)
    }

    private func podList(_ pods: [PodUsage], now: Int64) -> [UInt8] {
        let items = pods.map { podObject($0, now: now, typed: false) }.joined(separator: ",")
        return Array((#"{"kind":"PodMetricsList","apiVersion":"# + JSONQuoting.quote(Self.groupVersion) + #","metadata":{},"items":["# + items + "]}").utf8)
    }

    /// A NodeMetrics object; list items carry no kind or apiVersion, as Go's encoder omits them.
    private func nodeObject(_ node: NodeUsage, now: Int64, typed: Bool) -> String {
        var out = "{"
        if typed { out += #""kind":"NodeMetrics","apiVersion":"# + JSONQuoting.quote(Self.groupVersion) + "," }
        out += #""metadata":{"name":"# + JSONQuoting.quote(node.name) + #","creationTimestamp":"# + Self.time(now) + "}"
        out += #","timestamp":"# + Self.time(node.timestamp) + #","window":"# + Self.duration(node.window)
        out += #","usage":"# + Self.usage(cpu: node.cpuNanocores, memory: node.memoryBytes) + "}"
        return out
    }

    private func podObject(_ pod: PodUsage, now: Int64, typed: Bool) -> String {
        var out = "{"
        if typed { out += #""kind":"PodMetrics","apiVersion":"# + JSONQuoting.quote(Self.groupVersion) + "," }
        out += #""metadata":{"name":"# + JSONQuoting.quote(pod.name) + #","namespace":"# + JSONQuoting.quote(pod.namespace)
        out += #","creationTimestamp":"# + Self.time(now) + "}"
        out += #","timestamp":"# + Self.time(pod.timestamp) + #","window":"# + Self.duration(pod.window) + #","containers":["#
        out += pod.containers.map { container in
            #"{"name":"# + JSONQuoting.quote(container.name) + #","usage":"# + Self.usage(cpu: container.cpuNanocores, memory: container.memoryBytes) + "}"
        }.joined(separator: ",")
        return out + "]}"
    }

    static func usage(cpu: UInt64, memory: UInt64) -> String {
        #"{"cpu":"# + JSONQuoting.quote(KubernetesQuantity.cpu(nanocores: cpu)) + #","memory":"#
            + JSONQuoting.quote(KubernetesQuantity.memory(bytes: memory)) + "}"
    }

    /// `metav1.Time`: RFC 3339 in whole seconds, quoted.
    static func time(_ milliseconds: Int64) -> String {
        let whole = milliseconds - ((milliseconds % 1000) + 1000) % 1000
        return JSONQuoting.quote(String(RFC3339.format(milliseconds: whole).dropLast(5)) + "Z")
    }

    /// `metav1.Duration`: Go's `Duration.String()`, quoted.
    static func duration(_ milliseconds: Int64) -> String {
        JSONQuoting.quote(GoDuration.format(milliseconds * 1_000_000))
    }
}
