/// A parsed Go text/template.
///
/// The subset: text; `{{ pipeline }}` with `{{-`/`-}}` trimming and `{{/* comments */}}`;
/// `.`, `.Field.Path` (fields and methods, methods with arguments), `$var.Field`, literals,
/// parenthesised pipelines and `|`; `$x := …` and `$x = …`; `if`/`else if`/`else`/`end`, `range`
/// (with `$i, $v :=` and `else`), `with`; `define`, `template` and `block`; Go's built-ins and
/// whatever functions the caller registers in ``TemplateFunctions``.
public struct Template: Sendable {
    /// The name errors carry (`__alert_NAME` for alert templates).
    public let name: String
    let nodes: [TemplateNode]
    /// The templates the text `define`s (or `block`s), by name.
    let definitions: [String: [TemplateNode]]
    /// The definitions' names in the order they appear.
    let definitionOrder: [String]

    /// Parses `text`, checking every function it calls is among `functionNames`; the error names
    /// `name` and the line. `delimiters` are Go's `Delims` (prometheus-adapter uses `<<`/`>>`).
    public static func parse(
        _ text: String, name: String, functionNames: Set<String>, delimiters: TemplateDelimiters = .standard
    ) throws(TemplateError) -> Template {
        var parser = TemplateParser(text, name: name, delimiters: delimiters)
        let nodes = try parser.parse()
        try checkFunctions(nodes, name: name, known: functionNames)
        var definitions: [String: [TemplateNode]] = [:]
        for (definition, body) in parser.definitions {
            try checkFunctions(body, name: name, known: functionNames)
            definitions[definition] = body
        }
        return Template(
            name: name, nodes: nodes, definitions: definitions, definitionOrder: parser.definitions.map(\.name))
    }

    /// The names of the templates this text defines, in order.
    public var definedNames: [String] { definitionOrder }

    /// Whether the text outside its definitions is only whitespace.
    public var isEmpty: Bool { TemplateParser.isEmpty(nodes) }

    /// Go rejects a call of an unknown function when it parses the template.
    private static func checkFunctions(_ nodes: [TemplateNode], name: String, known: Set<String>) throws(TemplateError) {
        func check(_ pipeline: TemplatePipeline, line: Int) throws(TemplateError) {
            for command in pipeline.commands {
                for operand in command.operands { try check(operand, line: line) }
            }
        }
        func check(_ operand: TemplateOperand, line: Int) throws(TemplateError) {
            switch operand {
            case .function(let function) where !known.contains(function):
                throw TemplateError(name: name, line: line, message: "function \"\(function)\" not defined")
            case .pipeline(let pipeline): try check(pipeline, line: line)
            case .fields(let base, _): try check(base, line: line)
            default: break
            }
        }
        for node in nodes {
            switch node {
            case .text: break
            case .action(let pipeline, let line): try check(pipeline, line: line)
            case .include(_, let pipeline, let line):
                if let pipeline { try check(pipeline, line: line) }
            case .conditional(_, let pipeline, let body, let otherwise, let line):
                try check(pipeline, line: line)
                try checkFunctions(body, name: name, known: known)
                try checkFunctions(otherwise ?? [], name: name, known: known)
            }
        }
    }

    /// Runs the template with `data` as `.` and `$`, the predeclared `variables` (names with
    /// their `$`), and `functions`; `{{template}}` finds the templates this text defines.
    public func execute(
        data: TemplateValue, variables: [String: TemplateValue] = [:], functions: TemplateFunctions
    ) throws(TemplateError) -> String {
        var library: [String: TemplateExecutor.Tree] = [:]
        for (definition, body) in definitions { library[definition] = .init(name: definition, nodes: body) }
        return try Self.run(
            .init(name: name, nodes: nodes), data: data, variables: variables, functions: functions, library: library)
    }

    static func run(
        _ tree: TemplateExecutor.Tree, data: TemplateValue, variables: [String: TemplateValue],
        functions: TemplateFunctions, library: [String: TemplateExecutor.Tree]
    ) throws(TemplateError) -> String {
        var executor = TemplateExecutor(name: tree.name, functions: functions, library: library)
        executor.scopes = [["$": data].merging(variables) { _, new in new }]
        var output = ""
        try executor.run(tree.nodes, dot: data, into: &output)
        return output
    }
}
