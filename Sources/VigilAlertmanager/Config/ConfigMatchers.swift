import VigilConfig
import VigilModel

/// Reads the matcher forms a config section may use: a `matchers` list (each string holding one
/// or more matchers), and the legacy `match` (equality) and `match_re` (regex) maps.
enum ConfigMatchers {
    /// Parses a `matchers` list; an error points at the offending entry.
    static func parse(_ lines: [String], field: String) throws(ConfigValidationError) -> [LabelMatcher] {
        var result: [LabelMatcher] = []
        for (index, line) in lines.enumerated() {
            do {
                result += try AlertMatchers.parse(line)
            } catch {
                throw ConfigValidationError(error.message, field: .key(field), .index(index))
            }
        }
        return result.sorted(by: LabelMatcher.alertmanagerLess)
    }

    /// Turns a legacy `match` map into equality matchers, checking the label names.
    static func equality(_ map: [String: String], field: String) throws(ConfigValidationError) -> [LabelMatcher] {
        var result: [LabelMatcher] = []
        for (name, value) in map.sorted(by: { $0.key < $1.key }) {
            guard LabelName.isValid(name) else {
                throw ConfigValidationError("invalid label name \(GoQuote.quote(name))", field: .key(field), .key(name))
            }
            // An equality matcher never fails to build.
            if let matcher = try? LabelMatcher(.equal, name, value) { result.append(matcher) }
        }
        return result
    }

    /// Turns a legacy `match_re` map into regex matchers. Alertmanager 0.25 keeps these patterns
    /// in their anchored form `^(?:re)$`, which is also how route keys and trees print them.
    static func regex(_ map: [String: String], field: String) throws(ConfigValidationError) -> [LabelMatcher] {
        var result: [LabelMatcher] = []
        for (name, pattern) in map.sorted(by: { $0.key < $1.key }) {
            guard LabelName.isValid(name) else {
                throw ConfigValidationError("invalid label name \(GoQuote.quote(name))", field: .key(field), .key(name))
            }
            let anchored = "^(?:" + pattern + ")$"
            if let violation = RE2Syntax.violation(in: anchored) {
                throw ConfigValidationError(violation, field: .key(field), .key(name))
            }
            do {
                result.append(try LabelMatcher(.regexMatch, name, anchored))
            } catch {
                throw ConfigValidationError(error.description, field: .key(field), .key(name))
            }
        }
        return result
    }
}
