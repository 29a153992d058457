/// A query LogQL cannot parse or check, with Loki's message: `parse error at line L, col C: …`.
///
/// `line` and `column` are 1-based and count Unicode scalars; both are 0 for errors about the
/// query as a whole (Loki then writes `parse error : …`).
public struct LogQLParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// 1-based line, or 0.
    public var line: Int
    /// 1-based column, or 0.
    public var column: Int
    /// Byte offset into the query (UTF-8), or -1 for whole-query errors.
    public var offset: Int

    /// An error at a position.
    public init(message: String, line: Int, column: Int, offset: Int) {
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// An error about the whole query.
    public init(message: String) {
        self.init(message: message, line: 0, column: 0, offset: -1)
    }

    /// Loki's text.
    public var description: String {
        if line == 0 && column == 0 { return "parse error : \(message)" }
        return "parse error at line \(line), col \(column): \(message)"
    }
}
