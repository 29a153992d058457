/// A fully anchored regular expression for `label_replace`, with Go's `$1` / `${name}`
/// template expansion.
struct LabelRegex {
    private let regex: Regex<AnyRegexOutput>

    init?(pattern: String) {
        guard let regex = try? Regex<AnyRegexOutput>("^(?:" + pattern + ")$") else { return nil }
        self.regex = regex.matchingSemantics(.unicodeScalar)
    }

    /// The capture groups (index 0 the whole match) when `value` matches; nil otherwise.
    func match(_ value: String) -> [String: String]? {
        guard let match = try? regex.wholeMatch(in: value) else { return nil }
        var groups: [String: String] = [:]
        for (index, capture) in match.output.enumerated() {
            let text = capture.substring.map(String.init) ?? ""
            groups[String(index)] = text
            if let name = capture.name { groups[name] = text }
        }
        return groups
    }

    /// Go's `Regexp.Expand`: `$$`, `$name`, `${name}`; unknown groups expand to nothing.
    func expand(_ template: String, groups: [String: String]) -> String {
        var result = ""
        var scalars = Array(template.unicodeScalars)[...]
        func isNameScalar(_ s: Unicode.Scalar) -> Bool {
            s == "_" || (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9")
        }
        while let scalar = scalars.first {
            scalars = scalars.dropFirst()
            guard scalar == "$" else { result.unicodeScalars.append(scalar); continue }
            guard let next = scalars.first else { result += "$"; break }
            if next == "$" {
                result += "$"
                scalars = scalars.dropFirst()
                continue
            }
            var name = ""
            if next == "{" {
                var rest = scalars.dropFirst()
                var closed = false
                while let s = rest.first {
                    rest = rest.dropFirst()
                    if s == "}" { closed = true; break }
                    guard isNameScalar(s) else { break }
                    name.unicodeScalars.append(s)
                }
                guard closed, !name.isEmpty else { result += "$"; continue }
                scalars = rest
            } else {
                while let s = scalars.first, isNameScalar(s) {
                    name.unicodeScalars.append(s)
                    scalars = scalars.dropFirst()
                }
                guard !name.isEmpty else { result += "$"; continue }
            }
            result += groups[name] ?? ""
        }
        return result
    }
}
