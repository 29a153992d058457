/// Parses Go text/template syntax into ``TemplateNode``s: text, `{{ pipeline }}`, `{{- -}}`
/// trimming, comments, `if`/`else if`/`else`/`end`, `range`, `with`, variables, fields,
/// parenthesised pipelines and the literal kinds Go has.
struct TemplateParser {
    private let name: String
    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var line = 1
    /// How many blocks (`if`, `range`, `with`, `define`, `block`) enclose the current position.
    private var depth = 0
    /// The `define`d and `block` templates found, in order.
    private(set) var definitions: [(name: String, nodes: [TemplateNode])] = []

    /// The action delimiters (`{{`/`}}`, or what `Delims` set).
    private let left: [Unicode.Scalar]
    private let right: [Unicode.Scalar]

    init(_ text: String, name: String, delimiters: TemplateDelimiters = .standard) {
        self.name = name
        self.scalars = Array(text.unicodeScalars)
        self.left = Array(delimiters.left.unicodeScalars)
        self.right = Array(delimiters.right.unicodeScalars)
    }

    /// An action's keyword and pipeline, as read.
    private enum Action {
        case pipeline(TemplatePipeline)
        case open(TemplateNode.Kind, TemplatePipeline)
        case elseIf(TemplatePipeline)
        case `else`
        case end
        case comment
        case include(String, TemplatePipeline?)
        case define(String)
        case block(String, TemplatePipeline)
    }

    private func error(_ message: String) -> TemplateError {
        TemplateError(name: name, line: line, message: message)
    }

    mutating func parse() throws(TemplateError) -> [TemplateNode] {
        let (nodes, terminator) = try parseList()
        switch terminator {
        case .none: return nodes
        case .end: throw error("unexpected {{end}}")
        case .else, .elseIf: throw error("unexpected {{else}}")
        }
    }

    private enum Terminator {
        case none, end, `else`, elseIf(TemplatePipeline)
    }

    private mutating func parseList() throws(TemplateError) -> ([TemplateNode], Terminator) {
        var nodes: [TemplateNode] = []
        while position < scalars.count {
            var text = ""
            while position < scalars.count, !startsAction() {
                if scalars[position] == "\n" { line += 1 }
                text.unicodeScalars.append(scalars[position])
                position += 1
            }
            guard position < scalars.count else {
                if !text.isEmpty { nodes.append(.text(text)) }
                break
            }
            // "{{- " trims the whitespace before it.
            position += left.count
            if position + 1 < scalars.count, scalars[position] == "-", isSpace(scalars[position + 1]) {
                while let last = text.unicodeScalars.last, isSpace(last) { text.unicodeScalars.removeLast() }
                position += 1
            }
            if !text.isEmpty { nodes.append(.text(text)) }
            let actionLine = line
            let action = try parseAction()
            switch action {
            case .comment: continue
            case .pipeline(let pipeline): nodes.append(.action(pipeline, line: actionLine))
            case .open(let kind, let pipeline):
                depth += 1
                defer { depth -= 1 }
                let (body, terminator) = try parseList()
                var otherwise: [TemplateNode]?
                switch terminator {
                case .none: throw error("unexpected EOF")
                case .end: break
                case .else:
                    let (elseBody, next) = try parseList()
                    guard case .end = next else { throw error("expected end; found {{else}}") }
                    otherwise = elseBody
                case .elseIf(let condition):
                    // `{{else if x}}…{{end}}` is `{{else}}{{if x}}…{{end}}{{end}}` with one shared end.
                    otherwise = [try parseElseIfChain(condition, line: line)]
                }
                nodes.append(.conditional(kind, pipeline, body: body, otherwise: otherwise, line: actionLine))
            case .include(let name, let pipeline): nodes.append(.include(name: name, pipeline, line: actionLine))
            case .define(let name):
                try addDefinition(name, body: try parseBody(of: "define"))
            case .block(let name, let pipeline):
                try addDefinition(name, body: try parseBody(of: "block"))
                nodes.append(.include(name: name, pipeline, line: actionLine))
            case .end: return (nodes, .end)
            case .else: return (nodes, .else)
            case .elseIf(let pipeline): return (nodes, .elseIf(pipeline))
            }
        }
        return (nodes, .none)
    }

    /// The body of a `define` or `block`, up to its `{{end}}`.
    private mutating func parseBody(of keyword: String) throws(TemplateError) -> [TemplateNode] {
        depth += 1
        defer { depth -= 1 }
        let (body, terminator) = try parseList()
        switch terminator {
        case .end: return body
        case .none: throw error("unexpected EOF")
        case .else, .elseIf: throw error("unexpected {{else}} in \(keyword)")
        }
    }

    /// Records a definition; a second non-empty definition of a name in the same text is an error,
    /// as in Go (an empty one never replaces a non-empty one).
    private mutating func addDefinition(_ name: String, body: [TemplateNode]) throws(TemplateError) {
        if let index = definitions.firstIndex(where: { $0.name == name }) {
            if TemplateParser.isEmpty(body) { return }
            guard TemplateParser.isEmpty(definitions[index].nodes) else {
                throw error("template: multiple definition of template \"\(name)\"")
            }
            definitions[index].nodes = body
            return
        }
        definitions.append((name, body))
    }

    /// Whether a tree holds nothing but whitespace (Go's `IsEmptyTree`).
    static func isEmpty(_ nodes: [TemplateNode]) -> Bool {
        nodes.allSatisfy { node in
            if case .text(let text) = node { return text.allSatisfy(\.isWhitespace) }
            return false
        }
    }

    /// The quoted name after `template`, `define` or `block`.
    private mutating func parseTemplateName(_ keyword: String) throws(TemplateError) -> String {
        skipSpaces()
        guard position < scalars.count else { throw error("unclosed action") }
        switch scalars[position] {
        case "\"":
            return try readQuoted()
        case "`":
            guard case .string(let text) = try parseTerm() else { throw error("unexpected name in \(keyword) clause") }
            return text
        default:
            throw error("unexpected \"\(Character(scalars[position]))\" in \(keyword) clause")
        }
    }

    private mutating func parseElseIfChain(_ condition: TemplatePipeline, line startLine: Int) throws(TemplateError) -> TemplateNode {
        let (body, terminator) = try parseList()
        var otherwise: [TemplateNode]?
        switch terminator {
        case .none: throw error("unexpected EOF")
        case .end: break
        case .else:
            let (elseBody, next) = try parseList()
            guard case .end = next else { throw error("expected end; found {{else}}") }
            otherwise = elseBody
        case .elseIf(let next):
            otherwise = [try parseElseIfChain(next, line: line)]
        }
        return .conditional(.if, condition, body: body, otherwise: otherwise, line: startLine)
    }

    /// The 0-based byte offset of `position` within its line.
    private func columnHere() -> Int {
        var index = position
        var bytes = 0
        while index > 0, scalars[index - 1] != "\n" {
            index -= 1
            bytes += UTF8.width(scalars[index])
        }
        return bytes
    }

    private func startsAction() -> Bool { hasPrefix(left, at: position) }

    private func hasPrefix(_ delimiter: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + delimiter.count <= scalars.count else { return false }
        for offset in delimiter.indices where scalars[index + offset] != delimiter[offset] { return false }
        return true
    }

    private func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
    }

    private mutating func skipSpaces() {
        while position < scalars.count, isSpace(scalars[position]) {
            if scalars[position] == "\n" { line += 1 }
            position += 1
        }
    }

    /// Whether the action closes here (`}}` or ` -}}`); consumes the delimiter and trims after `-}}`.
    private mutating func closeAction() -> Bool {
        let start = position
        let startLine = line
        skipSpaces()
        if position < scalars.count, scalars[position] == "-", hasPrefix(right, at: position + 1), position > start {
            position += 1 + right.count
            skipSpaces()
            return true
        }
        if hasPrefix(right, at: position) {
            position += right.count
            return true
        }
        position = start
        line = startLine
        return false
    }

    private mutating func parseAction() throws(TemplateError) -> Action {
        skipSpaces()
        if position + 1 < scalars.count, scalars[position] == "/", scalars[position + 1] == "*" {
            while position + 1 < scalars.count, !(scalars[position] == "*" && scalars[position + 1] == "/") {
                if scalars[position] == "\n" { line += 1 }
                position += 1
            }
            guard position + 1 < scalars.count else { throw error("unclosed comment") }
            position += 2
            guard closeAction() else { throw error("comment ends before closing delimiter") }
            return .comment
        }
        let save = position
        let word = readWord()
        switch word {
        case "if", "range", "with":
            let kind: TemplateNode.Kind = word == "if" ? .if : word == "range" ? .range : .with
            let pipeline = try parsePipeline(context: word)
            return .open(kind, pipeline)
        case "else":
            skipSpaces()
            let afterElse = position
            if readWord() == "if" {
                return .elseIf(try parsePipeline(context: "if"))
            }
            position = afterElse
            guard closeAction() else { throw error("unexpected token in else") }
            return .else
        case "end":
            guard closeAction() else { throw error("unexpected token in end") }
            return .end
        case "template":
            let name = try parseTemplateName("template")
            if closeAction() { return .include(name, nil) }
            return .include(name, try parsePipeline(context: "template clause"))
        case "define":
            guard depth == 0 else { throw error("unexpected <define> in command") }
            let name = try parseTemplateName("define")
            guard closeAction() else { throw error("unexpected token in define clause") }
            return .define(name)
        case "block":
            let name = try parseTemplateName("block")
            return .block(name, try parsePipeline(context: "block clause"))
        case "break", "continue":
            throw error("\"\(word)\" is not supported")
        default:
            position = save
            return .pipeline(try parsePipeline(context: "command"))
        }
    }

    private mutating func readWord() -> String {
        var word = ""
        while position < scalars.count, isIdentifier(scalars[position], first: word.isEmpty) {
            word.unicodeScalars.append(scalars[position])
            position += 1
        }
        return word
    }

    private func isIdentifier(_ scalar: Unicode.Scalar, first: Bool) -> Bool {
        scalar == "_" || (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
            || (!first && scalar >= "0" && scalar <= "9") || (scalar.value > 127 && scalar.properties.isAlphabetic)
    }

    /// A pipeline up to the closing `}}` (or `)` when `inParentheses`).
    private mutating func parsePipeline(context: String, inParentheses: Bool = false) throws(TemplateError) -> TemplatePipeline {
        var pipeline = TemplatePipeline(commands: [])
        skipSpaces()
        // Declarations: `$x :=`, `$x =`, `$i, $x :=`.
        let save = position
        let saveLine = line
        var names: [String] = []
        while position < scalars.count, scalars[position] == "$" {
            position += 1
            names.append("$" + readWord())
            skipSpaces()
            if position < scalars.count, scalars[position] == "," {
                position += 1
                skipSpaces()
                continue
            }
            break
        }
        if !names.isEmpty, position < scalars.count {
            if scalars[position] == ":", position + 1 < scalars.count, scalars[position + 1] == "=" {
                position += 2
                pipeline.declarations = names
            } else if scalars[position] == "=", !(position + 1 < scalars.count && scalars[position + 1] == "=") {
                position += 1
                pipeline.declarations = names
                pipeline.isAssignment = true
            } else {
                position = save
                line = saveLine
            }
        } else {
            position = save
            line = saveLine
        }
        if pipeline.declarations.count > 2 || (pipeline.declarations.count == 2 && context != "range") {
            throw error("too many declarations in \(context)")
        }
        var command: [TemplateOperand] = []
        var texts: [String] = []
        var start = (line: line, column: 0)
        func finish() -> TemplateCommand {
            TemplateCommand(operands: command, line: start.line, column: start.column, text: texts.joined(separator: " "))
        }
        while true {
            if inParentheses {
                skipSpaces()
                if position < scalars.count, scalars[position] == ")" {
                    position += 1
                    break
                }
            } else if closeAction() {
                break
            }
            skipSpaces()
            guard position < scalars.count else { throw error("unclosed action") }
            if scalars[position] == "|" {
                position += 1
                guard !command.isEmpty else { throw error("missing command") }
                pipeline.commands.append(finish())
                command = []
                texts = []
                continue
            }
            if command.isEmpty { start = (line, columnHere()) }
            let operandStart = position
            command.append(try parseOperand())
            texts.append(String(String.UnicodeScalarView(scalars[operandStart..<position])))
        }
        if !command.isEmpty {
            pipeline.commands.append(finish())
        } else if !pipeline.commands.isEmpty || !inParentheses {
            throw error("missing value for \(context)")
        }
        return pipeline
    }

    private mutating func parseOperand() throws(TemplateError) -> TemplateOperand {
        var operand = try parseTerm()
        var names: [String] = []
        while position + 1 < scalars.count, scalars[position] == ".", isIdentifier(scalars[position + 1], first: true) {
            position += 1
            names.append(readWord())
        }
        if !names.isEmpty {
            if case .fields(let base, let existing) = operand {
                operand = .fields(base: base, names: existing + names)
            } else {
                operand = .fields(base: operand, names: names)
            }
        }
        return operand
    }

    private mutating func parseTerm() throws(TemplateError) -> TemplateOperand {
        let scalar = scalars[position]
        switch scalar {
        case ".":
            position += 1
            if position < scalars.count, isIdentifier(scalars[position], first: true) {
                var names = [readWord()]
                while position + 1 < scalars.count, scalars[position] == ".",
                    isIdentifier(scalars[position + 1], first: true)
                {
                    position += 1
                    names.append(readWord())
                }
                return .fields(base: .dot, names: names)
            }
            return .dot
        case "$":
            position += 1
            return .variable("$" + readWord())
        case "\"":
            return .string(try readQuoted())
        case "`":
            position += 1
            var text = ""
            while position < scalars.count, scalars[position] != "`" {
                if scalars[position] == "\n" { line += 1 }
                text.unicodeScalars.append(scalars[position])
                position += 1
            }
            guard position < scalars.count else { throw error("unterminated raw quoted string") }
            position += 1
            return .string(text)
        case "(":
            position += 1
            return .pipeline(try parsePipeline(context: "parenthesized pipeline", inParentheses: true))
        case "-", "+", "0"..."9":
            return try readNumber()
        case "'":
            position += 1
            guard position + 1 < scalars.count, scalars[position + 1] == "'" else { throw error("bad character constant") }
            let value = Double(scalars[position].value)
            position += 2
            return .number(value, isInteger: true)
        default:
            let word = readWord()
            guard !word.isEmpty else { throw error("unexpected \"\(Character(scalar))\" in command") }
            switch word {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "nil": return .nil
            default: return .function(word)
            }
        }
    }

    private mutating func readQuoted() throws(TemplateError) -> String {
        position += 1
        var text = ""
        while position < scalars.count, scalars[position] != "\"" {
            var scalar = scalars[position]
            if scalar == "\n" { throw error("unterminated quoted string") }
            if scalar == "\\" {
                position += 1
                guard position < scalars.count else { break }
                switch scalars[position] {
                case "n": scalar = "\n"
                case "t": scalar = "\t"
                case "r": scalar = "\r"
                case "\\": scalar = "\\"
                case "\"": scalar = "\""
                case "'": scalar = "'"
                case "a": scalar = "\u{07}"
                case "b": scalar = "\u{08}"
                case "f": scalar = "\u{0C}"
                case "v": scalar = "\u{0B}"
                case "x", "u", "U":
                    let digits = scalars[position] == "x" ? 2 : scalars[position] == "u" ? 4 : 8
                    var hex = ""
                    for _ in 0..<digits {
                        position += 1
                        guard position < scalars.count else { throw error("unterminated quoted string") }
                        hex.unicodeScalars.append(scalars[position])
                    }
                    guard let value = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(value) else {
                        throw error("invalid escape in quoted string")
                    }
                    scalar = decoded
                default: throw error("invalid escape in quoted string")
                }
            }
            text.unicodeScalars.append(scalar)
            position += 1
        }
        guard position < scalars.count else { throw error("unterminated quoted string") }
        position += 1
        return text
    }

    private mutating func readNumber() throws(TemplateError) -> TemplateOperand {
        var text = ""
        while position < scalars.count {
            let s = scalars[position]
            let isNumberScalar = (s >= "0" && s <= "9") || s == "." || s == "-" || s == "+" || s == "_"
                || (s >= "a" && s <= "z") || (s >= "A" && s <= "Z")
            guard isNumberScalar else { break }
            if (s == "-" || s == "+") && !text.isEmpty && !(text.last == "e" || text.last == "E") { break }
            text.unicodeScalars.append(s)
            position += 1
        }
        let cleaned = text.replacing("_", with: "")
        let negative = cleaned.hasPrefix("-")
        let unsigned = cleaned.hasPrefix("-") || cleaned.hasPrefix("+") ? String(cleaned.dropFirst()) : cleaned
        let lower = unsigned.lowercased()
        var integer: Int?
        if lower.hasPrefix("0x") {
            integer = Int(lower.dropFirst(2), radix: 16)
        } else if lower.hasPrefix("0o") {
            integer = Int(lower.dropFirst(2), radix: 8)
        } else if lower.hasPrefix("0b") {
            integer = Int(lower.dropFirst(2), radix: 2)
        } else if lower.count > 1, lower.hasPrefix("0"), lower.allSatisfy({ $0 >= "0" && $0 <= "7" }) {
            integer = Int(lower.dropFirst(), radix: 8)
        } else {
            integer = Int(lower)
        }
        if let integer { return .number(Double(negative ? -integer : integer), isInteger: true) }
        guard let value = Double(lower), !lower.hasPrefix("."), value.isFinite || lower.contains("e") else {
            throw error("bad number syntax: \"\(text)\"")
        }
        return .number(negative ? -value : value, isInteger: false)
    }
}
