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
    /// Where the failing command starts (0-based byte offset in its line) and its text, when known.
    let context: (column: Int, command: String)?

    init(name: String, line: Int, message: String, isExecution: Bool = false, context: (column: Int, command: String)? = nil) {
        self.name = name
        self.line = line
        self.message = message
        self.isExecution = isExecution
        self.context = context
    }

    /// `template: NAME:LINE: message`, or, for a failure while running,
    /// `template: NAME:LINE:COL: executing "NAME" at <COMMAND>: message` as Go writes it.
    public var description: String {
        guard isExecution else { return "template: \(name):\(line): \(message)" }
        guard let context else { return "template: \(name):\(line): executing \"\(name)\": \(message)" }
        return "template: \(name):\(line):\(context.column): executing \"\(name)\" at <\(context.command)>: \(message)"
    }

    /// Equal when name, line, message and kind are.
    public static func == (lhs: TemplateError, rhs: TemplateError) -> Bool {
        lhs.description == rhs.description
    }

    /// Hashes the description.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(description)
    }
}
