public import VigilModel
import VigilConfig

/// A node of the routing tree built from a ``RouteConfig``, with its settings inherited.
///
/// Immutable once built; a reload builds a new tree. Matching is depth-first: a node whose
/// matchers match an alert tries its children in order; a matching child stops the scan unless
/// it has `continue: true`; when no child matches, the node itself is the result.
public final class Route: Sendable {
    /// Effective settings of this node.
    public let options: RouteOptions
    /// This node's own matchers (sorted as Alertmanager sorts them).
    public let matchers: [LabelMatcher]
    /// Whether siblings are still tried after this node matched.
    public let continueMatching: Bool
    /// The children, in file order.
    public let routes: [Route]
    /// The path of matcher sets from the root, `{}/{env="prod"}`: Alertmanager's route key.
    public let key: String
    /// The key plus the position among siblings (`{}/{env="prod"}/0`); unique in the tree.
    public let id: String

    /// Builds the tree rooted at `config`; the root starts from Alertmanager's defaults.
    public convenience init(_ config: RouteConfig) {
        self.init(config, parent: nil, parentKey: nil, position: nil)
    }

    private init(_ config: RouteConfig, parent: RouteOptions?, parentKey: String?, position: Int?) {
        var options = parent ?? RouteOptions.defaults
        if let receiver = config.receiver { options.receiver = receiver }
        if let groupBy = config.groupBy {
            options.groupBy = Set(groupBy)
            options.groupByAll = false
        } else if config.groupByAll {
            options.groupByAll = true
        }
        if let wait = config.groupWait { options.groupWait = wait.milliseconds * 1_000_000 }
        if let interval = config.groupInterval { options.groupInterval = interval.milliseconds * 1_000_000 }
        if let repeatInterval = config.repeatInterval { options.repeatInterval = repeatInterval.milliseconds * 1_000_000 }
        options.muteTimeIntervals = config.muteTimeIntervals
        options.activeTimeIntervals = config.activeTimeIntervals
        self.options = options
        matchers = config.matchers
        continueMatching = config.continueMatching
        let key = (parentKey.map { $0 + "/" } ?? "") + config.matchers.alertmanagerDescription
        self.key = key
        id = position.map { key + "/\($0)" } ?? key
        routes = config.routes.enumerated().map { index, child in
            Route(child, parent: options, parentKey: key, position: index)
        }
    }

    /// This node's matchers as Alertmanager prints them: `{env="prod",team=~"a|b"}`.
    public var matchersDescription: String { matchers.alertmanagerDescription }

    /// The routes an alert with `labels` is sent along, in tree order; empty when this node's
    /// own matchers do not match.
    public func match(_ labels: Labels) -> [Route] {
        guard matchers.allMatch(labels) else { return [] }
        var result: [Route] = []
        for child in routes {
            let matched = child.match(labels)
            result += matched
            if !matched.isEmpty, !child.continueMatching { break }
        }
        return result.isEmpty ? [self] : result
    }

    /// Every node of the tree, depth-first, this one first.
    public var allRoutes: [Route] {
        [self] + routes.flatMap(\.allRoutes)
    }

    /// The labels an alert is grouped by on this route: all of them, or the `group_by` ones it has.
    public func groupLabels(of labels: Labels) -> Labels {
        if options.groupByAll { return labels }
        return Labels(labels.filter { options.groupBy.contains($0.name) })
    }
}
