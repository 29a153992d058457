import Testing
import VigilModel

@Suite("Label matcher")
struct LabelMatcherTests {
    typealias M = LabelMatcher

    /// (type, pattern, value, expected) — Prometheus semantics: anchored, `.` matches newline,
    /// and the empty string stands for an absent label.
    static let table: [(M.MatchType, String, String, Bool)] = [
        (.equal, "", "", true), (.equal, "", "bar", false),
        (.notEqual, "", "", false), (.notEqual, "", "bar", true),
        (.equal, "bar", "bar", true), (.equal, "bar", "", false), (.equal, "bar", "barx", false),
        (.notEqual, "bar", "", true), (.notEqual, "bar", "bar", false),
        (.regexMatch, ".*", "", true), (.regexMatch, ".*", "anything\n", true),
        (.regexMatch, "", "", true), (.regexMatch, "", "x", false),
        (.regexMatch, ".+", "", false), (.regexMatch, ".+", "x", true),
        (.regexNoMatch, ".+", "", true), (.regexNoMatch, ".+", "x", false),
        (.regexNoMatch, ".*", "", false), (.regexNoMatch, ".*", "x", false),
        (.regexMatch, "bar", "bar", true), (.regexMatch, "bar", "xbar", false), (.regexMatch, "bar", "barx", false),
        (.regexMatch, "b.r", "b\nr", true),
        (.regexMatch, "a|b", "a", true), (.regexMatch, "a|b", "b", true), (.regexMatch, "a|b", "ab", false),
        (.regexMatch, "a|b", "", false), (.regexNoMatch, "a|b", "", true), (.regexNoMatch, "a|b", "a", false),
        (.regexMatch, "(?:x|y)", "y", true), (.regexMatch, "(x|yz)", "yz", true),
        (.regexMatch, "a|", "", true),
        (.regexMatch, "foo.*", "foo", true), (.regexMatch, "foo.*", "foobar", true),
        (.regexMatch, "foo.*", "foo\nx", true), (.regexMatch, "foo.*", "xfoo", false),
        (.regexMatch, "(?i)abc", "ABC", true),
        (.regexMatch, "[a-c]+", "abcab", true), (.regexMatch, "[a-c]+", "abd", false),
        (.regexMatch, "a\\.b", "a.b", true), (.regexMatch, "a\\.b", "axb", false),
        (.regexMatch, "\\d+", "123", true), (.regexMatch, "\\d+", "d", false),
        (.regexMatch, "a|ab.", "abc", true), (.regexMatch, "(a|ab)(c|bcd)", "abcd", true),
        (.regexMatch, ".", "é", true), (.regexMatch, ".", "e\u{301}", false),
        (.regexMatch, "2..", "200", true), (.regexNoMatch, "2..", "404", true),
    ]

    @Test func semanticsTable() throws {
        for (type, pattern, value, expected) in Self.table {
            let matcher = try M(type, "foo", pattern)
            #expect(matcher.matches(value) == expected, "\(matcher) on \"\(value)\"")
        }
    }

    @Test func matchesEmptySelectsSeriesWithoutTheLabel() throws {
        #expect(try M(.equal, "foo", "").matchesEmpty)
        #expect(try !M(.notEqual, "foo", "").matchesEmpty)
        #expect(try M(.regexMatch, "foo", ".*").matchesEmpty)
        #expect(try M(.regexMatch, "foo", "").matchesEmpty)
        #expect(try M(.regexNoMatch, "foo", ".+").matchesEmpty)
        #expect(try M(.notEqual, "foo", "bar").matchesEmpty)
        #expect(try !M(.regexMatch, "foo", "bar|baz").matchesEmpty)
    }

    @Test func setMatchesFastPath() throws {
        #expect(try M(.regexMatch, "foo", "c|a|b").setMatches == ["a", "b", "c"])
        #expect(try M(.equal, "foo", "x").setMatches == ["x"])
        #expect(try M(.regexMatch, "foo", "a\\.b").setMatches == ["a.b"])
        #expect(try M(.regexMatch, "foo", "a.|b").setMatches == nil)
        #expect(try M(.notEqual, "foo", "x").setMatches == nil)
    }

    @Test func invalidRegexThrowsTypedError() {
        for pattern in ["(", "[", "*a", "[z-a]"] {
            #expect(throws: LabelMatcherError.self, "\(pattern)") { try M(.regexMatch, "foo", pattern) }
        }
    }

    @Test func inverseAndDescription() throws {
        let matcher = try M(.regexMatch, "job", "a|b")
        #expect(matcher.inverse.type == .regexNoMatch)
        #expect(matcher.inverse.matches("c"))
        #expect(matcher.description == "job=~\"a|b\"")
    }
}
