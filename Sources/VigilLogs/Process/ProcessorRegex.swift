import VigilModel

/// A compiled, unanchored regex of a processor, shared by every file of an input.
///
/// `Regex<AnyRegexOutput>` is not declared `Sendable`; it is an immutable value whose program is
/// built on first use, which ``init(_:)`` forces, so sharing it read-only is safe. Patterns were
/// checked against RE2's syntax when the configuration loaded (VigilConfig); they are checked
/// again here for processors built in code.
final class ProcessorRegex: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>
    let pattern: String

    init(_ pattern: String) throws(LogsError) {
        if let violation = RE2Syntax.violation(in: pattern) { throw LogsError("invalid regex \"\(pattern)\": \(violation)") }
        do {
            regex = try Regex<AnyRegexOutput>(pattern).matchingSemantics(.unicodeScalar)
        } catch {
            throw LogsError("invalid regex \"\(pattern)\": \(error)")
        }
        self.pattern = pattern
        _ = try? regex.firstMatch(in: "")
    }

    func matches(_ text: String) -> Bool {
        (try? regex.firstMatch(in: text)) != nil
    }

    func matches(_ line: [UInt8]) -> Bool {
        matches(String(decoding: line, as: UTF8.self))
    }

    /// The named captures of the first match; nil when nothing matches.
    func namedCaptures(in text: String) -> [LogField]? {
        guard let match = try? regex.firstMatch(in: text) else { return nil }
        var fields: [LogField] = []
        for element in match.output {
            guard let name = element.name else { continue }
            fields.append(LogField(name, element.substring.map(String.init) ?? ""))
        }
        return fields
    }

    /// `text` with every match replaced by `replacement` (`$1`, `${name}` expand to groups).
    func replacingMatches(in text: String, with replacement: String) -> String {
        guard replacement.contains("$") else { return text.replacing(regex, with: replacement) }
        return text.replacing(regex) { match in Self.expand(replacement, match) }
    }

    private static func expand(_ template: String, _ match: Regex<AnyRegexOutput>.Match) -> String {
        var out = ""
        var scalars = Substring(template)
        while let dollar = scalars.firstIndex(of: "$") {
            out += scalars[..<dollar]
            var rest = scalars[scalars.index(after: dollar)...]
            var name = ""
            if rest.first == "{", let close = rest.firstIndex(of: "}") {
                name = String(rest[rest.index(after: rest.startIndex)..<close])
                rest = rest[rest.index(after: close)...]
            } else {
                let end = rest.firstIndex { !($0.isLetter || $0.isNumber || $0 == "_") } ?? rest.endIndex
                name = String(rest[..<end])
                rest = rest[end...]
            }
            if name.isEmpty {
                out += "$"
            } else if let number = Int(name), number < match.output.count {
                out += match.output[number].substring.map(String.init) ?? ""
            } else if let element = match.output.first(where: { $0.name == name }) {
                out += element.substring.map(String.init) ?? ""
            }
            scalars = rest
        }
        out += scalars
        return out
    }
}
