/// A Kubernetes label selector as apimachinery's `labels.Parse` reads it:
/// `a=b,c!=d,e in (f,g),h notin (i),j,!k,l>1`.
///
/// The HPA sends a metric's selector in this form (`metricLabelSelector`, and `labelSelector` for
/// external metrics); the adapter turns its requirements into PromQL matchers.
struct LabelSelector: Sendable, Hashable {
    enum Operator: String, Sendable {
        case equals = "="
        case doubleEquals = "=="
        case notEquals = "!="
        case `in` = "in"
        case notIn = "notin"
        case exists = "exists"
        case doesNotExist = "!"
        case greaterThan = "gt"
        case lessThan = "lt"
    }

    struct Requirement: Sendable, Hashable {
        var key: String
        var op: Operator
        /// Sorted and unique, as `sets.String.List()` gives them.
        var values: [String]
    }

    /// Sorted by key, as `labels.Parse` leaves them.
    var requirements: [Requirement]

    static let everything = LabelSelector(requirements: [])

    var isEmpty: Bool { requirements.isEmpty }

    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    /// The largest selector accepted, in bytes.
    static let maximumLength = 16 * 1024

    init(requirements: [Requirement]) {
        self.requirements = requirements
    }

    init(parsing text: String) throws(ParseError) {
        guard text.utf8.count <= Self.maximumLength else { throw ParseError(description: "label selector is too long") }
        var lexer = Lexer(Array(text.unicodeScalars))
        var requirements: [Requirement] = []
        var token = lexer.next()
        if case .end = token {
            self.requirements = []
            return
        }
        while true {
            var negated = false
            if case .bang = token {
                negated = true
                token = lexer.next()
            }
            guard case .identifier(let key) = token else {
                throw ParseError(description: "found '\(token.text)', expected: identifier")
            }
            try Self.validateKey(key)
            token = lexer.next()
            if negated {
                requirements.append(Requirement(key: key, op: .doesNotExist, values: []))
            } else {
                switch token {
                case .end, .comma:
                    requirements.append(Requirement(key: key, op: .exists, values: []))
                case .equals, .doubleEquals, .notEquals, .greater, .less:
                    let op: Operator =
                        switch token {
                        case .equals: .equals
                        case .doubleEquals: .doubleEquals
                        case .notEquals: .notEquals
                        case .greater: .greaterThan
                        default: .lessThan
                        }
                    token = lexer.next()
                    var value = ""
                    if case .identifier(let text) = token {
                        value = text
                        token = lexer.next()
                    } else if case .end = token {
                    } else if case .comma = token {
                    } else {
                        throw ParseError(description: "found '\(token.text)', expected: identifier")
                    }
                    if op == .greaterThan || op == .lessThan {
                        guard Int64(value) != nil else {
                            throw ParseError(description: "for 'Gt', 'Lt' operators, the value must be an integer")
                        }
                    } else {
                        try Self.validateValue(value)
                    }
                    requirements.append(Requirement(key: key, op: op, values: [value]))
                case .in, .notIn:
                    let op: Operator = if case .in = token { .in } else { .notIn }
                    guard case .openParen = lexer.next() else {
                        throw ParseError(description: "found '\(token.text)', expected: '('")
                    }
                    var values = Set<String>()
                    token = lexer.next()
                    if case .closeParen = token {
                    } else {
                        while true {
                            var value = ""
                            if case .identifier(let text) = token {
                                value = text
                                token = lexer.next()
                            }
                            try Self.validateValue(value)
                            values.insert(value)
                            if case .closeParen = token { break }
                            guard case .comma = token else {
                                throw ParseError(description: "found '\(token.text)', expected: ',' or ')'")
                            }
                            token = lexer.next()
                        }
                    }
                    guard !values.isEmpty else {
                        throw ParseError(description: "for 'in', 'notin' operators, values set can't be empty")
                    }
                    requirements.append(Requirement(key: key, op: op, values: values.sorted()))
                    token = lexer.next()
                default:
                    throw ParseError(description: "found '\(token.text)', expected: '=', '!=', '==', 'in', notin'")
                }
            }
            if case .end = token { break }
            guard case .comma = token else { throw ParseError(description: "found '\(token.text)', expected: ',' or 'end of string'") }
            token = lexer.next()
        }
        // labels.Parse sorts by key, stably.
        self.requirements = requirements.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }
            .map(\.element)
    }

    private static func validateKey(_ key: String) throws(ParseError) {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let name = parts.last, isQualifiedName(name), name.utf8.count <= 63 else {
            throw ParseError(description: "key: Invalid value: \"\(key)\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character")
        }
        if parts.count == 2 {
            let prefix = parts[0]
            guard !prefix.isEmpty, prefix.utf8.count <= 253,
                prefix.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") })
            else {
                throw ParseError(description: "key: Invalid value: \"\(key)\": prefix part must be a lowercase RFC 1123 subdomain")
            }
        }
    }

    private static func isQualifiedName(_ name: Substring) -> Bool {
        guard let first = name.first, let last = name.last else { return false }
        func alphanumeric(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }
        return alphanumeric(first) && alphanumeric(last)
            && name.allSatisfy { alphanumeric($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }

    private static func validateValue(_ value: String) throws(ParseError) {
        guard value.isEmpty || (value.utf8.count <= 63 && isQualifiedName(value[...])) else {
            throw ParseError(description: "values[0]: Invalid value: \"\(value)\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character")
        }
    }

    /// `labels.Selector.String()`: the requirements joined with `,`.
    var description: String {
        requirements.map { requirement in
            let key = requirement.key
            switch requirement.op {
            case .exists: return key
            case .doesNotExist: return "!" + key
            case .equals: return key + "=" + requirement.values[0]
            case .doubleEquals: return key + "==" + requirement.values[0]
            case .notEquals: return key + "!=" + requirement.values[0]
            case .in: return key + " in (" + requirement.values.joined(separator: ",") + ")"
            case .notIn: return key + " notin (" + requirement.values.joined(separator: ",") + ")"
            case .greaterThan: return key + ">" + requirement.values[0]
            case .lessThan: return key + "<" + requirement.values[0]
            }
        }.joined(separator: ",")
    }

    // MARK: lexing

    private enum Token {
        case end, identifier(String), bang, equals, doubleEquals, notEquals, greater, less, `in`, notIn,
            openParen, closeParen, comma

        var text: String {
            switch self {
            case .end: ""
            case .identifier(let text): text
            case .bang: "!"
            case .equals: "="
            case .doubleEquals: "=="
            case .notEquals: "!="
            case .greater: ">"
            case .less: "<"
            case .in: "in"
            case .notIn: "notin"
            case .openParen: "("
            case .closeParen: ")"
            case .comma: ","
            }
        }
    }

    private struct Lexer {
        let scalars: [Unicode.Scalar]
        var position = 0

        init(_ scalars: [Unicode.Scalar]) {
            self.scalars = scalars
        }

        static func isSpecial(_ s: Unicode.Scalar) -> Bool { "!=<>(),".unicodeScalars.contains(s) }
        static func isSpace(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" || s == "\r" || s == "\n" }

        mutating func next() -> Token {
            while position < scalars.count, Self.isSpace(scalars[position]) { position += 1 }
            guard position < scalars.count else { return .end }
            let scalar = scalars[position]
            if Self.isSpecial(scalar) {
                let following = position + 1 < scalars.count ? scalars[position + 1] : nil
                position += 1
                switch scalar {
                case "!" where following == "=":
                    position += 1
                    return .notEquals
                case "!": return .bang
                case "=" where following == "=":
                    position += 1
                    return .doubleEquals
                case "=": return .equals
                case ">": return .greater
                case "<": return .less
                case "(": return .openParen
                case ")": return .closeParen
                default: return .comma
                }
            }
            var text = ""
            while position < scalars.count, !Self.isSpace(scalars[position]), !Self.isSpecial(scalars[position]) {
                text.unicodeScalars.append(scalars[position])
                position += 1
            }
            switch text {
            case "in": return .in
            case "notin": return .notIn
            default: return .identifier(text)
            }
        }
    }
}
