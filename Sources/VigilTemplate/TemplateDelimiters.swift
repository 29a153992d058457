/// The strings that open and close an action, as Go's `Template.Delims` sets them.
///
/// Go's default is `{{`/`}}`; prometheus-adapter parses its `metricsQuery` and resource
/// templates with `<<`/`>>` so that PromQL's braces stay text. Trimming works the same way with
/// either pair (`<<- ` and ` ->>`).
public struct TemplateDelimiters: Sendable, Hashable {
    /// Opens an action.
    public var left: String
    /// Closes an action.
    public var right: String

    /// Delimiters `left` and `right`; an empty string means Go's default for that side.
    public init(left: String, right: String) {
        self.left = left.isEmpty ? "{{" : left
        self.right = right.isEmpty ? "}}" : right
    }

    /// Go's default, `{{` and `}}`.
    public static let standard = TemplateDelimiters(left: "{{", right: "}}")
}
