/// The RE2 rules Swift's regex engine does not enforce: Prometheus and Alertmanager compile
/// patterns with Go's `regexp`, which refuses lookaround, backreferences and repeat counts over
/// 1000. Every ``LabelMatcher`` regex is checked before it reaches the engine, so a pattern they
/// refuse is refused here too, with Go's message.
public enum RE2Syntax {
    /// Nil when the pattern is acceptable to RE2 as far as these rules go; else Go's error text.
    public static func violation(in pattern: String) -> String? {
        let scalars = Array(pattern.unicodeScalars)
        var index = 0
        var inClass = false
        func text(_ range: Range<Int>) -> String {
            String(String.UnicodeScalarView(scalars[range.clamped(to: 0..<scalars.count)]))
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\", index + 1 < scalars.count {
                let next = scalars[index + 1]
                let following = index + 2 < scalars.count ? scalars[index + 2] : nil
                // `\1`...`\9` not starting an octal code (`\12`) is a backreference, which RE2 lacks.
                let octal = ("1"..."7").contains(next) && (following.map { ("0"..."7").contains($0) } ?? false)
                if ("1"..."9").contains(next), !octal {
                    return "error parsing regexp: invalid escape sequence: `\(text(index..<index + 2))`"
                }
                index += 2
                continue
            }
            if inClass {
                if scalar == "]" { inClass = false }
                index += 1
                continue
            }
            switch scalar {
            case "[":
                inClass = true
                // A `]` right after `[` or `[^` is literal.
                index += 1
                if index < scalars.count, scalars[index] == "^" { index += 1 }
                if index < scalars.count, scalars[index] == "]" { index += 1 }
                continue
            case "(":
                if index + 2 < scalars.count, scalars[index + 1] == "?" {
                    let kind = scalars[index + 2]
                    let lookbehind = kind == "<" && index + 3 < scalars.count
                        && (scalars[index + 3] == "=" || scalars[index + 3] == "!")
                    if kind == "=" || kind == "!" || lookbehind {
                        let end = lookbehind ? index + 4 : index + 3
                        return "error parsing regexp: invalid or unsupported Perl syntax: `\(text(index..<end))`"
                    }
                }
            case "{":
                if let (count, end) = repeatCount(scalars, from: index), count > 1000 {
                    return "error parsing regexp: invalid repeat count: `\(text(index..<end))`"
                }
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// For `{n}`, `{n,}` or `{n,m}` at `start`: the largest count and the index after `}`.
    private static func repeatCount(_ scalars: [Unicode.Scalar], from start: Int) -> (Int, Int)? {
        var index = start + 1
        var numbers: [Int] = []
        var current: Int?
        while index < scalars.count {
            let scalar = scalars[index]
            if ("0"..."9").contains(scalar) {
                current = min((current ?? 0) * 10 + Int(scalar.value - 48), 1_000_000)
            } else if scalar == ",", numbers.isEmpty, let value = current {
                numbers.append(value)
                current = nil
            } else if scalar == "}" {
                if let current { numbers.append(current) }
                guard !numbers.isEmpty, current != nil || numbers.count == 1 else { return nil }
                return (numbers.max() ?? 0, index + 1)
            } else {
                return nil
            }
            index += 1
        }
        return nil
    }
}
