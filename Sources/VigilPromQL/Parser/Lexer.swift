/// PromQL's lexer, byte by byte, with Prometheus's states and messages (`promql/parser/lex.go`).
///
/// Runes are decoded from UTF-8 only where the rules look at them; positions are byte offsets.
/// After an ``TokenKind/error`` token the lexer must not be asked again.
struct Lexer {
    let input: [UInt8]
    private(set) var pos = 0
    private var start = 0
    private var width = 0
    private var parenDepth = 0
    private var braceOpen = false
    private var bracketOpen = false
    private var gotColon = false
    private var afterLeftBracket = false

    static let eof: Int32 = -1
    static let runeError: Int32 = 0xFFFD

    init(_ input: [UInt8]) {
        self.input = input
    }

    func text(_ token: Token) -> Substring {
        Substring(decoding: input[token.start..<token.end], as: UTF8.self)
    }

    // MARK: Runes

    private mutating func next() -> Int32 {
        guard pos < input.count else {
            width = 0
            return Lexer.eof
        }
        let (rune, size) = Lexer.decode(input, at: pos)
        width = size
        pos += size
        return rune
    }

    /// `utf8.DecodeRune`: the rune at `index` and its width; `(U+FFFD, 1)` for invalid bytes.
    static func decode(_ bytes: [UInt8], at index: Int) -> (Int32, Int) {
        let first = bytes[index]
        if first < 0x80 { return (Int32(first), 1) }
        let count: Int
        var value: UInt32
        switch first {
        case 0xC2...0xDF: count = 2; value = UInt32(first & 0x1F)
        case 0xE0...0xEF: count = 3; value = UInt32(first & 0x0F)
        case 0xF0...0xF4: count = 4; value = UInt32(first & 0x07)
        default: return (runeError, 1)
        }
        guard index + count <= bytes.count else { return (runeError, 1) }
        for offset in 1..<count {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return (runeError, 1) }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        let minimum: UInt32 = count == 2 ? 0x80 : count == 3 ? 0x800 : 0x10000
        guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else { return (runeError, 1) }
        return (Int32(value), count)
    }

    private mutating func peek() -> Int32 {
        let rune = next()
        backup()
        return rune
    }

    private mutating func backup() { pos -= width }

    private mutating func accept(_ valid: StaticString) -> Bool {
        let rune = next()
        if rune >= 0, rune < 0x80, Lexer.contains(valid, UInt8(rune)) { return true }
        backup()
        return false
    }

    private mutating func acceptRun(_ valid: StaticString) {
        while accept(valid) {}
    }

    private static func contains(_ set: StaticString, _ byte: UInt8) -> Bool {
        set.withUTF8Buffer { $0.contains(byte) }
    }

    static func isSpace(_ rune: Int32) -> Bool { rune == 0x20 || rune == 0x09 || rune == 0x0A || rune == 0x0D }
    static func isDigit(_ rune: Int32) -> Bool { rune >= 0x30 && rune <= 0x39 }
    static func isAlpha(_ rune: Int32) -> Bool {
        rune == 0x5F || (rune >= 0x61 && rune <= 0x7A) || (rune >= 0x41 && rune <= 0x5A)
    }
    static func isAlphaNumeric(_ rune: Int32) -> Bool { isAlpha(rune) || isDigit(rune) }

    private var pendingText: String { String(decoding: input[start..<pos], as: UTF8.self) }

    // MARK: Tokens

    private mutating func emit(_ kind: TokenKind) -> Token {
        let token = Token(kind: kind, start: start, end: pos)
        start = pos
        return token
    }

    private func error(_ message: String) -> Token {
        Token(kind: .error, start: start, end: input.count, message: message)
    }

    private mutating func ignore() { start = pos }

    /// The next token; comments are returned as ``TokenKind/comment`` tokens.
    mutating func nextToken() -> Token {
        while true {
            if afterLeftBracket {
                afterLeftBracket = false
                return lexDuration()
            }
            if braceOpen {
                if let token = lexInsideBraces() { return token }
                continue
            }
            if let token = lexStatement() { return token }
        }
    }

    private mutating func startsWithComment() -> Bool { pos < input.count && input[pos] == UInt8(ascii: "#") }

    private mutating func lexLineComment() -> Token {
        pos += 1
        var rune = next()
        while rune != 0x0A && rune != 0x0D && rune != Lexer.eof { rune = next() }
        backup()
        return emit(.comment)
    }

    private mutating func skipSpaces() {
        while Lexer.isSpace(peek()) { _ = next() }
        ignore()
    }

    /// One step of the statement state; nil when it only skipped input.
    private mutating func lexStatement() -> Token? {
        if startsWithComment() { return lexLineComment() }
        let rune = next()
        switch rune {
        case Lexer.eof:
            if parenDepth != 0 { return error("unclosed left parenthesis") }
            if bracketOpen { return error("unclosed left bracket") }
            return emit(.eof)
        case 0x2C: return emit(.comma)
        case _ where Lexer.isSpace(rune):
            skipSpaces()
            return nil
        case 0x2A: return emit(.mul)
        case 0x2F: return emit(.div)
        case 0x25: return emit(.mod)
        case 0x2B: return emit(.add)
        case 0x2D: return emit(.sub)
        case 0x5E: return emit(.pow)
        case 0x3D:  // =
            let following = peek()
            if following == 0x3D {
                _ = next()
                return emit(.equal)
            }
            if following == 0x7E { return error("unexpected character after '=': \(GoText.quoteRune(following))") }
            return emit(.assign)
        case 0x21:  // !
            let following = next()
            if following == 0x3D { return emit(.notEqual) }
            return error("unexpected character after '!': \(GoText.quoteRune(following))")
        case 0x3C:  // <
            if peek() == 0x3D {
                _ = next()
                return emit(.lessOrEqual)
            }
            return emit(.less)
        case 0x3E:  // >
            if peek() == 0x3D {
                _ = next()
                return emit(.greaterOrEqual)
            }
            return emit(.greater)
        case _ where Lexer.isDigit(rune) || (rune == 0x2E && Lexer.isDigit(peek())):
            backup()
            return lexNumberOrDuration()
        case 0x22, 0x27:
            return lexString(quote: rune)
        case 0x60:
            return lexRawString()
        case _ where Lexer.isAlpha(rune) || rune == 0x3A:
            if !bracketOpen {
                backup()
                return lexKeywordOrIdentifier()
            }
            if gotColon { return error("unexpected colon \(GoText.quoteRune(rune))") }
            gotColon = true
            return emit(.colon)
        case 0x28:
            parenDepth += 1
            return emit(.leftParen)
        case 0x29:
            var token = emit(.rightParen)
            parenDepth -= 1
            if parenDepth < 0 {
                token = error("unexpected right parenthesis ')'")
            }
            return token
        case 0x7B:
            braceOpen = true
            return emit(.leftBrace)
        case 0x5B:
            if bracketOpen { return error("unexpected left bracket '['") }
            gotColon = false
            let token = emit(.leftBracket)
            if Lexer.isSpace(peek()) { skipSpaces() }
            bracketOpen = true
            afterLeftBracket = true
            return token
        case 0x5D:
            if !bracketOpen { return error("unexpected right bracket ']'") }
            bracketOpen = false
            return emit(.rightBracket)
        case 0x40:
            return emit(.at)
        default:
            return error("unexpected character: \(GoText.quoteRune(rune))")
        }
    }

    private mutating func lexInsideBraces() -> Token? {
        if startsWithComment() { return lexLineComment() }
        let rune = next()
        switch rune {
        case Lexer.eof:
            return error("unexpected end of input inside braces")
        case _ where Lexer.isSpace(rune):
            skipSpaces()
            return nil
        case _ where Lexer.isAlpha(rune):
            while Lexer.isAlphaNumeric(next()) {}
            backup()
            return emit(.identifier)
        case 0x2C:
            return emit(.comma)
        case 0x22, 0x27:
            return lexString(quote: rune)
        case 0x60:
            return lexRawString()
        case 0x3D:
            if next() == 0x7E { return emit(.regexMatch) }
            backup()
            return emit(.assign)
        case 0x21:
            let following = next()
            if following == 0x7E { return emit(.regexNoMatch) }
            if following == 0x3D { return emit(.notEqual) }
            return error("unexpected character after '!' inside braces: \(GoText.quoteRune(following))")
        case 0x7B:
            return error("unexpected left brace '{'")
        case 0x7D:
            braceOpen = false
            return emit(.rightBrace)
        default:
            return error("unexpected character inside braces: \(GoText.quoteRune(rune))")
        }
    }

    private static func digitValue(_ rune: Int32) -> UInt32 {
        switch rune {
        case 0x30...0x39: UInt32(rune - 0x30)
        case 0x61...0x66: UInt32(rune - 0x61 + 10)
        case 0x41...0x46: UInt32(rune - 0x41 + 10)
        default: 16
        }
    }

    /// The escape after a `\`; an error message if it is invalid.
    private mutating func lexEscape(quote: Int32) -> String? {
        var rune = next()
        var count: Int
        let base: UInt32
        let maximum: UInt32
        switch rune {
        case 0x61, 0x62, 0x66, 0x6E, 0x72, 0x74, 0x76, 0x5C, quote:
            return nil
        case 0x30...0x37:
            (count, base, maximum) = (3, 8, 255)
        case 0x78:
            rune = next()
            (count, base, maximum) = (2, 16, 255)
        case 0x75:
            rune = next()
            (count, base, maximum) = (4, 16, 0x10FFFF)
        case 0x55:
            rune = next()
            (count, base, maximum) = (8, 16, 0x10FFFF)
        case Lexer.eof:
            return "escape sequence not terminated"
        default:
            return "unknown escape sequence \(GoText.unicodeFormat(rune))"
        }
        var value: UInt32 = 0
        while count > 0 {
            let digit = Lexer.digitValue(rune)
            if digit >= base {
                if rune == Lexer.eof { return "escape sequence not terminated" }
                return "illegal character \(GoText.unicodeFormat(rune)) in escape sequence"
            }
            value = value &* base &+ digit
            count -= 1
            if count > 0 { rune = next() }
        }
        if value > maximum || (0xD800..<0xE000).contains(value) {
            return "escape sequence is an invalid Unicode code point"
        }
        return nil
    }

    private mutating func lexString(quote: Int32) -> Token {
        while true {
            let rune = next()
            switch rune {
            case 0x5C:
                if let message = lexEscape(quote: quote) { return error(message) }
            case Lexer.runeError:
                return error("invalid UTF-8 rune")
            case Lexer.eof, 0x0A:
                return error("unterminated quoted string")
            case quote:
                return emit(.string)
            default:
                break
            }
        }
    }

    private mutating func lexRawString() -> Token {
        while true {
            switch next() {
            case Lexer.runeError: return error("invalid UTF-8 rune")
            case Lexer.eof: return error("unterminated raw string")
            case 0x60: return emit(.string)
            default: break
            }
        }
    }

    private mutating func lexDuration() -> Token {
        if scanNumber() { return error("missing unit character in duration") }
        if !acceptRemainingDuration() { return error("bad duration syntax: \(GoText.quote(pendingText))") }
        backup()
        return emit(.duration)
    }

    private mutating func lexNumberOrDuration() -> Token {
        if scanNumber() { return emit(.number) }
        if acceptRemainingDuration() {
            backup()
            return emit(.duration)
        }
        return error("bad number or duration syntax: \(GoText.quote(pendingText))")
    }

    private mutating func acceptRemainingDuration() -> Bool {
        if !accept("smhdwy") { return false }
        _ = accept("s")
        while accept("0123456789") {
            while accept("0123456789") {}
            if !accept("smhdw") { return false }
            _ = accept("s")
        }
        return !Lexer.isAlphaNumeric(next())
    }

    /// Scans a number's characters; true when it is not followed by a letter or digit.
    private mutating func scanNumber() -> Bool {
        var hex = false
        if accept("0") && accept("xX") { hex = true }
        if hex { acceptRun("0123456789abcdefABCDEF") } else { acceptRun("0123456789") }
        if accept(".") {
            if hex { acceptRun("0123456789abcdefABCDEF") } else { acceptRun("0123456789") }
        }
        if accept("eE") {
            _ = accept("+-")
            acceptRun("0123456789")
        }
        return !Lexer.isAlphaNumeric(peek())
    }

    private mutating func lexKeywordOrIdentifier() -> Token {
        var hasColon = false
        while true {
            let rune = next()
            if Lexer.isAlphaNumeric(rune) { continue }
            if rune == 0x3A {
                hasColon = true
                continue
            }
            backup()
            break
        }
        let lowered = input[start..<pos].lazy.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        if let keyword = TokenKind.keyword(lowered) { return emit(keyword) }
        return emit(hasColon ? .metricIdentifier : .identifier)
    }
}
