/// A set of named templates that can call each other with `{{template}}`: Go's `*template.Template`
/// with its associated templates, as Alertmanager loads its default and user templates.
///
/// Parsing a text adds each template it `define`s; a later definition of a name replaces an
/// earlier one (so user templates override defaults), except that an empty definition never
/// replaces a non-empty one, as in Go. The set is a value: parse into a copy to extend it.
public struct TemplateSet: Sendable {
    private var trees: [String: TemplateExecutor.Tree] = [:]
    /// The functions templates in this set may call.
    public let functions: TemplateFunctions

    /// An empty set whose templates may call `functions`.
    public init(functions: TemplateFunctions) {
        self.functions = functions
    }

    /// The names of every template in the set.
    public var names: Set<String> { Set(trees.keys) }

    /// Parses `text` (named `name` in errors) and adds the templates it defines; the text outside
    /// definitions is added under `name` unless it is only whitespace.
    public mutating func parse(_ text: String, name: String) throws(TemplateError) {
        let template = try Template.parse(text, name: name, functionNames: functions.names)
        for definition in template.definitionOrder {
            let nodes = template.definitions[definition] ?? []
            if TemplateParser.isEmpty(nodes), let existing = trees[definition], !TemplateParser.isEmpty(existing.nodes) {
                continue
            }
            trees[definition] = .init(name: definition, nodes: nodes)
        }
        if !template.isEmpty || trees[name] == nil {
            trees[name] = .init(name: name, nodes: template.nodes)
        }
    }

    /// Runs the template `name` with `data` as `.`; throws when there is no such template.
    public func execute(_ name: String, data: TemplateValue) throws(TemplateError) -> String {
        guard let tree = trees[name] else {
            throw TemplateError(name: name, line: 0, message: "no template \"\(name)\" associated with template", isExecution: true)
        }
        return try Template.run(tree, data: data, variables: [:], functions: functions, library: trees)
    }

    /// Parses `text` as an anonymous template that may call the set's templates and runs it with
    /// `data` (Alertmanager's `ExecuteTextString`); an empty text gives "". Definitions inside
    /// `text` are visible only to this run.
    public func executeText(_ text: String, data: TemplateValue, name: String = "") throws(TemplateError) -> String {
        if text.isEmpty { return "" }
        let template = try Template.parse(text, name: name, functionNames: functions.names)
        var library = trees
        for (definition, body) in template.definitions { library[definition] = .init(name: definition, nodes: body) }
        return try Template.run(
            .init(name: name, nodes: template.nodes), data: data, variables: [:], functions: functions, library: library)
    }
}
