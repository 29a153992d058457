import VigilModel

/// Reads `key=value key2="quoted \"value\"" flag` lines (go-logfmt's syntax): a bare key has an
/// empty value; quoted values take `\"`, `\\`, `\n`, `\t`, `\r` escapes.
struct LogfmtFieldParser: LineFieldParser {
    func fields(of line: [UInt8]) throws(LineParseError) -> [LogField] {
        var fields: [LogField] = []
        var index = 0
        func fail(_ message: String) -> LineParseError {
            LineParseError(kind: "LogfmtParserErr", message: "\(message) at byte \(index)")
        }
        while index < line.count {
            while index < line.count, line[index] == 0x20 || line[index] == 0x09 { index += 1 }
            guard index < line.count else { break }
            let keyStart = index
            while index < line.count, line[index] > 0x20, line[index] != UInt8(ascii: "="), line[index] != UInt8(ascii: "\"") {
                index += 1
            }
            guard index > keyStart else { throw fail("expected a key") }
            let key = String(decoding: line[keyStart..<index], as: UTF8.self)
            guard index < line.count, line[index] == UInt8(ascii: "=") else {
                if index < line.count, line[index] == UInt8(ascii: "\"") { throw fail("unexpected '\"'") }
                fields.append(LogField(key, ""))
                continue
            }
            index += 1
            if index < line.count, line[index] == UInt8(ascii: "\"") {
                index += 1
                var value: [UInt8] = []
                var closed = false
                while index < line.count {
                    let byte = line[index]
                    index += 1
                    if byte == UInt8(ascii: "\"") {
                        closed = true
                        break
                    }
                    if byte == UInt8(ascii: "\\") {
                        guard index < line.count else { break }
                        let escaped = line[index]
                        index += 1
                        switch escaped {
                        case UInt8(ascii: "n"): value.append(0x0A)
                        case UInt8(ascii: "t"): value.append(0x09)
                        case UInt8(ascii: "r"): value.append(0x0D)
                        default: value.append(escaped)
                        }
                        continue
                    }
                    value.append(byte)
                }
                guard closed else { throw fail("unterminated quoted value") }
                fields.append(LogField(key, String(decoding: value, as: UTF8.self)))
            } else {
                let valueStart = index
                while index < line.count, line[index] > 0x20 {
                    if line[index] == UInt8(ascii: "\"") { throw fail("unexpected '\"'") }
                    index += 1
                }
                fields.append(LogField(key, String(decoding: line[valueStart..<index], as: UTF8.self)))
            }
        }
        guard !fields.isEmpty else { throw LineParseError(kind: "LogfmtParserErr", message: "no key=value pair") }
        return fields
    }
}
