public import VigilModel

/// An unanchored regex for `|~`/`!~` line filters. Patterns that are plain literals (optionally
/// `(?i)`-prefixed, or an alternation of literals) become byte searches; the rest run on Swift's
/// regex engine after the RE2 syntax check LabelMatcher also applies.
struct LineRegex: Sendable {
    enum Strategy: Sendable {
        case literals([ByteSearch.Needle])
        case foldedLiterals([[UInt8]])
        case regex(RegexBox)
    }

    let strategy: Strategy

    init(_ pattern: String) throws(LabelMatcherError) {
        if let violation = RE2Syntax.violation(in: pattern) {
            throw LabelMatcherError(name: "line", pattern: pattern, reason: violation)
        }
        let box = try RegexBox(pattern: pattern, anchored: false)
        var body = Substring(pattern)
        var folded = false
        if body.hasPrefix("(?i)") {
            folded = true
            body = body.dropFirst(4)
        }
        if let alternatives = Self.literalAlternatives(body), !alternatives.isEmpty {
            let bytes = alternatives.map { Array($0.utf8) }
            if folded {
                if bytes.allSatisfy({ $0.allSatisfy { $0 < 0x80 } }) {
                    strategy = .foldedLiterals(bytes.map { $0.map(ByteSearch.lower) })
                    return
                }
            } else {
                strategy = .literals(bytes.map(ByteSearch.Needle.init))
                return
            }
        }
        strategy = .regex(box)
    }

    func matches(_ line: UnsafeRawBufferPointer) -> Bool {
        switch strategy {
        case .literals(let literals): return literals.contains { ByteSearch.contains(line, $0) }
        case .foldedLiterals(let literals): return literals.contains { ByteSearch.containsFoldingCase(line, $0) }
        case .regex(let box): return box.firstMatch(in: String(decoding: line, as: UTF8.self))
        }
    }

    /// `a|b|c` where every branch is a plain literal (no metacharacters); nil otherwise.
    static func literalAlternatives(_ pattern: Substring) -> [String]? {
        var branches: [String] = [""]
        var escaped = false
        for character in pattern {
            if escaped {
                guard character.isPunctuation || character.isSymbol else { return nil }
                branches[branches.count - 1].append(character)
                escaped = false
                continue
            }
            switch character {
            case "\\": escaped = true
            case "|": branches.append("")
            case ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "^", "$": return nil
            default: branches[branches.count - 1].append(character)
            }
        }
        if escaped || branches.contains(where: \.isEmpty) { return nil }
        return branches
    }
}

/// A compiled Swift regex, checked against RE2's syntax, shared across threads (read-only after
/// construction, which forces compilation).
final class RegexBox: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>
    let pattern: String

    init(pattern: String, anchored: Bool) throws(LabelMatcherError) {
        if let violation = RE2Syntax.violation(in: pattern) {
            throw LabelMatcherError(name: "regex", pattern: pattern, reason: violation)
        }
        self.pattern = pattern
        do {
            regex = try Regex<AnyRegexOutput>(anchored ? "^(?:" + pattern + ")$" : pattern).matchingSemantics(.unicodeScalar)
        } catch {
            throw LabelMatcherError(name: "regex", pattern: pattern, reason: "error parsing regexp: \(error)")
        }
        _ = try? regex.firstMatch(in: "")
    }

    func firstMatch(in text: String) -> Bool {
        (try? regex.firstMatch(in: text)) != nil
    }
}

/// A fully anchored regex (label_replace).
struct AnchoredRegex: Sendable {
    let box: RegexBox

    init(_ pattern: String) throws(LabelMatcherError) {
        box = try RegexBox(pattern: pattern, anchored: true)
    }
}
