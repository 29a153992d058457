import VigilModel

/// Walks a parsed template, keeping Go's variable scoping (a variable lives until the `end` of
/// the block it was declared in).
struct TemplateExecutor {
    /// A named parse tree `{{template}}` can run.
    struct Tree: Sendable {
        var name: String
        var nodes: [TemplateNode]
    }

    /// How deeply `{{template}}` calls may nest (Go allows far more, but recursion that deep is a
    /// bug in the template, and the stack must survive it).
    static let maximumDepth = 200

    private(set) var name: String
    let functions: TemplateFunctions
    let library: [String: Tree]
    var scopes: [[String: TemplateValue]] = []
    private var line = 1
    private var command: TemplateCommand?
    private var depth = 0

    init(name: String, functions: TemplateFunctions, library: [String: Tree] = [:]) {
        self.name = name
        self.functions = functions
        self.library = library
    }

    private func error(_ message: String) -> TemplateError {
        if let command {
            return TemplateError(
                name: name, line: command.line, message: message, isExecution: true,
                context: (command.column, command.text))
        }
        return TemplateError(name: name, line: line, message: message, isExecution: true)
    }

    mutating func run(_ nodes: [TemplateNode], dot: TemplateValue, into output: inout String) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text(let text):
                output += text
            case .action(let pipeline, let line):
                self.line = line
                let value = try evaluate(pipeline, dot: dot)
                if pipeline.declarations.isEmpty { output += value.printed }
            case .include(let included, let pipeline, let line):
                self.line = line
                self.command = nil
                let value = try pipeline.map { pipeline throws(TemplateError) in try evaluate(pipeline, dot: dot) } ?? .null
                try include(included, dot: value, into: &output)
            case .conditional(let kind, let pipeline, let body, let otherwise, let line):
                self.line = line
                scopes.append([:])
                defer { scopes.removeLast() }
                switch kind {
                case .if:
                    let value = try evaluate(pipeline, dot: dot)
                    if value.isTrue {
                        try run(body, dot: dot, into: &output)
                    } else if let otherwise {
                        try run(otherwise, dot: dot, into: &output)
                    }
                case .with:
                    let value = try evaluate(pipeline, dot: dot)
                    if value.isTrue {
                        try run(body, dot: value, into: &output)
                    } else if let otherwise {
                        try run(otherwise, dot: dot, into: &output)
                    }
                case .range:
                    try runRange(pipeline, body: body, otherwise: otherwise, dot: dot, into: &output)
                }
            }
        }
    }

    /// Runs the template `included` with `dot` as both `.` and `$`, in a fresh variable scope.
    private mutating func include(_ included: String, dot: TemplateValue, into output: inout String) throws(TemplateError) {
        guard let tree = library[included] else {
            throw error("template: no template \(GoQuote.quote(included)) associated with template \(GoQuote.quote(name))")
        }
        guard depth < Self.maximumDepth else {
            throw error("exceeded maximum template depth (\(Self.maximumDepth))")
        }
        var inner = TemplateExecutor(name: tree.name, functions: functions, library: library)
        inner.depth = depth + 1
        inner.scopes = [["$": dot]]
        try inner.run(tree.nodes, dot: dot, into: &output)
    }

    private mutating func runRange(
        _ pipeline: TemplatePipeline, body: [TemplateNode], otherwise: [TemplateNode]?, dot: TemplateValue,
        into output: inout String
    ) throws(TemplateError) {
        var bare = pipeline
        bare.declarations = []
        bare.isAssignment = false
        let collection = try evaluate(bare, dot: dot)
        var items: [(key: TemplateValue, value: TemplateValue)] = []
        switch collection.underlying {
        case .list(let list): items = list.enumerated().map { (.int($0.offset), $0.element) }
        case .map(let map): items = map.keys.sorted().map { (.string($0), .string(map[$0] ?? "")) }
        case .anyMap(let map): items = map.keys.sorted().map { (.string($0), map[$0] ?? .null) }
        case .int(let count): items = (0..<max(0, count)).map { (.int($0), .int($0)) }
        case .null: items = []
        default: throw error("range can't iterate over \(collection.printed)")
        }
        if items.isEmpty {
            if let otherwise { try run(otherwise, dot: dot, into: &output) }
            return
        }
        for item in items {
            scopes.append([:])
            let values = pipeline.declarations.count == 2 ? [item.key, item.value] : [item.value]
            for (variable, value) in zip(pipeline.declarations, values) {
                // `range $i, $v = …` assigns variables declared outside; `:=` declares new ones.
                if pipeline.isAssignment {
                    guard let index = scopes.lastIndex(where: { $0[variable] != nil }) else {
                        scopes.removeLast()
                        throw error("undefined variable: \(variable)")
                    }
                    scopes[index][variable] = value
                } else {
                    scopes[scopes.count - 1][variable] = value
                }
            }
            do {
                try run(body, dot: item.value, into: &output)
            } catch {
                scopes.removeLast()
                throw error
            }
            scopes.removeLast()
        }
    }

    private func lookup(_ variable: String) -> TemplateValue? {
        for scope in scopes.reversed() {
            if let value = scope[variable] { return value }
        }
        return nil
    }

    mutating func evaluate(_ pipeline: TemplatePipeline, dot: TemplateValue) throws(TemplateError) -> TemplateValue {
        var value: TemplateValue?
        for command in pipeline.commands {
            let outer = self.command
            self.command = command
            value = try evaluate(command.operands, dot: dot, piped: value)
            self.command = outer
        }
        let result = value ?? .null
        if pipeline.isAssignment {
            let variable = pipeline.declarations[0]
            guard let index = scopes.lastIndex(where: { $0[variable] != nil }) else {
                throw error("undefined variable: \(variable)")
            }
            scopes[index][variable] = result
        } else if let variable = pipeline.declarations.last {
            scopes[scopes.count - 1][variable] = result
        }
        return result
    }

    private mutating func evaluate(
        _ command: [TemplateOperand], dot: TemplateValue, piped: TemplateValue?
    ) throws(TemplateError) -> TemplateValue {
        guard let first = command.first else { throw error("empty command") }
        if case .function(let function) = first {
            var arguments: [TemplateValue] = []
            // `and` and `or` stop at the first decisive argument, as Go does.
            if function == "and" || function == "or" {
                var last: TemplateValue = .null
                for operand in command.dropFirst() {
                    last = try evaluate(operand, dot: dot)
                    if last.isTrue == (function == "or") { return last }
                }
                if let piped {
                    last = piped
                }
                guard command.count > 1 || piped != nil else { throw error("wrong number of args for \(function): want at least 1 got 0") }
                return last
            }
            for operand in command.dropFirst() { arguments.append(try evaluate(operand, dot: dot)) }
            if let piped { arguments.append(piped) }
            return try call(function, arguments)
        }
        if case .fields(let base, let names) = first, command.count > 1 || piped != nil {
            // `.Labels.Remove .GroupLabels.Names`: the last name is a method given the arguments.
            let receiver = try evaluate(.fields(base: base, names: Array(names.dropLast())), dot: dot)
            var arguments: [TemplateValue] = []
            for operand in command.dropFirst() { arguments.append(try evaluate(operand, dot: dot)) }
            if let piped { arguments.append(piped) }
            if case .object(let object) = receiver, let method = functions.method(names[names.count - 1], of: object.typeName) {
                return try invoke(names[names.count - 1]) { try method(receiver, arguments) }
            }
            throw error("can't give argument to non-function \(describe(first))")
        }
        guard command.count == 1, piped == nil else {
            throw error("can't give argument to non-function \(describe(first))")
        }
        return try evaluate(first, dot: dot)
    }

    private func call(_ function: String, _ arguments: [TemplateValue]) throws(TemplateError) -> TemplateValue {
        guard let implementation = functions.function(function) else {
            throw error("function \"\(function)\" not defined")
        }
        return try invoke(function) { try implementation(arguments) }
    }

    /// Runs a function or method, turning its failure into Go's wording.
    private func invoke(_ name: String, _ body: () throws -> TemplateValue) throws(TemplateError) -> TemplateValue {
        do {
            return try body()
        } catch let failure as TemplateFunctionError where failure.isFullMessage {
            throw error(failure.message)
        } catch let failure as TemplateError {
            throw failure
        } catch {
            throw self.error("error calling \(name): \(error)")
        }
    }

    private func describe(_ operand: TemplateOperand) -> String {
        switch operand {
        case .dot: "."
        case .variable(let name): name
        case .fields(_, let names): "." + names.joined(separator: ".")
        case .string(let text): GoQuote.quote(text)
        case .number(let value, _): GoFloatText.plain(value)
        case .bool(let flag): flag ? "true" : "false"
        case .nil: "nil"
        case .function(let name): name
        case .pipeline: "(pipeline)"
        }
    }

    private mutating func evaluate(_ operand: TemplateOperand, dot: TemplateValue) throws(TemplateError) -> TemplateValue {
        switch operand {
        case .dot: return dot
        case .variable(let name):
            guard let value = lookup(name) else { throw error("undefined variable: \(name)") }
            return value
        case .string(let text): return .string(text)
        case .number(let value, let isInteger): return isInteger ? .int(Int(value)) : .float(value)
        case .bool(let flag): return .bool(flag)
        case .nil: throw error("nil is not a command")
        case .function(let name):
            return try call(name, [])
        case .pipeline(let pipeline):
            scopes.append([:])
            defer { scopes.removeLast() }
            return try evaluate(pipeline, dot: dot)
        case .fields(let base, let names):
            var value = try evaluate(base, dot: dot)
            for field in names {
                if case .object(let object) = value, let method = functions.method(field, of: object.typeName) {
                    let receiver = value
                    value = try invoke(field) { try method(receiver, []) }
                    continue
                }
                switch value.underlying {
                case .map(let map): value = .string(map[field] ?? "")
                case .anyMap(let map): value = map[field] ?? .null
                case .record(let fields):
                    guard let next = fields[field] else {
                        throw error("can't evaluate field \(field) in type \(value.typeName)")
                    }
                    value = next
                case .null:
                    throw error("nil pointer evaluating interface {}.\(field)")
                default:
                    throw error("can't evaluate field \(field) in type \(value.typeName)")
                }
            }
            return value
        }
    }
}

/// Numbers as Go's parser prints them in error messages.
enum GoFloatText {
    static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
