/// A parsed Go text/template, as Prometheus uses for alert labels and annotations.
///
/// The subset: text; `{{ pipeline }}` with `{{-`/`-}}` trimming and `{{/* comments */}}`;
/// `.`, `.Field.Path`, `$var.Field`, literals, parenthesised pipelines and `|`; `$x := …` and
/// `$x = …`; `if`/`else if`/`else`/`end`, `range` (with `$i, $v :=` and `else`), `with`; Go's
/// built-ins (`and or not len index print printf println eq ne lt le gt ge html urlquery js`) and
/// Prometheus's functions (see ``TemplateFunctions``). `define`, `template` and `block` are not
/// supported (Prometheus's alert templates cannot use them either).
public struct Template: Sendable {
    /// The name errors carry (`__alert_NAME` for alert templates).
    public let name: String
    let nodes: [TemplateNode]

    /// Parses `text`; the error names `name` and the line.
    public static func parse(_ text: String, name: String) throws(TemplateError) -> Template {
        var parser = TemplateParser(text, name: name)
        let nodes = try parser.parse()
        try checkFunctions(nodes, name: name)
        return Template(name: name, nodes: nodes)
    }

    /// Go rejects a call of an unknown function when it parses the template.
    private static func checkFunctions(_ nodes: [TemplateNode], name: String) throws(TemplateError) {
        func check(_ pipeline: TemplatePipeline, line: Int) throws(TemplateError) {
            for command in pipeline.commands {
                for operand in command.operands { try check(operand, line: line) }
            }
        }
        func check(_ operand: TemplateOperand, line: Int) throws(TemplateError) {
            switch operand {
            case .function(let function) where !TemplateFunctions.names.contains(function):
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
            case .conditional(_, let pipeline, let body, let otherwise, let line):
                try check(pipeline, line: line)
                try checkFunctions(body, name: name)
                try checkFunctions(otherwise ?? [], name: name)
            }
        }
    }

    /// Runs the template with `data` as `.` and `$`, the predeclared `variables` (names with
    /// their `$`), and `functions`.
    public func execute(
        data: TemplateValue, variables: [String: TemplateValue] = [:], functions: TemplateFunctions
    ) throws(TemplateError) -> String {
        var executor = TemplateExecutor(name: name, functions: functions)
        executor.scopes = [["$": data].merging(variables) { _, new in new }]
        var output = ""
        try executor.run(nodes, dot: data, into: &output)
        return output
    }
}
