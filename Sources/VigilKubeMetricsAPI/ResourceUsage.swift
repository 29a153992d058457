/// One node's usage as NodeMetrics reports it.
public struct NodeUsage: Sendable, Equatable {
    /// The node's name.
    public var name: String
    /// The newer of the two CPU points, milliseconds since the epoch.
    public var timestamp: Int64
    /// The span between the two CPU points, milliseconds.
    public var window: Int64
    /// CPU over the window, in 10⁻⁹ cores.
    public var cpuNanocores: UInt64
    /// The newest working set, bytes.
    public var memoryBytes: UInt64
}

/// One container's usage inside a ``PodUsage``.
public struct ContainerUsage: Sendable, Equatable {
    /// The container's name.
    public var name: String
    /// The newer of the two CPU points, milliseconds since the epoch.
    public var timestamp: Int64
    /// The span between the two CPU points, milliseconds.
    public var window: Int64
    /// CPU over the window, in 10⁻⁹ cores.
    public var cpuNanocores: UInt64
    /// The newest working set, bytes.
    public var memoryBytes: UInt64
}

/// One pod's usage as PodMetrics reports it: its containers, by name.
public struct PodUsage: Sendable, Equatable {
    /// The pod's namespace.
    public var namespace: String
    /// The pod's name.
    public var name: String
    /// The containers, sorted by name.
    public var containers: [ContainerUsage]

    /// `namespace/name`, the pod's key among the selected objects.
    public var key: String { namespace + "/" + name }

    /// The newest container's timestamp, which the PodMetrics object carries.
    public var timestamp: Int64 { containers.map(\.timestamp).max() ?? 0 }
    /// The window of the container with the newest timestamp.
    public var window: Int64 { containers.max { $0.timestamp < $1.timestamp }?.window ?? 0 }
}
