/// Conversions of literal token text, as Prometheus does them with Go's `strconv` and
/// `model.ParseDuration`.
/// A literal conversion's failure, with Go's message.
struct LiteralError: Error {
    let message: String
}

extension Result where Failure == LiteralError {
    static func fail(_ message: String) -> Self { .failure(LiteralError(message: message)) }
}

enum LiteralParsing {
    /// `strconv.ParseInt(text, 0, 64)`, then `strconv.ParseFloat(text, 64)`; the error is Go's.
    static func number(_ text: Substring) -> Result<Double, LiteralError> {
        if let integer = goParseInt(text) { return .success(Double(integer)) }
        return goParseFloat(text)
    }

    private static func goParseInt(_ text: Substring) -> Int64? {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        var base: UInt64 = 10
        if bytes[0] == UInt8(ascii: "0"), bytes.count > 1 {
            switch bytes[1] {
            case UInt8(ascii: "x"), UInt8(ascii: "X"):
                base = 16
                bytes.removeFirst(2)
            case UInt8(ascii: "b"), UInt8(ascii: "B"):
                base = 2
                bytes.removeFirst(2)
            case UInt8(ascii: "o"), UInt8(ascii: "O"):
                base = 8
                bytes.removeFirst(2)
            default:
                base = 8
                bytes.removeFirst(1)
            }
            if bytes.isEmpty { return nil }
        }
        var value: UInt64 = 0
        for byte in bytes {
            let digit: UInt64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = UInt64(byte - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): digit = UInt64(byte - UInt8(ascii: "A")) + 10
            default: return nil
            }
            guard digit < base else { return nil }
            let (product, overflow) = value.multipliedReportingOverflow(by: base)
            guard !overflow else { return nil }
            let (sum, overflowAdd) = product.addingReportingOverflow(digit)
            guard !overflowAdd, sum <= UInt64(Int64.max) else { return nil }
            value = sum
        }
        return Int64(value)
    }

    private static func goParseFloat(_ text: Substring) -> Result<Double, LiteralError> {
        let failure = "strconv.ParseFloat: parsing \(GoText.quote(text)): "
        let lowered = text.lowercased()
        switch lowered {
        case "inf", "+inf", "infinity", "+infinity": return .success(.infinity)
        case "-inf", "-infinity": return .success(-.infinity)
        case "nan": return .success(.nan)
        default: break
        }
        // Decimal only: the lexer never produces a hexadecimal float with its `p` exponent, and Go
        // rejects a hexadecimal mantissa without one.
        var sawDigit = false
        var index = text.utf8.startIndex
        let bytes = text.utf8
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            index = bytes.index(after: index)
        }
        var sawDot = false
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                sawDigit = true
            } else if byte == UInt8(ascii: ".") && !sawDot {
                sawDot = true
            } else {
                break
            }
            index = bytes.index(after: index)
        }
        guard sawDigit else { return .fail(failure + "invalid syntax") }
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index = bytes.index(after: index)
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index = bytes.index(after: index)
            }
            var sawExponentDigit = false
            while index < bytes.endIndex, bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9") {
                sawExponentDigit = true
                index = bytes.index(after: index)
            }
            guard sawExponentDigit else { return .fail(failure + "invalid syntax") }
        }
        guard index == bytes.endIndex, let value = Double(String(text)) else {
            return .fail(failure + "invalid syntax")
        }
        if value.isInfinite { return .fail(failure + "value out of range") }
        return .success(value)
    }

    /// `model.ParseDuration` plus the parser's "greater than 0" rule, in milliseconds.
    static func duration(_ text: Substring) -> Result<Int64, LiteralError> {
        let bytes = Array(text.utf8)
        if bytes == [UInt8(ascii: "0")] { return .fail("duration must be greater than 0") }
        if bytes.isEmpty { return .fail("empty duration string") }
        let invalid = "not a valid duration string: \(GoText.quote(text))"
        var total: UInt64 = 0
        var lastUnit = 0
        var index = 0
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        while index < bytes.count {
            guard isDigit(bytes[index]) else { return .fail(invalid) }
            var value: UInt64 = 0
            var overflow = false
            while index < bytes.count, isDigit(bytes[index]) {
                let (product, overflowMultiply) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflowAdd) = product.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
                overflow = overflow || overflowMultiply || overflowAdd
                value = sum
                index += 1
            }
            if overflow { return .fail(invalid) }
            let unitStart = index
            while index < bytes.count, !isDigit(bytes[index]) { index += 1 }
            guard index > unitStart else { return .fail(invalid) }
            let unit = String(decoding: bytes[unitStart..<index], as: UTF8.self)
            let position: Int
            let nanoseconds: UInt64
            switch unit {
            case "ms": (position, nanoseconds) = (7, 1_000_000)
            case "s": (position, nanoseconds) = (6, 1_000_000_000)
            case "m": (position, nanoseconds) = (5, 60_000_000_000)
            case "h": (position, nanoseconds) = (4, 3_600_000_000_000)
            case "d": (position, nanoseconds) = (3, 86_400_000_000_000)
            case "w": (position, nanoseconds) = (2, 604_800_000_000_000)
            case "y": (position, nanoseconds) = (1, 31_536_000_000_000_000)
            default: return .fail("unknown unit \(GoText.quote(unit)) in duration \(GoText.quote(text))")
            }
            if position <= lastUnit { return .fail(invalid) }
            lastUnit = position
            if value > (UInt64(1) << 63) / nanoseconds { return .fail("duration out of range") }
            total = total &+ value &* nanoseconds
            if total > UInt64(Int64.max) { return .fail("duration out of range") }
        }
        if total == 0 { return .fail("duration must be greater than 0") }
        return .success(Int64(total / 1_000_000))
    }

    /// The text of a string token without its quotes and escapes (the lexer has validated them).
    static func unquote(_ token: Substring) -> String {
        let bytes = Array(token.utf8)
        guard bytes.count >= 2 else { return "" }
        let quote = bytes[0]
        let body = bytes[1..<(bytes.count - 1)]
        if quote == UInt8(ascii: "`") || !body.contains(UInt8(ascii: "\\")) {
            return String(decoding: body, as: UTF8.self)
        }
        var output: [UInt8] = []
        output.reserveCapacity(body.count)
        var index = body.startIndex
        func hexValue(_ byte: UInt8) -> UInt32 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
            default: UInt32(byte &- UInt8(ascii: "A") &+ 10) & 0xF
            }
        }
        func appendScalar(_ value: UInt32) {
            let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
            output.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        while index < body.endIndex {
            let byte = body[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < body.endIndex else {
                output.append(byte)
                index += 1
                continue
            }
            let escape = body[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "a"): output.append(0x07)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "v"): output.append(0x0B)
            case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                let count = escape == UInt8(ascii: "x") ? 2 : escape == UInt8(ascii: "u") ? 4 : 8
                var value: UInt32 = 0
                for offset in 0..<count where index + offset < body.endIndex {
                    value = value << 4 | hexValue(body[index + offset])
                }
                index += count
                // Go keeps `\x` escapes as raw bytes; Swift strings hold only valid UTF-8, so a byte
                // of 0x80 or more becomes its code point instead.
                if escape == UInt8(ascii: "x") && value < 0x80 { output.append(UInt8(value)) } else { appendScalar(value) }
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = UInt32(escape - UInt8(ascii: "0"))
                for offset in 0..<2 where index + offset < body.endIndex {
                    value = value << 3 | UInt32(body[index + offset] &- UInt8(ascii: "0")) & 7
                }
                index += 2
                if value < 0x80 { output.append(UInt8(value)) } else { appendScalar(value) }
            default:
                output.append(escape)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
