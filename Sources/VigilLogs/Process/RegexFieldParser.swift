import VigilModel

/// Reads a line with a regex: its named captures (`(?P<name>…)`, RE2 syntax) are the fields.
struct RegexFieldParser: LineFieldParser {
    let regex: ProcessorRegex

    func fields(of line: [UInt8]) throws(LineParseError) -> [LogField] {
        guard let fields = regex.namedCaptures(in: String(decoding: line, as: UTF8.self)) else {
            throw LineParseError(kind: "RegexParserErr", message: "the line does not match \(regex.pattern)")
        }
        return fields
    }
}
