public import VigilModel

/// Alertmanager's matcher syntax, as `route.matchers`, `inhibit_rules.*_matchers`, silences and
/// amtool read it: `name="value"`, `name!=value`, `name=~"re"`, `name!~re`, optionally in braces,
/// several separated by commas.
///
/// Values may be quoted or bare; inside them `\"`, `\\` and `\n` are escapes and any other
/// backslash is literal. Regular expressions are fully anchored. Parsing never traps: any input
/// either yields matchers or a ``MatcherParseError``.
public enum AlertMatchers {
    /// Parses a comma-separated list of matchers, optionally wrapped in `{` `}`.
    public static func parse(_ text: String) throws(MatcherParseError) -> [LabelMatcher] {
        var scalars = Substring(text).unicodeScalars[...]
        var base = 0
        if scalars.first == "{" {
            scalars = scalars.dropFirst()
            base = 1
        }
        if scalars.last == "}" { scalars = scalars.dropLast() }
        var tokens: [(text: String, offset: Int)] = []
        var token = String.UnicodeScalarView()
        var tokenStart = base
        var insideQuotes = false
        var escaped = false
        var position = base
        for scalar in scalars {
            defer { position += 1 }
            switch scalar {
            case ",":
                if !insideQuotes {
                    tokens.append((String(token), tokenStart))
                    token = String.UnicodeScalarView()
                    tokenStart = position + 1
                    continue
                }
            case "\"":
                if escaped { escaped = false } else { insideQuotes.toggle() }
            case "\\":
                escaped.toggle()
            default:
                escaped = false
            }
            token.append(scalar)
        }
        let last = String(token)
        if !trimmingGoSpace(last).isEmpty { tokens.append((trimmingGoSpace(last), tokenStart)) }
        var matchers: [LabelMatcher] = []
        for (token, offset) in tokens {
            matchers.append(try parseMatcher(token, offset: offset))
        }
        return matchers
    }

    /// Parses exactly one matcher (`name op value`, surrounding spaces allowed).
    public static func parseMatcher(_ text: String) throws(MatcherParseError) -> LabelMatcher {
        try parseMatcher(text, offset: 0)
    }

    static func parseMatcher(_ text: String, offset: Int) throws(MatcherParseError) -> LabelMatcher {
        let scalars = Array(text.unicodeScalars)
        let badFormat = MatcherParseError("bad matcher format: \(text)", offset: offset)
        var index = 0
        while index < scalars.count, isGoSpace(scalars[index]) { index += 1 }
        let nameStart = index
        guard index < scalars.count, isNameStart(scalars[index]) else { throw badFormat }
        index += 1
        while index < scalars.count, isNameStart(scalars[index]) || ("0"..."9").contains(scalars[index]) { index += 1 }
        let name = String(String.UnicodeScalarView(scalars[nameStart..<index]))
        while index < scalars.count, isGoSpace(scalars[index]) { index += 1 }
        let type: LabelMatcher.MatchType
        func at(_ i: Int) -> Unicode.Scalar? { i < scalars.count ? scalars[i] : nil }
        switch (at(index), at(index + 1)) {
        case ("=", "~"): type = .regexMatch; index += 2
        case ("=", _): type = .equal; index += 1
        case ("!", "="): type = .notEqual; index += 2
        case ("!", "~"): type = .regexNoMatch; index += 2
        default: throw badFormat
        }
        while index < scalars.count, isGoSpace(scalars[index]) { index += 1 }
        var end = scalars.count
        while end > index, isGoSpace(scalars[end - 1]) { end -= 1 }
        let rawText = String(String.UnicodeScalarView(scalars[index..<end]))
        let value = try unescape(rawText, offset: offset)
        if type == .regexMatch || type == .regexNoMatch, let violation = RE2Syntax.violation(in: value) {
            throw MatcherParseError(violation, offset: offset)
        }
        do {
            return try LabelMatcher(type, name, value)
        } catch {
            throw MatcherParseError(error.description, offset: offset)
        }
    }

    /// Turns a raw value (quoted or not) into the value it denotes.
    private static func unescape(_ raw: String, offset: Int) throws(MatcherParseError) -> String {
        var scalars = Substring(raw).unicodeScalars[...]
        var expectTrailingQuote = false
        if scalars.first == "\"" {
            scalars = scalars.dropFirst()
            expectTrailingQuote = true
        }
        let unescapedQuote = MatcherParseError("matcher value contains unescaped double quote: \(raw)", offset: offset)
        var value = String.UnicodeScalarView()
        var escaped = false
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let isLast = scalars.index(after: index) == scalars.endIndex
            index = scalars.index(after: index)
            if escaped {
                escaped = false
                switch scalar {
                case "n": value.append("\n")
                case "\"", "\\": value.append(scalar)
                default:
                    // A backslash before anything else is kept as written.
                    value.append("\\")
                    value.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\\":
                if isLast { value.append("\\") } else { escaped = true }
            case "\"":
                if !expectTrailingQuote || !isLast { throw unescapedQuote }
                expectTrailingQuote = false
            default:
                value.append(scalar)
            }
        }
        if expectTrailingQuote { throw unescapedQuote }
        return String(value)
    }

    /// Go's `\s` in RE2: tab, newline, form feed, carriage return, space.
    static func isGoSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{0C}"
    }

    private static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_" || scalar == ":"
    }

    static func trimmingGoSpace(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars[...]
        while let first = scalars.first, isGoSpace(first) || first == "\u{0B}" { scalars = scalars.dropFirst() }
        while let last = scalars.last, isGoSpace(last) || last == "\u{0B}" { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
