/// The parse tree of a Go text/template.
indirect enum TemplateNode: Sendable {
    case text(String)
    case action(TemplatePipeline, line: Int)
    case conditional(Kind, TemplatePipeline, body: [TemplateNode], otherwise: [TemplateNode]?, line: Int)

    enum Kind: Sendable {
        case `if`, range, with
    }
}

/// `[$x :=] command | command …`.
struct TemplatePipeline: Sendable {
    var declarations: [String] = []
    var isAssignment = false
    var commands: [[TemplateOperand]]
}

/// One operand of a command.
indirect enum TemplateOperand: Sendable {
    /// `.` (and `.A.B` as `.fields(["A", "B"])` on it).
    case dot
    case fields(base: TemplateOperand, names: [String])
    case variable(String)
    case function(String)
    case string(String)
    case number(Double, isInteger: Bool)
    case bool(Bool)
    case `nil`
    case pipeline(TemplatePipeline)
}
