import VigilModel

/// Turns one line into named fields; the parsers of the `processors:` list implement it.
protocol LineFieldParser: Sendable {
    /// The line's fields in the order found; throws when the line is not in the parser's syntax.
    func fields(of line: [UInt8]) throws(LineParseError) -> [LogField]
}

/// Why a line did not parse: `kind` becomes the line's `__error__` label (Loki's names, e.g.
/// `JSONParserErr`), `message` its `__error_details__` metadata.
struct LineParseError: Error, Sendable, Hashable, CustomStringConvertible {
    var kind: String
    var message: String

    var description: String { "\(kind): \(message)" }
}
