public import VigilModel
import VigilConfig

/// One entry of `inhibit_rules:`: alerts matching the target matchers are muted while an alert
/// matching the source matchers fires with the same values of the `equal` labels.
public struct InhibitRuleConfig: Sendable, Decodable {
    /// Source matchers (from `source_match`, `source_match_re` and `source_matchers`).
    public var sourceMatchers: [LabelMatcher]
    /// Target matchers (from `target_match`, `target_match_re` and `target_matchers`).
    public var targetMatchers: [LabelMatcher]
    /// Labels whose values must be equal in source and target (a missing label equals an empty one).
    public var equal: [String]

    private enum CodingKeys: String, CodingKey {
        case sourceMatch = "source_match", sourceMatchRE = "source_match_re", sourceMatchers = "source_matchers"
        case targetMatch = "target_match", targetMatchRE = "target_match_re", targetMatchers = "target_matchers"
        case equal
    }

    /// Reads a rule with Alertmanager's checks and messages.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let sourceEqual = try container.map(.sourceMatch, of: String.self)
        let sourceRegex = try container.map(.sourceMatchRE, of: String.self)
        let sourceLines = try container.list(.sourceMatchers, of: String.self)
        let targetEqual = try container.map(.targetMatch, of: String.self)
        let targetRegex = try container.map(.targetMatchRE, of: String.self)
        let targetLines = try container.list(.targetMatchers, of: String.self)
        equal = try container.list(.equal)
        sourceMatchers = try ConfigMatchers.equality(sourceEqual, field: "source_match")
            + ConfigMatchers.regex(sourceRegex, field: "source_match_re")
            + ConfigMatchers.parse(sourceLines, field: "source_matchers")
        targetMatchers = try ConfigMatchers.equality(targetEqual, field: "target_match")
            + ConfigMatchers.regex(targetRegex, field: "target_match_re")
            + ConfigMatchers.parse(targetLines, field: "target_matchers")
        for (index, name) in equal.enumerated() where !LabelName.isValid(name) {
            throw ConfigValidationError("\(GoQuote.quote(name)) is not a valid label name", field: "equal", .index(index))
        }
    }
}
