/// An error found while loading a configuration file, with the place it was found.
///
/// Every problem the loader reports — YAML syntax, an unknown field, a value of the wrong type,
/// a value that fails validation — is one of these, so a caller can print it as
/// `prometheus.yml:12:5: scrape_configs[2].relabel_configs[0].regex: invalid regex ...`
/// and a person can go straight to the line. New kinds may be added without breaking callers.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What sort of problem this is; compare with the static members (`error.kind == .unknownField`).
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Code: Sendable, Hashable {
            case syntax
            case unknownField
            case typeMismatch
            case invalidValue
            case missingField
            case duplicateKey
            case unreadable
        }

        fileprivate let code: Code

        /// The text is not well-formed YAML.
        public static let syntax = Kind(code: .syntax)
        /// A mapping holds a key that the section does not have.
        public static let unknownField = Kind(code: .unknownField)
        /// A value has the wrong YAML type (a list where a string belongs, text where a number belongs).
        public static let typeMismatch = Kind(code: .typeMismatch)
        /// A value has the right type but is not acceptable (bad duration, invalid regex, conflicting fields).
        public static let invalidValue = Kind(code: .invalidValue)
        /// A required field is absent.
        public static let missingField = Kind(code: .missingField)
        /// A mapping names the same key twice.
        public static let duplicateKey = Kind(code: .duplicateKey)
        /// The file could not be read.
        public static let unreadable = Kind(code: .unreadable)

        /// A short name for the kind, such as `unknown field`.
        public var description: String {
            switch code {
            case .syntax: "syntax error"
            case .unknownField: "unknown field"
            case .typeMismatch: "type mismatch"
            case .invalidValue: "invalid value"
            case .missingField: "missing field"
            case .duplicateKey: "duplicate key"
            case .unreadable: "unreadable file"
            }
        }
    }

    /// What sort of problem this is.
    public let kind: Kind
    /// The file name the configuration was read from, as the caller gave it.
    public let file: String
    /// The 1-based line of the offending node, or 0 when the problem has no position (an unreadable file).
    public let line: Int
    /// The 1-based column (in Unicode scalars) of the offending node, or 0 when there is no position.
    public let column: Int
    /// Where in the document the problem is, such as `scrape_configs[2].relabel_configs[0].regex`;
    /// empty for the document itself.
    public let fieldPath: String
    /// What is wrong, in words a person can act on.
    public let message: String

    /// Creates an error; `line` and `column` are 1-based, 0 meaning "no position".
    public init(kind: Kind, file: String, line: Int, column: Int, fieldPath: String, message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.fieldPath = fieldPath
        self.message = message
    }

    /// `file:line:column: field.path: message`, leaving out the parts that are unknown.
    public var description: String {
        var text = file
        if line > 0 {
            text += ":\(line):\(column)"
        }
        text += ": "
        if !fieldPath.isEmpty {
            text += fieldPath + ": "
        }
        return text + message
    }
}
