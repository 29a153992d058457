import Logging
import VigilModel

/// The metrics the rules found at the last listing (the adapter's `basicSeriesRegistry` and
/// `externalSeriesRegistry`).
struct MetricRegistry {
    /// A custom metric: on which resource, whether namespaced, and its name.
    struct CustomMetric: Hashable, Comparable {
        var resource: GroupResource
        var namespaced: Bool
        var metric: String

        static func < (lhs: CustomMetric, rhs: CustomMetric) -> Bool {
            (lhs.resource.description + "/" + lhs.metric, lhs.namespaced ? 1 : 0)
                < (rhs.resource.description + "/" + rhs.metric, rhs.namespaced ? 1 : 0)
        }
    }

    /// Which series a metric comes from, and the rule that queries it.
    struct Source {
        var seriesName: String
        var namer: Int
    }

    var custom: [CustomMetric: Source] = [:]
    var external: [String: Source] = [:]
    /// Whether a listing has run.
    var listed = false

    /// `SetSeries`: every series' name and objects; later rules win a name both produce.
    mutating func setCustom(_ seriesByRule: [[Labels]], namers: [MetricNamer], logger: Logger) {
        var found: [CustomMetric: Source] = [:]
        for (index, series) in seriesByRule.enumerated() {
            let namer = namers[index]
            for labels in series {
                let seriesName = labels.name ?? ""
                guard let metric = namer.metricName(forSeriesNamed: seriesName) else {
                    logger.error("unable to name series, skipping", metadata: ["series": "\(labels)"])
                    continue
                }
                let (resources, namespaced) = namer.resources.resources(for: labels)
                for resource in resources {
                    let info = CustomMetric(
                        resource: resource, namespaced: resource.isRootScopedByAdapter ? false : namespaced, metric: metric)
                    found[info] = Source(seriesName: seriesName, namer: index)
                }
            }
        }
        custom = found
    }

    /// `filterAndStoreMetrics`: external metrics are known by name alone.
    mutating func setExternal(_ seriesByRule: [[Labels]], namers: [MetricNamer], logger: Logger) {
        var found: [String: Source] = [:]
        for (index, series) in seriesByRule.enumerated() {
            for labels in series {
                let seriesName = labels.name ?? ""
                guard let metric = namers[index].metricName(forSeriesNamed: seriesName) else {
                    logger.error("unable to name series, skipping", metadata: ["series": "\(labels)"])
                    continue
                }
                found[metric] = Source(seriesName: seriesName, namer: index)
            }
        }
        external = found
    }
}
