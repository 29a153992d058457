/// One label selector term such as `job="node"`, `code!="200"`, `path=~"/api/.*"`, `env!~"dev|test"`.
///
/// Regular expressions are fully anchored (`^(?s:re)$`, as in Prometheus: `.` also matches a
/// newline) and compiled once at construction. Common shapes never reach the regex engine: a
/// literal, an alternation of literals (`a|b|c`), a literal prefix (`foo.*`), `.*` and `.+`.
/// Swift's `Regex` stands in for RE2: ordinary syntax behaves alike; RE2-only syntax is
/// rejected at construction. Immutable and `Sendable`.
public struct LabelMatcher: Sendable, Hashable, CustomStringConvertible {
    /// How the value is compared.
    public enum MatchType: Sendable, Hashable, CustomStringConvertible {
        /// `=`
        case equal
        /// `!=`
        case notEqual
        /// `=~`
        case regexMatch
        /// `!~`
        case regexNoMatch

        /// The PromQL operator.
        public var description: String {
            switch self {
            case .equal: "="
            case .notEqual: "!="
            case .regexMatch: "=~"
            case .regexNoMatch: "!~"
            }
        }
    }

    /// How the value is compared.
    public let type: MatchType
    /// The label name.
    public let name: String
    /// The value or the (unanchored) pattern as written.
    public let value: String

    @usableFromInline let matcher: ValueMatcher

    /// Creates a matcher; throws if a regex `value` does not compile.
    public init(_ type: MatchType, _ name: String, _ value: String) throws(LabelMatcherError) {
        self.type = type
        self.name = name
        self.value = value
        switch type {
        case .equal, .notEqual: matcher = .literal(value)
        case .regexMatch, .regexNoMatch: matcher = try ValueMatcher(pattern: value, name: name)
        }
    }

    /// Whether a series whose label `name` has `value` is selected (`""` stands for "label absent").
    @inlinable
    public func matches(_ value: String) -> Bool {
        switch type {
        case .equal, .regexMatch: matcher.matches(value)
        case .notEqual, .regexNoMatch: !matcher.matches(value)
        }
    }

    /// Whether this matcher selects the empty value, and therefore also series without the label
    /// (`{foo=""}`, `{foo!="bar"}`, `{foo=~".*"}`, `{foo!~".+"}`).
    public var matchesEmpty: Bool { matches("") }

    /// The exact values this matcher accepts, when it is `=` or a regex of literal alternatives;
    /// nil otherwise. The index uses it to look postings up directly.
    public var setMatches: [String]? {
        guard type == .equal || type == .regexMatch else { return nil }
        switch matcher {
        case .literal(let literal): return [literal]
        case .set(let values): return values.sorted { ByteOrder.less($0, $1) }
        default: return nil
        }
    }

    /// For `=~ "prefix.*"`, the literal prefix every accepted value starts with; nil otherwise.
    /// Values starting with it are adjacent in byte order, so a sorted value list can be
    /// searched instead of scanned.
    public var literalPrefix: String? {
        guard type == .regexMatch, case .prefix(let prefix) = matcher else { return nil }
        return prefix
    }

    /// The matcher with the opposite type (`=` ↔ `!=`, `=~` ↔ `!~`), sharing the compiled pattern.
    public var inverse: LabelMatcher {
        let flipped: MatchType
        switch type {
        case .equal: flipped = .notEqual
        case .notEqual: flipped = .equal
        case .regexMatch: flipped = .regexNoMatch
        case .regexNoMatch: flipped = .regexMatch
        }
        return LabelMatcher(type: flipped, name: name, value: value, matcher: matcher)
    }

    private init(type: MatchType, name: String, value: String, matcher: ValueMatcher) {
        self.type = type
        self.name = name
        self.value = value
        self.matcher = matcher
    }

    /// `name="value"` with the value quoted as PromQL writes it.
    public var description: String {
        var result = name + type.description + "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// Equal when type, name and value are equal.
    public static func == (lhs: LabelMatcher, rhs: LabelMatcher) -> Bool {
        lhs.type == rhs.type && lhs.name == rhs.name && lhs.value == rhs.value
    }

    /// Hashes type, name and value.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        hasher.combine(name)
        hasher.combine(value)
    }
}
