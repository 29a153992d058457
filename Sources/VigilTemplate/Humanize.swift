import VigilModel

/// Prometheus's `humanize*` template functions, with Go's `%.4g` number layout.
enum Humanize {
    private static func g4(_ value: Double) -> String {
        GoPrintf.float(value, "g", flags: "", precision: 4)
    }

    /// SI prefixes: `1.235k`, `12.35M`, `1.5m`, `0`.
    static func humanize(_ input: Double) -> String {
        var value = input
        if value == 0 || value.isNaN || value.isInfinite { return g4(value) }
        if abs(value) >= 1 {
            var prefix = ""
            for candidate in ["k", "M", "G", "T", "P", "E", "Z", "Y"] {
                if abs(value) < 1000 { break }
                prefix = candidate
                value /= 1000
            }
            return g4(value) + prefix
        }
        var prefix = ""
        for candidate in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if abs(value) >= 1 { break }
            prefix = candidate
            value *= 1000
        }
        return g4(value) + prefix
    }

    /// Binary prefixes: `1ki`, `1.5Mi`.
    static func humanize1024(_ input: Double) -> String {
        var value = input
        if abs(value) <= 1 || value.isNaN || value.isInfinite { return g4(value) }
        var prefix = ""
        for candidate in ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] {
            if abs(value) < 1024 { break }
            prefix = candidate
            value /= 1024
        }
        return g4(value) + prefix
    }

    /// Seconds as `1d 2h 3m 4s`, `1.5s`, `250ms`.
    static func duration(_ input: Double) -> String {
        var value = input
        if value.isNaN || value.isInfinite { return g4(value) }
        if value == 0 { return g4(value) + "s" }
        if abs(value) >= 1 {
            var sign = ""
            if value < 0 {
                sign = "-"
                value = -value
            }
            let whole = value >= 9.2e18 ? Int64.max : Int64(value)
            let seconds = whole % 60
            let minutes = (whole / 60) % 60
            let hours = (whole / 3600) % 24
            let days = whole / 86_400
            if days != 0 { return "\(sign)\(days)d \(hours)h \(minutes)m \(seconds)s" }
            if hours != 0 { return "\(sign)\(hours)h \(minutes)m \(seconds)s" }
            if minutes != 0 { return "\(sign)\(minutes)m \(seconds)s" }
            return sign + g4(value) + "s"
        }
        var prefix = ""
        for candidate in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if abs(value) >= 1 { break }
            prefix = candidate
            value *= 1000
        }
        return g4(value) + prefix + "s"
    }

    /// A ratio as a percentage: `0.1234` → `12.34%`.
    static func percentage(_ value: Double) -> String {
        g4(value * 100) + "%"
    }

    /// Unix seconds as Go prints a UTC `time.Time`: `2015-06-23 13:19:44.128 +0000 UTC`
    /// (millisecond precision, trailing zeros of the fraction dropped).
    static func timestamp(_ value: Double) throws -> String {
        if value.isNaN || value.isInfinite { return g4(value) }
        let nanoseconds = value * 1e9
        guard nanoseconds < 9.223372036854775807e18, nanoseconds >= -9.223372036854775808e18 else {
            throw TemplateFunctionError(
                "\(GoFloat.format(value)) cannot be represented as a nanoseconds timestamp since it overflows int64")
        }
        // model.TimeFromUnixNano keeps milliseconds, truncating toward zero.
        let milliseconds = Int64(nanoseconds) / 1_000_000
        var seconds = milliseconds / 1000
        var fraction = milliseconds % 1000
        if fraction < 0 {
            fraction += 1000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = RFC3339.civilDate(daysSinceEpoch: days)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        var text = "\(year)-\(two(month))-\(two(day)) \(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))"
        if fraction != 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 3 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text + " +0000 UTC"
    }
}

/// Go's `strconv.ParseFloat(s, 64)` for the forms label values hold: decimals, exponents,
/// `Inf`/`+Inf`/`-Inf`/`NaN` (any case), hex floats, and `_` separators are not accepted.
enum GoParseFloat {
    static func parse(_ text: String) -> Double? {
        let lower = text.lowercased()
        switch lower {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: break
        }
        guard !lower.isEmpty, !lower.contains("_"), !lower.contains("n"), !lower.contains("i") else { return nil }
        return Double(text)
    }
}

/// A Go `regexp` (unanchored) for `match` and `reReplaceAll`, with Go's `$1`/`${name}` expansion.
///
/// Public so that other Go-compatible renamings (prometheus-adapter's `name.matches`/`as`) share it.
public struct GoRegex: @unchecked Sendable {
    // Regex is a value type whose program is immutable once built; it is safe to share.
    private let regex: Regex<AnyRegexOutput>

    /// Compiles `pattern` unanchored; nil if Swift's engine rejects it.
    public init?(_ pattern: String) {
        guard let regex = try? Regex<AnyRegexOutput>(pattern) else { return nil }
        self.regex = regex.matchingSemantics(.unicodeScalar)
    }

    /// Whether the expression matches anywhere in `text` (Go's `MatchString`).
    public func matches(_ text: String) -> Bool {
        (try? regex.firstMatch(in: text)) != nil
    }

    /// The capture groups of the leftmost match, by number (`"0"` is the whole match) and by
    /// name; nil when nothing matches (Go's `FindStringSubmatchIndex`).
    public func firstMatchGroups(in text: String) -> [String: String]? {
        guard let match = try? regex.firstMatch(in: text) else { return nil }
        return Self.groups(of: match)
    }

    private static func groups(of match: Regex<AnyRegexOutput>.Match) -> [String: String] {
        var groups: [String: String] = [:]
        for (index, capture) in match.output.enumerated() {
            let value = capture.substring.map(String.init) ?? ""
            groups[String(index)] = value
            if let name = capture.name { groups[name] = value }
        }
        return groups
    }

    /// Go's `ReplaceAllString`: every non-overlapping match replaced by the expanded template.
    func replaceAll(in text: String, with template: String) -> String {
        var result = ""
        var cursor = text.startIndex
        for match in text.matches(of: regex) {
            result += text[cursor..<match.range.lowerBound]
            result += Self.expand(template, groups: Self.groups(of: match))
            cursor = match.range.upperBound
        }
        result += text[cursor...]
        return result
    }

    /// Go's `Regexp.Expand`: `$$`, `$name`, `${name}`; unknown groups expand to nothing.
    public static func expand(_ template: String, groups: [String: String]) -> String {
        var result = ""
        var scalars = Array(template.unicodeScalars)[...]
        func isNameScalar(_ s: Unicode.Scalar) -> Bool {
            s == "_" || (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9")
        }
        while let scalar = scalars.popFirst() {
            guard scalar == "$" else {
                result.unicodeScalars.append(scalar)
                continue
            }
            guard let next = scalars.first else {
                result += "$"
                break
            }
            if next == "$" {
                result += "$"
                scalars.removeFirst()
                continue
            }
            var name = ""
            if next == "{" {
                var rest = scalars.dropFirst()
                var closed = false
                while let s = rest.popFirst() {
                    if s == "}" {
                        closed = true
                        break
                    }
                    guard isNameScalar(s) else { break }
                    name.unicodeScalars.append(s)
                }
                guard closed, !name.isEmpty else {
                    result += "$"
                    continue
                }
                scalars = rest
            } else {
                while let s = scalars.first, isNameScalar(s) {
                    name.unicodeScalars.append(s)
                    scalars.removeFirst()
                }
                guard !name.isEmpty else {
                    result += "$"
                    continue
                }
            }
            result += groups[name] ?? ""
        }
        return result
    }
}
