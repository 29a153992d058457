import VigilConfig
import VigilModel
import VigilPromQL
import VigilTemplate

/// One rule of `rules` or `externalRules`: which series become which metrics, on which objects,
/// and the PromQL that computes them.
///
/// The adapter's four steps: *discovery* (`seriesQuery`, `seriesFilters`), *association*
/// (`resources`), *naming* (`name`) and *querying* (`metricsQuery`).
public struct DiscoveryRule: Sendable, Hashable, Decodable {
    /// The series selector listed from the store (`seriesQuery`), e.g. `{__name__=~"^container_.*"}`.
    public var seriesQuery: String
    /// Further tests of each listed series' name (`seriesFilters`), all of which must pass.
    public var seriesFilters: [RegexFilter]
    /// How labels map to Kubernetes objects (`resources`).
    public var resources: ResourceMapping
    /// How a series name becomes a metric name (`name`).
    public var name: NameMapping
    /// The Go template, with `<<`/`>>` delimiters, producing the PromQL query (`metricsQuery`).
    public var metricsQuery: String

    /// A rule from its parts; the templates and expressions are not checked here (decoding checks them).
    public init(
        seriesQuery: String, seriesFilters: [RegexFilter] = [], resources: ResourceMapping = ResourceMapping(),
        name: NameMapping = NameMapping(), metricsQuery: String
    ) {
        self.seriesQuery = seriesQuery
        self.seriesFilters = seriesFilters
        self.resources = resources
        self.name = name
        self.metricsQuery = metricsQuery
    }

    enum CodingKeys: String, CodingKey {
        case seriesQuery, seriesFilters, resources, name, metricsQuery
    }

    /// Decodes a rule and compiles its selector, expressions and templates, as the adapter does
    /// when it starts; a failure names the field.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        seriesQuery = try container.value(.seriesQuery, default: "")
        seriesFilters = try container.list(.seriesFilters)
        resources = try container.value(.resources, default: ResourceMapping())
        name = try container.value(.name, default: NameMapping())
        metricsQuery = try container.value(.metricsQuery, default: "")
        do {
            _ = try PromQL.parseMetricSelector(seriesQuery)
        } catch {
            throw ConfigValidationError("invalid series query \(GoQuote.quote(seriesQuery)): \(error.message)", field: "seriesQuery")
        }
        do {
            _ = try MetricsQueryTemplate(metricsQuery)
        } catch {
            throw ConfigValidationError(
                "unable to construct metrics query associated with series query \(GoQuote.quote(seriesQuery)): \(error)",
                field: "metricsQuery")
        }
        if !name.matches.isEmpty, name.as.isEmpty {
            let groups = GoRegexSyntax.captureGroupCount(name.matches)
            if groups > 1 {
                throw ConfigValidationError(
                    "must specify an 'as' value for name matcher \(GoQuote.quote(name.matches)) associated with series query \(GoQuote.quote(seriesQuery))",
                    field: "name", "as")
            }
        }
    }
}

/// One entry of `seriesFilters`: exactly one of `is` (the name must match) or `isNot` (it must not).
public struct RegexFilter: Sendable, Hashable, Decodable {
    /// The expression a series name must match (`is`), unanchored as Go's `MatchString` is.
    public var `is`: String
    /// The expression a series name must not match (`isNot`).
    public var isNot: String

    /// A filter from its expressions (one of them empty).
    public init(is: String = "", isNot: String = "") {
        self.is = `is`
        self.isNot = isNot
    }

    enum CodingKeys: String, CodingKey {
        case `is`, isNot
    }

    /// Decodes a filter and compiles its expression, with the adapter's messages.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        `is` = try container.value(.is, default: "")
        isNot = try container.value(.isNot, default: "")
        if !`is`.isEmpty, !isNot.isEmpty {
            throw ConfigValidationError(
                "cannot have both an `is` (\(GoQuote.quote(`is`))) and `isNot` (\(GoQuote.quote(isNot))) expression in a single filter")
        }
        if `is`.isEmpty, isNot.isEmpty {
            throw ConfigValidationError("must have either an `is` or `isNot` expression in a filter")
        }
        let pattern = `is`.isEmpty ? isNot : `is`
        try GoRegexSyntax.check(pattern, field: `is`.isEmpty ? "isNot" : "is", what: "series filter")
    }
}

/// `resources`: the labels naming Kubernetes objects.
public struct ResourceMapping: Sendable, Hashable, Decodable {
    /// A Go template (`<<.Group>>`, `<<.Resource>>`) turning a resource into a label name, and back
    /// (`template`), e.g. `kube_<<.Group>>_<<.Resource>>`; empty when only overrides apply.
    public var template: String
    /// Labels naming a resource outright (`overrides`), e.g. `pod: {resource: pod}`.
    public var overrides: [String: GroupResourceName]
    /// For external rules: whether a request's namespace becomes a matcher (`namespaced`,
    /// default true).
    public var namespaced: Bool?

    /// A mapping from its parts.
    public init(template: String = "", overrides: [String: GroupResourceName] = [:], namespaced: Bool? = nil) {
        self.template = template
        self.overrides = overrides
        self.namespaced = namespaced
    }

    enum CodingKeys: String, CodingKey {
        case template, overrides, namespaced
    }

    /// Decodes the mapping and checks its template can be read backwards (it must hold `<<.Resource>>`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        template = try container.value(.template, default: "")
        overrides = try container.map(.overrides)
        namespaced = try container.optional(.namespaced)
        if !template.isEmpty {
            do {
                _ = try ResourceLabelTemplate(template)
            } catch {
                throw ConfigValidationError(error.message, field: "template")
            }
        }
        let table = KubernetesResourceTable.decoding
        for label in overrides.keys.sorted() {
            let override = overrides[label]!
            if table.normalize(GroupResource(group: override.group, resource: override.resource)) == nil {
                throw ConfigValidationError(
                    "unable to normalize group-resource \(override): no matches for \(GroupResource(group: override.group, resource: override.resource))",
                    field: "overrides", .key(label), "resource")
            }
        }
    }
}

/// An override's target: a resource and its API group (`{group: apps, resource: deployment}`).
public struct GroupResourceName: Sendable, Hashable, Decodable, CustomStringConvertible {
    /// The API group (`group`), empty for the core group.
    public var group: String
    /// The resource, singular or plural (`resource`).
    public var resource: String

    /// A target from its parts.
    public init(group: String = "", resource: String) {
        self.group = group
        self.resource = resource
    }

    enum CodingKeys: String, CodingKey {
        case group, resource
    }

    /// Decodes `group` (optional) and `resource`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        group = try container.value(.group, default: "")
        resource = try container.value(.resource, default: "")
    }

    /// Go's `%v` of the adapter's struct: `{group resource}`.
    public var description: String { "{\(group) \(resource)}" }
}

/// `name`: a regular expression over the series name and what the metric is called (`as`).
public struct NameMapping: Sendable, Hashable, Decodable {
    /// The expression (`matches`), unanchored; empty matches every name.
    public var matches: String
    /// The metric name with `$1`/`${name}` references (`as`); empty means `$1` with one capture
    /// group and `$0` with none.
    public var `as`: String

    /// A mapping from its parts.
    public init(matches: String = "", as: String = "") {
        self.matches = matches
        self.as = `as`
    }

    enum CodingKeys: String, CodingKey {
        case matches, `as`
    }

    /// Decodes the mapping and compiles `matches`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        matches = try container.value(.matches, default: "")
        `as` = try container.value(.as, default: "")
        if !matches.isEmpty { try GoRegexSyntax.check(matches, field: "matches", what: "series name match expression") }
    }
}
