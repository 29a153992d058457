/// The compiled form of a matcher's value: a fast path or the regex engine.
@usableFromInline
enum ValueMatcher: Sendable {
    /// Exactly this string.
    case literal(String)
    /// Any of these strings (`a|b|c`).
    case set(Set<String>)
    /// Anything starting with this string (`foo.*`).
    case prefix(String)
    /// Anything (`.*`).
    case any
    /// Anything but the empty string (`.+`).
    case nonEmpty
    /// The regex engine, anchored at both ends.
    case regex(CompiledRegex)

    init(pattern: String, name: String) throws(LabelMatcherError) {
        if pattern == ".*" { self = .any; return }
        if pattern == ".+" { self = .nonEmpty; return }
        // Validate every pattern with the engine, even ones a fast path handles, so an invalid
        // regex is always rejected.
        let compiled = try CompiledRegex(pattern: pattern, name: name)
        if let literal = ValueMatcher.literal(of: pattern) {
            self = .literal(literal)
        } else if let alternatives = ValueMatcher.alternatives(of: pattern) {
            self = .set(Set(alternatives))
        } else if pattern.hasSuffix(".*"), let literal = ValueMatcher.literal(of: String(pattern.dropLast(2))) {
            self = .prefix(literal)
        } else {
            self = .regex(compiled)
        }
    }

    @usableFromInline
    func matches(_ value: String) -> Bool {
        switch self {
        case .literal(let literal): value == literal
        case .set(let values): values.contains(value)
        case .prefix(let prefix): ByteOrder.hasPrefix(value, prefix)
        case .any: true
        case .nonEmpty: !value.isEmpty
        case .regex(let regex): regex.matches(value)
        }
    }

    /// The plain string a pattern denotes when it has no regex syntax except `\`-escaped
    /// punctuation; nil otherwise.
    static func literal(of pattern: some StringProtocol) -> String? {
        var result = ""
        var escaped = false
        for scalar in pattern.unicodeScalars {
            if escaped {
                // Only punctuation escapes are literal; `\d`, `\w`, `\b`... are classes or anchors.
                guard scalar.isASCII, !(("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                    || ("0"..."9").contains(scalar)) else { return nil }
                result.unicodeScalars.append(scalar)
                escaped = false
                continue
            }
            switch scalar {
            case "\\": escaped = true
            case ".", "+", "*", "?", "(", ")", "|", "[", "]", "{", "}", "^", "$": return nil
            default: result.unicodeScalars.append(scalar)
            }
        }
        return escaped ? nil : result
    }

    /// `a|b|c` of literals, possibly in one non-capturing or capturing group.
    static func alternatives(of pattern: String) -> [String]? {
        var body = Substring(pattern)
        if body.hasPrefix("(?:") && body.hasSuffix(")") {
            body = body.dropFirst(3).dropLast()
        } else if body.hasPrefix("(") && body.hasSuffix(")") && !body.hasPrefix("(?") {
            body = body.dropFirst().dropLast()
        }
        guard body.contains("|") else { return nil }
        var result: [String] = []
        var current = ""
        var escaped = false
        for scalar in body.unicodeScalars {
            if !escaped && scalar == "|" {
                guard let literal = literal(of: current) else { return nil }
                result.append(literal)
                current = ""
                continue
            }
            escaped = !escaped && scalar == "\\"
            current.unicodeScalars.append(scalar)
        }
        guard let last = literal(of: current) else { return nil }
        result.append(last)
        return result
    }
}

/// A compiled, fully anchored regex with RE2-like settings (Unicode-scalar semantics, `.`
/// matching newlines).
///
/// `Regex<AnyRegexOutput>` is not declared `Sendable`; it is an immutable value whose lazily
/// built program is published atomically, and it is compiled eagerly here, so sharing it across
/// threads for matching is safe.
@usableFromInline
final class CompiledRegex: @unchecked Sendable {
    private let regex: Regex<AnyRegexOutput>

    init(pattern: String, name: String) throws(LabelMatcherError) {
        if let violation = RE2Syntax.violation(in: pattern) {
            throw LabelMatcherError(name: name, pattern: pattern, reason: violation)
        }
        do {
            regex = try Regex<AnyRegexOutput>("(?:" + Self.bracingUnicodeClasses(pattern) + ")")
                .matchingSemantics(.unicodeScalar)
                .dotMatchesNewlines()
        } catch {
            throw LabelMatcherError(name: name, pattern: pattern, reason: "\(error)")
        }
        // Forces compilation now rather than on the first (possibly concurrent) match.
        _ = matches("")
    }

    func matches(_ value: String) -> Bool {
        (try? regex.wholeMatch(in: value)) != nil
    }

    /// RE2's one-letter Unicode classes (`\pL`, `\PN`) written as Swift's engine reads them (`\p{L}`).
    static func bracingUnicodeClasses(_ pattern: String) -> String {
        guard pattern.contains("\\p") || pattern.contains("\\P") else { return pattern }
        var result = String.UnicodeScalarView()
        var scalars = pattern.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            result.append(scalar)
            guard scalar == "\\", let next = scalars.next() else { continue }
            result.append(next)
            guard next == "p" || next == "P", let letter = scalars.next() else { continue }
            if letter == "{" {
                result.append(letter)
            } else {
                result.append("{")
                result.append(letter)
                result.append("}")
            }
        }
        return String(result)
    }
}
