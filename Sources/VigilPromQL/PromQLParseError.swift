/// Why a PromQL query could not be parsed, with Prometheus's wording and position.
///
/// ``description`` reads as Prometheus prints it: `1:5: parse error: unexpected <op:*>`
/// (`unknown position: ...` for an empty query).
public struct PromQLParseError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case lexical, syntax, semantic, tooDeep
    }

    private let code: Code
    /// The message without position, e.g. `unexpected end of input`.
    public let message: String
    /// The offending part of the query, in UTF-8 byte offsets.
    public let positionRange: PositionRange
    /// 1-based line of the start of ``positionRange``; 0 when unknown (empty query).
    public let line: Int
    /// 1-based byte column of the start of ``positionRange``; 0 when unknown.
    public let column: Int

    init(_ message: String, _ range: PositionRange, query: String) {
        self.init(message, range, query: query, code: .syntax)
    }

    private init(_ message: String, _ range: PositionRange, query: String, code: Code) {
        self.code = code
        self.message = message
        self.positionRange = range
        if let position = range.startPosition(in: query) {
            line = position.line
            column = position.column
        } else {
            line = 0
            column = 0
        }
    }

    static func lexical(_ message: String, _ range: PositionRange, query: String) -> PromQLParseError {
        PromQLParseError(message, range, query: query, code: .lexical)
    }

    static func semantic(_ message: String, _ range: PositionRange, query: String) -> PromQLParseError {
        PromQLParseError(message, range, query: query, code: .semantic)
    }

    static func tooDeep(_ message: String, _ range: PositionRange, query: String) -> PromQLParseError {
        PromQLParseError(message, range, query: query, code: .tooDeep)
    }

    /// Whether the query was rejected only for nesting deeper than the parser allows (a Vigil
    /// limit; Prometheus has none).
    public var isNestingLimit: Bool { code == .tooDeep }

    /// `line:column: parse error: message`.
    public var description: String {
        let position = line == 0 ? (positionRange.start == 0 ? "unknown position" : "invalid position") : "\(line):\(column)"
        return position + ": parse error: " + message
    }
}
