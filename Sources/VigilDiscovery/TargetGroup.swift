public import VigilModel

/// A set of targets sharing labels, as a discovery mechanism reports it (Prometheus's
/// `targetgroup.Group`).
///
/// Each target is a label set holding at least `__address__`; ``labels`` apply to every target
/// unless the target sets the same name itself. ``source`` identifies the group within its
/// provider, so an update can replace it.
public struct TargetGroup: Sendable, Hashable {
    /// The targets, each with `__address__` and any per-target labels (`__meta_*`).
    public var targets: [Labels]
    /// Labels common to all targets of the group.
    public var labels: Labels
    /// A stable identifier of the group within its provider (file path and index, URL, name).
    public var source: String

    /// A group of `targets` with common `labels`.
    public init(targets: [Labels], labels: Labels = .empty, source: String) {
        self.targets = targets
        self.labels = labels
        self.source = source
    }
}
