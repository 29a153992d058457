/// Why a ``LabelMatcher`` could not be built: today only an invalid regular expression.
public struct LabelMatcherError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The label name of the offending matcher.
    public var name: String
    /// The pattern as given.
    public var pattern: String
    /// What the regex parser reported.
    public var reason: String

    /// An error for `pattern` on label `name`.
    public init(name: String, pattern: String, reason: String) {
        self.name = name
        self.pattern = pattern
        self.reason = reason
    }

    /// A message naming the label and the pattern.
    public var description: String {
        "invalid regular expression for label \(name): \"\(pattern)\": \(reason)"
    }
}
