import VigilModel
import VigilTemplate

/// A compiled ``DiscoveryRule`` (the adapter's `metricNamer`): filters listed series, names their
/// metrics, finds their objects, and builds the PromQL for a request.
struct MetricNamer: Sendable {
    let seriesQuery: String
    private let filters: [(regex: GoRegex, positive: Bool)]
    private let nameMatches: GoRegex
    private let nameAs: String
    private let nameMatchesText: String
    let resources: ResourceConverter
    private let query: MetricsQueryTemplate
    /// For external rules: whether the request's namespace becomes a matcher.
    private let namespaced: Bool

    init(_ rule: DiscoveryRule, table: KubernetesResourceTable) throws(MetricsAdapterError) {
        seriesQuery = rule.seriesQuery
        resources = try ResourceConverter(rule.resources, table: table)
        do {
            query = try MetricsQueryTemplate(rule.metricsQuery)
        } catch {
            throw MetricsAdapterError(
                "unable to construct metrics query associated with series query \(GoQuote.quote(rule.seriesQuery)): \(error)")
        }
        namespaced = rule.resources.namespaced ?? true
        var filters: [(GoRegex, Bool)] = []
        for filter in rule.seriesFilters {
            let pattern = filter.is.isEmpty ? filter.isNot : filter.is
            guard let regex = GoRegex(pattern) else {
                throw MetricsAdapterError("unable to compile series filter \(GoQuote.quote(pattern))")
            }
            filters.append((regex, !filter.is.isEmpty))
        }
        nameMatchesText = rule.name.matches.isEmpty ? ".*" : rule.name.matches
        guard let nameMatches = GoRegex(nameMatchesText) else {
            throw MetricsAdapterError("unable to compile series name match expression \(GoQuote.quote(rule.name.matches))")
        }
        // The name expression is also a filter, so series it does not match are dropped.
        if !rule.name.matches.isEmpty { filters.append((nameMatches, true)) }
        self.filters = filters
        self.nameMatches = nameMatches
        if !rule.name.as.isEmpty {
            nameAs = rule.name.as
        } else {
            switch GoRegexSyntax.captureGroupCount(nameMatchesText) {
            case 0: nameAs = "$0"
            case 1: nameAs = "$1"
            default:
                throw MetricsAdapterError(
                    "must specify an 'as' value for name matcher \(GoQuote.quote(rule.name.matches)) associated with series query \(GoQuote.quote(rule.seriesQuery))")
            }
        }
    }

    /// Whether a series named `name` passes every filter (`FilterSeries`).
    func accepts(seriesNamed name: String) -> Bool {
        filters.allSatisfy { $0.regex.matches(name) == $0.positive }
    }

    /// The metric name for a series name (`MetricNameForSeries`); nil when `matches` fails.
    func metricName(forSeriesNamed name: String) -> String? {
        guard let groups = nameMatches.firstMatchGroups(in: name) else { return nil }
        return GoRegex.expand(nameAs, groups: groups)
    }

    /// Which objects a custom-metrics query is for.
    enum Objects {
        /// These names (`pod="a"`, or `pod=~"a|b"` for several).
        case names([String])
        /// Every object with the label set, when no object lister is configured.
        case any
    }

    /// The query for a custom metric (`Build`): the metric selector's matchers, then the
    /// namespace's, then the objects'; grouped by the resource's label.
    func customQuery(
        series: String, resource: GroupResource, namespace: String, metricSelector: LabelSelector, objects: Objects
    ) throws(MetricsAdapterError) -> String {
        var parts = Self.parts(metricSelector)
        if !namespace.isEmpty {
            parts.append(.init(key: try resources.label(for: .namespaces), op: .equals, values: [namespace]))
        }
        var (matchers, valuesByName) = try Self.process(parts)
        let resourceLabel = try resources.label(for: resource)
        let target: String
        switch objects {
        case .names(let names):
            target = names.joined(separator: "|")
            matchers.append(names.count > 1 ? Self.matches(resourceLabel, target) : Self.equal(resourceLabel, target))
        case .any:
            target = ".+"
            matchers.append(Self.matches(resourceLabel, target))
        }
        valuesByName[resourceLabel] = target
        return try query.render(
            .init(
                series: series, labelMatchers: matchers.joined(separator: ","), labelValuesByName: valuesByName,
                groupBy: resourceLabel, groupBySlice: [resourceLabel]))
    }

    /// The query for an external metric (`BuildExternal`): the selector's matchers, then the
    /// namespace's unless the rule says `namespaced: false`; no grouping.
    func externalQuery(series: String, namespace: String, metricSelector: LabelSelector) throws(MetricsAdapterError) -> String {
        var parts = Self.parts(metricSelector)
        if namespaced, !namespace.isEmpty {
            parts.append(.init(key: try resources.label(for: .namespaces), op: .equals, values: [namespace]))
        }
        let (matchers, valuesByName) = try Self.process(parts)
        return try query.render(
            .init(
                series: series, labelMatchers: matchers.joined(separator: ","), labelValuesByName: valuesByName,
                groupBy: "", groupBySlice: []))
    }

    /// The label for `resource`, to read an object's name from a result.
    func label(for resource: GroupResource) throws(MetricsAdapterError) -> String {
        try resources.label(for: resource)
    }

    private static func parts(_ selector: LabelSelector) -> [LabelSelector.Requirement] { selector.requirements }

    /// `processQueryParts`: one PromQL matcher per requirement, with the adapter's choices of
    /// operator for each count of values.
    private static func process(
        _ parts: [LabelSelector.Requirement]
    ) throws(MetricsAdapterError) -> (matchers: [String], valuesByName: [String: String]) {
        var matchers: [String] = []
        var valuesByName: [String: String] = [:]
        for part in parts {
            guard !part.key.isEmpty else { throw MetricsAdapterError("label not specified") }
            if part.op == .greaterThan || part.op == .lessThan {
                throw MetricsAdapterError("operator not supported by prometheus")
            }
            let values = part.values
            let matcher: (String, String) -> String
            let target: String
            switch (values.count, part.op) {
            case (0, .exists):
                (matcher, target) = (notEqual, "")
            case (0, .doesNotExist):
                (matcher, target) = (equal, "")
            case (0, _):
                throw MetricsAdapterError("operator requires values")
            case (1, .equals), (1, .doubleEquals):
                (matcher, target) = (equal, values[0])
            case (1, .notEquals):
                (matcher, target) = (notEqual, values[0])
            case (1, .in):
                (matcher, target) = (matches, values[0])
            case (1, .notIn):
                (matcher, target) = (notMatches, values[0])
            case (_, .exists), (_, .doesNotExist):
                throw MetricsAdapterError("operator does not support values")
            case (_, .equals), (_, .doubleEquals), (_, .in):
                (matcher, target) = (matches, values.joined(separator: "|"))
            default:
                (matcher, target) = (notMatches, values.joined(separator: "|"))
            }
            matchers.append(matcher(part.key, target))
            valuesByName[part.key] = values.joined(separator: "|")
        }
        return (matchers, valuesByName)
    }

    // The adapter's `prom.LabelEq` and friends: `%s=%q`.
    private static func equal(_ label: String, _ value: String) -> String { label + "=" + GoQuote.quote(value) }
    private static func notEqual(_ label: String, _ value: String) -> String { label + "!=" + GoQuote.quote(value) }
    private static func matches(_ label: String, _ value: String) -> String { label + "=~" + GoQuote.quote(value) }
    private static func notMatches(_ label: String, _ value: String) -> String { label + "!~" + GoQuote.quote(value) }
}
