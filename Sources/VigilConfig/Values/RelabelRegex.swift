/// A relabeling regular expression, anchored at both ends the way Prometheus anchors it.
///
/// Prometheus compiles `^(?:re)$`, so `foo.*` must match a whole value. The pattern is compiled
/// (and so validated) when the configuration loads; ``pattern`` keeps the text as written.
/// Matching uses Swift's `Regex` for now; RE2-only syntax that Swift rejects is a load error.
public struct RelabelRegex: @unchecked Sendable, Hashable, CustomStringConvertible, Decodable {
    // Regex is a value type whose program is immutable once built; it is safe to share.

    /// The expression as written in the configuration, without the added anchors.
    public let pattern: String
    /// The compiled, anchored expression.
    public let regex: Regex<AnyRegexOutput>

    /// The default relabel regex, `(.*)`.
    public static let matchAll = try! RelabelRegex("(.*)")

    /// Compiles `pattern` anchored as `^(?:pattern)$`; throws ``ConfigValidationError`` if invalid.
    public init(_ pattern: String) throws(ConfigValidationError) {
        self.pattern = pattern
        do {
            // RE2 matches code points, not grapheme clusters.
            regex = try Regex("^(?:" + pattern + ")$").matchingSemantics(.unicodeScalar)
        } catch {
            throw ConfigValidationError("invalid regex \"\(pattern)\": \(error)")
        }
    }

    /// Decodes from a YAML scalar holding the expression.
    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    /// Whether the whole of `value` matches.
    public func matches(_ value: String) -> Bool {
        (try? regex.wholeMatch(in: value)) != nil
    }

    /// The pattern as written.
    public var description: String { pattern }

    /// Two regexes are equal when written the same.
    public static func == (lhs: RelabelRegex, rhs: RelabelRegex) -> Bool { lhs.pattern == rhs.pattern }

    /// Hashes the pattern text.
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }
}
