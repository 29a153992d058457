/// A template that does not parse, or fails while it runs, with Go's `text/template` wording:
/// `template: NAME:LINE: message`.
public struct TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The template's name (`__alert_NAME` for alert labels and annotations).
    public let name: String
    /// The 1-based line in the template text.
    public let line: Int
    /// What went wrong.
    public let message: String
    /// Whether the template failed while running (true) or while parsing (false).
    public let isExecution: Bool

    init(name: String, line: Int, message: String, isExecution: Bool = false) {
        self.name = name
        self.line = line
        self.message = message
        self.isExecution = isExecution
    }

    /// `template: NAME:LINE: message`, or `template: NAME:LINE: executing "NAME": message`.
    public var description: String {
        isExecution
            ? "template: \(name):\(line): executing \"\(name)\": \(message)"
            : "template: \(name):\(line): \(message)"
    }
}
