public import VigilConfig

/// One entry of a rule file's `groups`: rules evaluated together, in order, at one interval.
public struct RuleGroupDefinition: Sendable, Hashable, Decodable {
    /// The group's name, unique within its file.
    public var name: String
    /// How often the group is evaluated; nil means the global `evaluation_interval`.
    public var interval: PromDuration?
    /// How far back in time the group's queries look; nil means the global `rule_query_offset`.
    public var queryOffset: PromDuration?
    /// The most series a recording rule, or alerts an alerting rule, may produce; 0 is no limit.
    public var limit: Int
    /// The rules, in evaluation order.
    public var rules: [RuleDefinition]

    /// A group built in code.
    public init(
        name: String, interval: PromDuration? = nil, queryOffset: PromDuration? = nil, limit: Int = 0,
        rules: [RuleDefinition]
    ) {
        self.name = name
        self.interval = interval
        self.queryOffset = queryOffset
        self.limit = limit
        self.rules = rules
    }

    enum CodingKeys: String, CodingKey {
        case name, interval
        case queryOffset = "query_offset"
        case limit, rules
    }

    /// Decodes and validates one group.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        interval = try container.decodeIfPresent(PromDuration.self, forKey: .interval)
        queryOffset = try container.decodeIfPresent(PromDuration.self, forKey: .queryOffset)
        let limit = try container.decodeIfPresent(Int.self, forKey: .limit) ?? 0
        rules = try container.decodeIfPresent([RuleDefinition].self, forKey: .rules) ?? []
        if name.isEmpty {
            throw ConfigValidationError("Groupname must not be empty", field: "name")
        }
        if limit < 0 {
            throw ConfigValidationError("limit must not be negative", field: "limit")
        }
        self.limit = limit
        if interval == .zero {
            throw ConfigValidationError("interval must be greater than zero", field: "interval")
        }
    }
}
