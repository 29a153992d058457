/// A syntax or semantic error in an exposition, with the position a user can look at.
///
/// `line` and `column` are 1-based; `column` counts bytes, not characters.
public struct ExpositionError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case syntax
        case semantic
        case unexpectedEnd
    }

    private let code: Code
    /// The 1-based line of the error.
    public let line: Int
    /// The 1-based byte column of the error within its line.
    public let column: Int
    /// What is wrong, in words a target's owner can act on.
    public let message: String

    private init(_ code: Code, line: Int, column: Int, message: String) {
        self.code = code
        self.line = line
        self.column = column
        self.message = message
    }

    static func syntax(_ message: String, line: Int, column: Int) -> Self {
        Self(.syntax, line: line, column: column, message: message)
    }

    static func semantic(_ message: String, line: Int, column: Int) -> Self {
        Self(.semantic, line: line, column: column, message: message)
    }

    static func unexpectedEnd(_ message: String, line: Int, column: Int) -> Self {
        Self(.unexpectedEnd, line: line, column: column, message: message)
    }

    /// `line L, column C: message`.
    public var description: String { "line \(line), column \(column): \(message)" }
}
