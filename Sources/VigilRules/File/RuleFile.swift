#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import VigilConfig

/// A Prometheus rule file: a list of `groups`, loaded strictly (unknown fields are errors).
///
/// Errors are ``ConfigError``s naming `file:line:column` and the field, as `promtool check rules`
/// names the place of each problem.
public struct RuleFile: Sendable, Hashable, Decodable {
    /// The path the file was read from, as given.
    public var path: String
    /// The groups, in file order.
    public var groups: [RuleGroupDefinition]
    /// The language of every expression in the file: PromQL for `rule_files`, LogQL for
    /// `log_rule_files`.
    public var language: RuleQueryLanguage = .promQL

    /// The number of rules in all groups.
    public var ruleCount: Int { groups.reduce(0) { $0 + $1.rules.count } }

    enum CodingKeys: String, CodingKey {
        case groups
    }

    /// Decodes the document; ``parse(yaml:fileName:)`` also checks group names are unique.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        groups = try container.decodeIfPresent([RuleGroupDefinition].self, forKey: .groups) ?? []
        path = ""
    }

    /// Parses and validates rule-file YAML whose expressions are in `language`; `fileName` names
    /// the source in errors.
    public static func parse(
        yaml: String, fileName: String, language: RuleQueryLanguage = .promQL
    ) throws(ConfigError) -> RuleFile {
        let decoded = RuleQueryLanguage.$decoding.withValue(language) { () -> Result<RuleFile, ConfigError> in
            do throws(ConfigError) {
                return .success(try decode(yaml: yaml, fileName: fileName))
            } catch {
                return .failure(error)
            }
        }
        var file = try decoded.get()
        file.path = fileName
        file.language = language
        return file
    }

    private static func decode(yaml: String, fileName: String) throws(ConfigError) -> RuleFile {
        try ConfigDecoder.decode(RuleFile.self, fromYAML: yaml, fileName: fileName) {
            (file: inout RuleFile) throws(ConfigValidationError) in
            var seen = Set<String>()
            for (index, group) in file.groups.enumerated() where !seen.insert(group.name).inserted {
                throw ConfigValidationError(
                    "groupname: \"\(group.name)\" is repeated in the same file", field: "groups", .index(index), "name")
            }
        }
    }

    /// Reads and parses the file at `path`, whose expressions are in `language`.
    public static func load(path: String, language: RuleQueryLanguage = .promQL) throws(ConfigError) -> RuleFile {
        func failure(_ message: String) -> ConfigError {
            ConfigError(kind: .unreadable, file: path, line: 0, column: 0, fieldPath: "", message: message)
        }
        guard FileManager.default.fileExists(atPath: path) else { throw failure("no such file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw failure("cannot read file (is it a directory, or unreadable?)")
        }
        guard let text = String(validating: data, as: UTF8.self) else { throw failure("file is not valid UTF-8") }
        return try parse(yaml: text, fileName: path, language: language)
    }

    /// Loads every file, in order; the first error stops the load.
    public static func loadAll(paths: [String], language: RuleQueryLanguage = .promQL) throws(ConfigError) -> [RuleFile] {
        var files: [RuleFile] = []
        for path in paths { files.append(try load(path: path, language: language)) }
        return files
    }
}
