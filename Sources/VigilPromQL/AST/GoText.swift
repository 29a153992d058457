/// Go's `strconv`/`fmt` text forms that Prometheus's parser messages and printer use.
enum GoText {
    /// `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    static func isPrint(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value >= 0x20 && scalar.value < 0x7F }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber,
             .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation,
             .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    private static func appendEscaped(_ scalar: Unicode.Scalar, quote: Unicode.Scalar, to result: inout String) {
        if scalar == quote || scalar == "\\" {
            result.unicodeScalars.append("\\")
            result.unicodeScalars.append(scalar)
            return
        }
        if isPrint(scalar) {
            result.unicodeScalars.append(scalar)
            return
        }
        switch scalar {
        case "\u{07}": result += "\\a"
        case "\u{08}": result += "\\b"
        case "\u{0C}": result += "\\f"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case "\u{0B}": result += "\\v"
        default:
            let value = scalar.value
            let (prefix, width) = value < 0x80 ? ("\\x", 2) : value < 0x10000 ? ("\\u", 4) : ("\\U", 8)
            let hex = String(value, radix: 16)
            result += prefix + String(repeating: "0", count: width - hex.count) + hex
        }
    }

    /// `strconv.Quote` (`%q` of a string).
    static func quote(_ text: some StringProtocol) -> String {
        var result = "\""
        for scalar in text.unicodeScalars { appendEscaped(scalar, quote: "\"", to: &result) }
        return result + "\""
    }

    /// `%.10q...`: the first ten characters quoted, then `...`.
    static func quoteTruncated(_ text: some StringProtocol) -> String {
        var result = "\""
        for scalar in text.unicodeScalars.prefix(10) { appendEscaped(scalar, quote: "\"", to: &result) }
        return result + "\"..."
    }

    /// `strconv.QuoteRune` (`%q` of a rune); a negative or invalid rune prints as U+FFFD.
    static func quoteRune(_ rune: Int32) -> String {
        let scalar = rune >= 0 ? Unicode.Scalar(UInt32(rune)) ?? "\u{FFFD}" : "\u{FFFD}"
        var result = "'"
        appendEscaped(scalar, quote: "'", to: &result)
        return result + "'"
    }

    /// `%#U`: `U+0063 'c'` (the character only when printable).
    static func unicodeFormat(_ rune: Int32) -> String {
        let value = UInt32(bitPattern: rune)
        let hex = String(value, radix: 16, uppercase: true)
        let digits = String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        if rune >= 0, let scalar = Unicode.Scalar(value), isPrint(scalar) {
            var result = "U+" + digits + " '"
            result.unicodeScalars.append(scalar)
            return result + "'"
        }
        return "U+" + digits
    }

    /// `model.Duration.String()`: `1h30m`, `1y`, `2w`, `90d`, `500ms`, `0s`; whole milliseconds.
    static func duration(milliseconds: Int64) -> String {
        var remaining = milliseconds
        if remaining == 0 { return "0s" }
        var result = ""
        func unit(_ name: String, _ size: Int64, exact: Bool) {
            if exact && remaining % size != 0 { return }
            let count = remaining / size
            if count > 0 {
                result += String(count) + name
                remaining -= count * size
            }
        }
        unit("y", 1000 * 60 * 60 * 24 * 365, exact: true)
        unit("w", 1000 * 60 * 60 * 24 * 7, exact: true)
        unit("d", 1000 * 60 * 60 * 24, exact: false)
        unit("h", 1000 * 60 * 60, exact: false)
        unit("m", 1000 * 60, exact: false)
        unit("s", 1000, exact: false)
        unit("ms", 1, exact: false)
        return result
    }

    /// `%.<decimals>f`: the exact binary value rounded half-to-even; `+Inf`, `-Inf`, `NaN`.
    static func fixed(_ value: Double, decimals: Int) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let negative = value.sign == .minus
        let magnitude = value.magnitude
        // magnitude = significand * 2^exponent exactly.
        var significand = magnitude.significandBitPattern
        var exponent = Int(magnitude.exponentBitPattern)
        if exponent == 0 {
            exponent = -1074
        } else {
            significand |= 1 << 52
            exponent -= 1075
        }
        var scaled = BigUInt(significand)
        for _ in 0..<decimals { scaled.multiply(by: 10) }
        var digits: BigUInt
        if exponent >= 0 {
            scaled.shiftLeft(exponent)
            digits = scaled
        } else {
            let (quotient, remainderComparedToHalf) = scaled.shiftRightRounding(-exponent)
            digits = quotient
            if remainderComparedToHalf > 0 || (remainderComparedToHalf == 0 && digits.isOdd) { digits.add(1) }
        }
        var text = digits.decimalString
        if text.count <= decimals { text = String(repeating: "0", count: decimals + 1 - text.count) + text }
        if decimals > 0 { text.insert(".", at: text.index(text.endIndex, offsetBy: -decimals)) }
        return (negative ? "-" : "") + text
    }
}

/// Just enough arbitrary-precision arithmetic for exact decimal output of a `Double`.
struct BigUInt {
    private var limbs: [UInt32]  // little-endian

    init(_ value: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
        normalize()
    }

    private mutating func normalize() {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }

    var isZero: Bool { limbs.isEmpty }
    var isOdd: Bool { (limbs.first ?? 0) & 1 == 1 }

    mutating func multiply(by factor: UInt32) {
        var carry: UInt64 = 0
        for index in limbs.indices {
            let product = UInt64(limbs[index]) * UInt64(factor) + carry
            limbs[index] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry > 0 { limbs.append(UInt32(carry)) }
    }

    mutating func add(_ value: UInt32) {
        var carry = UInt64(value)
        var index = 0
        while carry > 0 {
            if index == limbs.count { limbs.append(0) }
            let sum = UInt64(limbs[index]) + carry
            limbs[index] = UInt32(truncatingIfNeeded: sum)
            carry = sum >> 32
            index += 1
        }
    }

    mutating func shiftLeft(_ bits: Int) {
        guard !isZero, bits > 0 else { return }
        let whole = bits / 32
        let part = bits % 32
        if part > 0 {
            var carry: UInt32 = 0
            for index in limbs.indices {
                let limb = limbs[index]
                limbs[index] = (limb << UInt32(part)) | carry
                carry = limb >> UInt32(32 - part)
            }
            if carry > 0 { limbs.append(carry) }
        }
        limbs.insert(contentsOf: repeatElement(0, count: whole), at: 0)
    }

    private func bit(_ position: Int) -> Bool {
        let index = position / 32
        guard index < limbs.count else { return false }
        return (limbs[index] >> UInt32(position % 32)) & 1 == 1
    }

    /// The quotient of a division by 2^bits, and how the remainder compares to half the divisor
    /// (-1 below, 0 exactly, 1 above).
    func shiftRightRounding(_ bits: Int) -> (BigUInt, Int) {
        var comparison = -1
        if bit(bits - 1) {
            comparison = 0
            for position in 0..<(bits - 1) where bit(position) {
                comparison = 1
                break
            }
        }
        var result = self
        let whole = bits / 32
        let part = bits % 32
        if whole >= result.limbs.count { return (BigUInt(0), comparison) }
        result.limbs.removeFirst(whole)
        if part > 0 {
            for index in result.limbs.indices {
                let next = index + 1 < result.limbs.count ? result.limbs[index + 1] : 0
                result.limbs[index] = (result.limbs[index] >> UInt32(part)) | (next << UInt32(32 - part))
            }
        }
        result.normalize()
        return (result, comparison)
    }

    var decimalString: String {
        if isZero { return "0" }
        var value = self
        var chunks: [UInt32] = []
        while !value.isZero {
            var remainder: UInt64 = 0
            for index in value.limbs.indices.reversed() {
                let current = (remainder << 32) | UInt64(value.limbs[index])
                value.limbs[index] = UInt32(current / 1_000_000_000)
                remainder = current % 1_000_000_000
            }
            value.normalize()
            chunks.append(UInt32(remainder))
        }
        var text = String(chunks.removeLast())
        for chunk in chunks.reversed() {
            let part = String(chunk)
            text += String(repeating: "0", count: 9 - part.count) + part
        }
        return text
    }
}
