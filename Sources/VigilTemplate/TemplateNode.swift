/// The parse tree of a Go text/template.
indirect enum TemplateNode: Sendable {
    case text(String)
    case action(TemplatePipeline, line: Int)
    case conditional(Kind, TemplatePipeline, body: [TemplateNode], otherwise: [TemplateNode]?, line: Int)
    /// `{{template "name" pipeline}}` (and the call half of `{{block}}`); no pipeline means nil dot.
    case include(name: String, TemplatePipeline?, line: Int)

    enum Kind: Sendable {
        case `if`, range, with
    }
}

/// `[$x :=] command | command …`.
struct TemplatePipeline: Sendable {
    var declarations: [String] = []
    var isAssignment = false
    var commands: [TemplateCommand]
}

/// One command of a pipeline, with where it starts (for Go's `NAME:LINE:COL` error context) and
/// its text (for `at <…>`).
struct TemplateCommand: Sendable {
    var operands: [TemplateOperand]
    /// 1-based line.
    var line: Int
    /// 0-based byte offset of the command's first token within its line, as Go reports it.
    var column: Int
    /// The operands as written, separated by single spaces.
    var text: String
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
