import VigilConfig
import VigilModel
import VigilTemplate

/// Compile-time checks of the Go regular expressions in a rule (`seriesFilters`, `name.matches`).
enum GoRegexSyntax {
    /// Throws the adapter's message, positioned at `field`, when Go or Swift would refuse `pattern`.
    static func check(_ pattern: String, field: String, what: String) throws(ConfigValidationError) {
        if let violation = RE2Syntax.violation(in: pattern) {
            throw ConfigValidationError("unable to compile \(what) \(GoQuote.quote(pattern)): \(violation)", field: .key(field))
        }
        if GoRegex(pattern) == nil {
            throw ConfigValidationError(
                "unable to compile \(what) \(GoQuote.quote(pattern)): error parsing regexp", field: .key(field))
        }
    }

    /// How many capture groups `pattern` has (Go's `NumSubexp`): every `(` that is not escaped,
    /// not inside a class, and not `(?flags)`/`(?:` — but `(?P<name>` and `(?<name>` capture.
    static func captureGroupCount(_ pattern: String) -> Int {
        let scalars = Array(pattern.unicodeScalars)
        var count = 0
        var index = 0
        var inClass = false
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\" {
                index += 2
                continue
            }
            if inClass {
                if scalar == "]" { inClass = false }
            } else if scalar == "[" {
                inClass = true
                // `[]a]` and `[^]a]`: a `]` first in a class is a literal.
                if index + 1 < scalars.count, scalars[index + 1] == "^" { index += 1 }
                if index + 1 < scalars.count, scalars[index + 1] == "]" { index += 1 }
            } else if scalar == "(" {
                if index + 1 < scalars.count, scalars[index + 1] == "?" {
                    let rest = scalars[(index + 2)...].prefix(2)
                    if rest.first == "P" || (rest.first == "<" && rest.dropFirst().first != "=" && rest.dropFirst().first != "!") {
                        count += 1
                    }
                } else {
                    count += 1
                }
            }
            index += 1
        }
        return count
    }
}
