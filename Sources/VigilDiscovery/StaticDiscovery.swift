public import VigilConfig
public import VigilModel

/// `static_configs`: the groups written in the config, sent once.
public struct StaticDiscovery: DiscoveryProvider {
    /// The groups, in config order.
    public let groups: [TargetGroup]

    /// Groups from `static_configs`; each group's source is its index, as in Prometheus.
    public init(_ configs: [StaticConfig]) {
        groups = configs.enumerated().map { index, config in
            TargetGroup(
                targets: config.targets.map { Labels(dictionaryLiteral: ("__address__", $0)) },
                labels: Labels(config.labels.map { Label(name: $0.key, value: $0.value) }),
                source: String(index)
            )
        }
    }

    /// Always `static`.
    public var mechanism: String { "static" }

    /// Sends the groups once and returns.
    public func run(send: @escaping @Sendable ([TargetGroup]) async -> Void) async {
        await send(groups)
    }
}
