public import VigilConfig

/// `resourceRules`: the queries prometheus-adapter serves metrics.k8s.io from (CPU and memory of
/// containers and nodes, over `window`). Vigil parses them so a config loads unchanged; the
/// resource metrics API itself is served from the collectors' series (see docs/KUBERNETES.md).
public struct ResourceRules: Sendable, Hashable, Decodable {
    /// CPU usage queries (`cpu`).
    public var cpu: ResourceRule
    /// Memory usage queries (`memory`).
    public var memory: ResourceRule
    /// The window the rates are taken over (`window`), reported as the metrics' window.
    public var window: PromDuration

    enum CodingKeys: String, CodingKey {
        case cpu, memory, window
    }

    /// Decodes both rules and the window.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        cpu = try container.value(.cpu, default: ResourceRule())
        memory = try container.value(.memory, default: ResourceRule())
        window = try container.value(.window, default: .zero)
    }
}

/// One resource's queries: per container and per node, with the labels naming the objects.
public struct ResourceRule: Sendable, Hashable, Decodable {
    /// The query template for containers (`containerQuery`).
    public var containerQuery: String
    /// The query template for nodes (`nodeQuery`).
    public var nodeQuery: String
    /// How labels map to objects (`resources`).
    public var resources: ResourceMapping
    /// The label holding the container name (`containerLabel`).
    public var containerLabel: String

    /// An empty rule.
    public init() {
        containerQuery = ""
        nodeQuery = ""
        resources = ResourceMapping()
        containerLabel = ""
    }

    enum CodingKeys: String, CodingKey {
        case containerQuery, nodeQuery, resources, containerLabel
    }

    /// Decodes the rule and compiles its templates.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        containerQuery = try container.value(.containerQuery, default: "")
        nodeQuery = try container.value(.nodeQuery, default: "")
        resources = try container.value(.resources, default: ResourceMapping())
        containerLabel = try container.value(.containerLabel, default: "")
        for (field, text) in [("containerQuery", containerQuery), ("nodeQuery", nodeQuery)] {
            do {
                _ = try MetricsQueryTemplate(text)
            } catch {
                throw ConfigValidationError("\(error)", field: .key(field))
            }
        }
    }
}
