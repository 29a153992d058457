internal import Yams

/// Decodes any `Decodable` configuration section from YAML strictly, with positioned errors.
///
/// Every Vigil module that owns a config section decodes it through this, so that all of them
/// reject unknown fields and report `file:line:column: field.path: message` the same way.
/// Inside `init(from:)`, throw ``ConfigValidationError`` to reject a value; it is positioned for you.
public enum ConfigDecoder {
    /// Flow collections nested deeper than this are rejected before composing (the composer recurses).
    static let maximumNesting = 512

    /// Decodes `type` from the YAML text `yaml`; `fileName` is only used in error messages.
    ///
    /// An empty document (or one holding only comments or `null`) decodes as an empty mapping,
    /// so every field takes its default.
    public static func decode<T: Decodable>(
        _ type: T.Type, fromYAML yaml: String, fileName: String
    ) throws(ConfigError) -> T {
        let root = try compose(yaml, fileName: fileName) ?? Node.mapping(.init([]))
        return try NodeDecoder(node: root, path: [], fileName: fileName).decodeSelf(type)
    }

    /// Decodes `type`, then runs `validate` on the result; a ``ConfigValidationError`` it throws is
    /// positioned at its `field` path, taken from the document root.
    ///
    /// Use it for checks that need context the type's own `init(from:)` does not have (a setting
    /// inherited from another section, names that must be unique across files).
    public static func decode<T: Decodable>(
        _ type: T.Type, fromYAML yaml: String, fileName: String,
        validate: (inout T) throws(ConfigValidationError) -> Void
    ) throws(ConfigError) -> T {
        let root = try compose(yaml, fileName: fileName) ?? Node.mapping(.init([]))
        let decoder = NodeDecoder(node: root, path: [], fileName: fileName)
        var value = try decoder.decodeSelf(type)
        do {
            try validate(&value)
        } catch {
            throw decoder.resolve(error)
        }
        return value
    }

    /// Composes the first YAML document into a node tree; nil for an empty document.
    static func compose(_ yaml: String, fileName: String) throws(ConfigError) -> Node? {
        try checkNesting(yaml, fileName: fileName)
        do {
            return try Yams.compose(yaml: yaml, .default, .default, .utf8)
        } catch let error as YamlError {
            throw convert(error, yaml: yaml, fileName: fileName)
        } catch {
            throw ConfigError(
                kind: .syntax, file: fileName, line: 0, column: 0, fieldPath: "", message: "\(error)")
        }
    }

    private static func checkNesting(_ yaml: String, fileName: String) throws(ConfigError) {
        var depth = 0
        var line = 1
        var column = 0
        for byte in yaml.utf8 {
            column += 1
            switch byte {
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maximumNesting {
                    throw ConfigError(
                        kind: .syntax, file: fileName, line: line, column: column, fieldPath: "",
                        message: "collections nested more than \(maximumNesting) levels deep")
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1)
            case UInt8(ascii: "\n"):
                line += 1
                column = 0
            default:
                break
            }
        }
    }

    static func convert(_ error: YamlError, yaml: String, fileName: String) -> ConfigError {
        func syntax(_ mark: Mark, _ problem: String, _ context: YamlError.Context?) -> ConfigError {
            var message = problem
            if let context, !context.text.isEmpty {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            return ConfigError(
                kind: .syntax, file: fileName, line: mark.line, column: mark.column, fieldPath: "",
                message: message)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return syntax(mark, problem, context)
        case .reader(let problem, let offset, _, _):
            let (line, column) = offset.map { position(ofCharacterOffset: $0, in: yaml) } ?? (0, 0)
            return ConfigError(
                kind: .syntax, file: fileName, line: line, column: column, fieldPath: "", message: problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return DuplicateKeyLocator(yaml: yaml, fileName: fileName)
                .locate(key: duplicates.first ?? "", first: context.mark)
        default:
            return ConfigError(
                kind: .syntax, file: fileName, line: 0, column: 0, fieldPath: "", message: "\(error)")
        }
    }

    private static func position(ofCharacterOffset offset: Int, in text: String) -> (Int, Int) {
        var line = 1
        var column = 1
        for character in text.prefix(offset) {
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        return (line, column)
    }
}

/// Finds where a duplicated key was repeated, and under which field path.
///
/// Yams rejects duplicates while composing, naming only the key and the first occurrence. To name
/// the field path and the repeat (which is where Go's yaml points), the first occurrence is renamed
/// in a copy of the text and the copy composed again; the renamed key's mapping holds the repeat.
private struct DuplicateKeyLocator {
    let yaml: String
    let fileName: String

    func locate(key: String, first: Mark) -> ConfigError {
        let message = "key \"\(key)\" is already defined at line \(first.line), column \(first.column)"
        if let (node, path) = findRepeat(key: key, first: first) {
            let mark = node.mark ?? first
            return ConfigError(
                kind: .duplicateKey, file: fileName, line: mark.line, column: mark.column,
                fieldPath: ConfigPathComponent.format(path + [.key(key)]), message: message)
        }
        return ConfigError(
            kind: .duplicateKey, file: fileName, line: first.line, column: first.column, fieldPath: "",
            message: "duplicate key \"\(key)\"")
    }

    private func findRepeat(key: String, first: Mark) -> (Node, [ConfigPathComponent])? {
        let keyScalars = Array(key.unicodeScalars)
        guard !keyScalars.isEmpty else { return nil }
        var scalars = Array(yaml.unicodeScalars)
        // Find the start of the first occurrence's line; columns count Unicode scalars.
        var line = 1
        var start = 0
        while line < first.line, start < scalars.count {
            if scalars[start] == "\n" { line += 1 }
            start += 1
        }
        var at = start + first.column - 1
        guard at < scalars.count else { return nil }
        if scalars[at] == "\"" || scalars[at] == "'" { at += 1 }
        guard at + keyScalars.count <= scalars.count, Array(scalars[at..<at + keyScalars.count]) == keyScalars
        else { return nil }
        guard let marker = ["Ж", "Ψ", "ᚠ", "ꙮ"].compactMap(\.unicodeScalars.first)
            .first(where: { !scalars.contains($0) })
        else { return nil }
        let placeholder = String(String.UnicodeScalarView(repeatElement(marker, count: keyScalars.count)))
        scalars.replaceSubrange(at..<at + keyScalars.count, with: placeholder.unicodeScalars)
        let copy = String(String.UnicodeScalarView(scalars))
        guard let root = try? Yams.compose(yaml: copy, .default, .default, .utf8) else { return nil }
        return search(root, path: [], placeholder: placeholder, key: key)
    }

    private func search(
        _ node: Node, path: [ConfigPathComponent], placeholder: String, key: String
    ) -> (Node, [ConfigPathComponent])? {
        switch node {
        case .mapping(let mapping):
            if mapping.contains(where: { $0.key.string == placeholder }),
                let repeated = mapping.first(where: { $0.key.string == key })
            {
                return (repeated.key, path)
            }
            for (keyNode, value) in mapping {
                let component = ConfigPathComponent.key(keyNode.string ?? "?")
                if let found = search(value, path: path + [component], placeholder: placeholder, key: key) {
                    return found
                }
            }
        case .sequence(let sequence):
            for (index, item) in sequence.enumerated() {
                if let found = search(item, path: path + [.index(index)], placeholder: placeholder, key: key) {
                    return found
                }
            }
        case .scalar, .alias:
            break
        }
        return nil
    }
}
