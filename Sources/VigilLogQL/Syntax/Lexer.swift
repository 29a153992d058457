/// Splits a LogQL query into tokens, tracking line and column (1-based, in Unicode scalars) so
/// errors can name the place the way Loki does.
struct Lexer {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0

    init(_ query: String) {
        bytes = Array(query.utf8)
    }

    /// Every token of the query, ending with `.end`.
    static func tokenize(_ query: String) throws(LogQLParseError) -> [Token] {
        var lexer = Lexer(query)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func column(at offset: Int) -> Int {
        // Columns count scalars, not bytes: a continuation byte does not start a column.
        var column = 1
        var position = lineStart
        while position < offset {
            if bytes[position] & 0xC0 != 0x80 { column += 1 }
            position += 1
        }
        return column
    }

    func error(_ message: String, at offset: Int) -> LogQLParseError {
        LogQLParseError(message: message, line: line, column: column(at: offset), offset: offset)
    }

    private mutating func skipSpaceAndComments() {
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                index += 1
                line += 1
                lineStart = index
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                index += 1
            } else if byte == UInt8(ascii: "#") {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            } else {
                return
            }
        }
    }

    private func make(_ kind: Token.Kind, _ text: String, _ start: Int) -> Token {
        Token(kind: kind, text: text, offset: start, line: line, column: column(at: start))
    }

    private func peek(_ ahead: Int = 0) -> UInt8? {
        index + ahead < bytes.count ? bytes[index + ahead] : nil
    }

    mutating func next() throws(LogQLParseError) -> Token {
        skipSpaceAndComments()
        let start = index
        guard let byte = peek() else { return make(.end, "", start) }
        func symbol(_ kind: Token.Kind, _ length: Int) -> Token {
            index += length
            return make(kind, String(decoding: bytes[start..<index], as: UTF8.self), start)
        }
        switch byte {
        case UInt8(ascii: "{"): return symbol(.openBrace, 1)
        case UInt8(ascii: "}"): return symbol(.closeBrace, 1)
        case UInt8(ascii: "("): return symbol(.openParen, 1)
        case UInt8(ascii: ")"): return symbol(.closeParen, 1)
        case UInt8(ascii: "["): return symbol(.openBracket, 1)
        case UInt8(ascii: "]"): return symbol(.closeBracket, 1)
        case UInt8(ascii: ","): return symbol(.comma, 1)
        case UInt8(ascii: "+"): return symbol(.add, 1)
        case UInt8(ascii: "*"): return symbol(.mul, 1)
        case UInt8(ascii: "/"): return symbol(.div, 1)
        case UInt8(ascii: "%"): return symbol(.mod, 1)
        case UInt8(ascii: "^"): return symbol(.pow, 1)
        case UInt8(ascii: "="):
            if peek(1) == UInt8(ascii: "~") { return symbol(.regexMatch, 2) }
            if peek(1) == UInt8(ascii: "=") { return symbol(.doubleEqual, 2) }
            return symbol(.equal, 1)
        case UInt8(ascii: "!"):
            if peek(1) == UInt8(ascii: "=") { return symbol(.notEqual, 2) }
            if peek(1) == UInt8(ascii: "~") { return symbol(.regexNoMatch, 2) }
            throw error("syntax error: unexpected character: '!'", at: start)
        case UInt8(ascii: "|"):
            if peek(1) == UInt8(ascii: "=") { return symbol(.pipeExact, 2) }
            if peek(1) == UInt8(ascii: "~") { return symbol(.pipeMatch, 2) }
            return symbol(.pipe, 1)
        case UInt8(ascii: ">"):
            if peek(1) == UInt8(ascii: "=") { return symbol(.greaterEqual, 2) }
            return symbol(.greater, 1)
        case UInt8(ascii: "<"):
            if peek(1) == UInt8(ascii: "=") { return symbol(.lessEqual, 2) }
            return symbol(.less, 1)
        case UInt8(ascii: "-"):
            if peek(1) == UInt8(ascii: "-"), let after = peek(2), Self.isIdentifierStart(after) {
                index += 2
                while let next = peek(), Self.isIdentifierPart(next) || next == UInt8(ascii: "-") { index += 1 }
                return make(.flag, String(decoding: bytes[start..<index], as: UTF8.self), start)
            }
            return symbol(.sub, 1)
        case UInt8(ascii: "\""): return try quoted(start)
        case UInt8(ascii: "`"):
            index += 1
            while let next = peek(), next != UInt8(ascii: "`") {
                if next == UInt8(ascii: "\n") { line += 1; lineStart = index + 1 }
                index += 1
            }
            guard peek() != nil else { throw error("literal not terminated", at: start) }
            index += 1
            return make(.string, String(decoding: bytes[(start + 1)..<(index - 1)], as: UTF8.self), start)
        case UInt8(ascii: "."):
            if let next = peek(1), Self.isDigit(next) { return try number(start) }
            return symbol(.dot, 1)
        default:
            if Self.isDigit(byte) { return try number(start) }
            if Self.isIdentifierStart(byte) {
                index += 1
                while let next = peek(), Self.isIdentifierPart(next) { index += 1 }
                return make(.identifier, String(decoding: bytes[start..<index], as: UTF8.self), start)
            }
            let scalarEnd = Self.scalarEnd(bytes, from: start)
            let text = String(decoding: bytes[start..<scalarEnd], as: UTF8.self)
            throw error("syntax error: unexpected character: '\(text)'", at: start)
        }
    }

    /// A number, a duration (`5m`, `1h30m`, `1.5s`) or a byte size (`10KB`, `1MiB`).
    private mutating func number(_ start: Int) throws(LogQLParseError) -> Token {
        if peek() == UInt8(ascii: "0"), let x = peek(1), x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
            index += 2
            while let next = peek(), Self.isHexDigit(next) { index += 1 }
            return make(.number, String(decoding: bytes[start..<index], as: UTF8.self), start)
        }
        while let next = peek(), Self.isDigit(next) || next == UInt8(ascii: ".") { index += 1 }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E"),
            let after = peek(1),
            Self.isDigit(after) || ((after == UInt8(ascii: "+") || after == UInt8(ascii: "-")) && peek(2).map(Self.isDigit) == true)
        {
            index += 2
            while let next = peek(), Self.isDigit(next) { index += 1 }
            return make(.number, String(decoding: bytes[start..<index], as: UTF8.self), start)
        }
        guard let next = peek(), Self.isLetter(next) || next == 0xC2 else {
            return make(.number, String(decoding: bytes[start..<index], as: UTF8.self), start)
        }
        // A unit follows: read letters, digits and dots (`1h30m`, `1.5s`) and decide.
        var end = index
        while end < bytes.count, Self.isLetter(bytes[end]) || Self.isDigit(bytes[end]) || bytes[end] == UInt8(ascii: ".")
            || bytes[end] == 0xC2 || bytes[end] == 0xB5
        {
            end += 1
        }
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        if GoDurationParser.parse(text) != nil {
            index = end
            return make(.duration, text, start)
        }
        if ByteSizeParser.parse(text) != nil {
            index = end
            return make(.bytes, text, start)
        }
        throw error("syntax error: unexpected IDENTIFIER", at: start)
    }

    private mutating func quoted(_ start: Int) throws(LogQLParseError) -> Token {
        index += 1
        var value: [UInt8] = []
        while true {
            guard let byte = peek() else { throw error("literal not terminated", at: start) }
            if byte == UInt8(ascii: "\"") { index += 1; break }
            if byte == UInt8(ascii: "\n") { throw error("literal not terminated", at: start) }
            if byte != UInt8(ascii: "\\") {
                value.append(byte)
                index += 1
                continue
            }
            guard let escaped = peek(1) else { throw error("literal not terminated", at: start) }
            index += 2
            switch escaped {
            case UInt8(ascii: "n"): value.append(0x0A)
            case UInt8(ascii: "t"): value.append(0x09)
            case UInt8(ascii: "r"): value.append(0x0D)
            case UInt8(ascii: "a"): value.append(0x07)
            case UInt8(ascii: "b"): value.append(0x08)
            case UInt8(ascii: "f"): value.append(0x0C)
            case UInt8(ascii: "v"): value.append(0x0B)
            case UInt8(ascii: "\\"): value.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "\""): value.append(UInt8(ascii: "\""))
            case UInt8(ascii: "'"): value.append(UInt8(ascii: "'"))
            case UInt8(ascii: "x"):
                guard let code = hexValue(count: 2) else { throw error("invalid syntax", at: start) }
                value.append(UInt8(code))
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                guard let code = hexValue(count: escaped == UInt8(ascii: "u") ? 4 : 8),
                    let scalar = Unicode.Scalar(code)
                else { throw error("invalid syntax", at: start) }
                value.append(contentsOf: Array(String(Character(scalar)).utf8))
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                guard index + 1 < bytes.count, (0x30...0x37).contains(bytes[index]), (0x30...0x37).contains(bytes[index + 1])
                else { throw error("invalid syntax", at: start) }
                let code = Int(escaped - 0x30) * 64 + Int(bytes[index] - 0x30) * 8 + Int(bytes[index + 1] - 0x30)
                guard code < 256 else { throw error("invalid syntax", at: start) }
                value.append(UInt8(code))
                index += 2
            default:
                throw error("invalid syntax", at: start)
            }
        }
        return make(.string, String(decoding: value, as: UTF8.self), start)
    }

    private mutating func hexValue(count: Int) -> UInt32? {
        guard index + count <= bytes.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<count {
            let byte = bytes[index + offset]
            guard Self.isHexDigit(byte) else { return nil }
            let digit: UInt8 = Self.isDigit(byte) ? byte - 0x30 : (byte | 0x20) - UInt8(ascii: "a") + 10
            value = value * 16 + UInt32(digit)
        }
        index += count
        return value
    }

    static func scalarEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var end = start + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return end
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
    }
    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
    static func isIdentifierStart(_ byte: UInt8) -> Bool { isLetter(byte) || byte == UInt8(ascii: "_") }
    static func isIdentifierPart(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || isDigit(byte) || byte == UInt8(ascii: ":")
    }
}
