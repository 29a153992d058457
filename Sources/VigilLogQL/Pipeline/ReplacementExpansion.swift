/// Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}` and `$$` in a replacement, for
/// `label_replace` and the `regexReplaceAll` template function.
enum ReplacementExpansion {
    /// `template` with group references replaced from `match`.
    static func expand(_ template: String, match: Regex<AnyRegexOutput>.Match) -> String {
        var out = ""
        var scalars = Substring(template).unicodeScalars[...]
        while let scalar = scalars.first {
            scalars = scalars.dropFirst()
            guard scalar == "$" else {
                out.unicodeScalars.append(scalar)
                continue
            }
            if scalars.first == "$" {
                out.append("$")
                scalars = scalars.dropFirst()
                continue
            }
            var name = ""
            if scalars.first == "{" {
                let rest = scalars.dropFirst()
                guard let close = rest.firstIndex(of: "}") else {
                    out.append("$")
                    continue
                }
                name = String(String.UnicodeScalarView(rest[..<close]))
                scalars = rest[rest.index(after: close)...]
            } else {
                while let next = scalars.first, next.isASCII,
                    Lexer.isLetter(UInt8(next.value)) || Lexer.isDigit(UInt8(next.value)) || next == "_"
                {
                    name.unicodeScalars.append(next)
                    scalars = scalars.dropFirst()
                }
                if name.isEmpty {
                    out.append("$")
                    continue
                }
            }
            out += group(name, in: match)
        }
        return out
    }

    static func group(_ name: String, in match: Regex<AnyRegexOutput>.Match) -> String {
        if let number = Int(name) {
            guard number < match.output.count, let substring = match.output[number].substring else { return "" }
            return String(substring)
        }
        for element in match.output where element.name == name {
            return element.substring.map(String.init) ?? ""
        }
        return ""
    }

    /// Replaces every match of `box` in `text`.
    static func replaceAll(_ box: RegexBox, in text: String, with replacement: String, literal: Bool) -> String {
        var out = ""
        var position = text.startIndex
        for match in text.matches(of: box.regex) {
            out += text[position..<match.range.lowerBound]
            out += literal ? replacement : expand(replacement, match: match)
            position = match.range.upperBound
        }
        return out + text[position...]
    }
}
