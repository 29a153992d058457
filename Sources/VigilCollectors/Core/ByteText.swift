/// Byte-level parsing of the text files procfs and sysfs hand out: lines, whitespace-separated
/// fields, and numbers, without building `String`s except for names that become labels.
///
/// Every function accepts any input: malformed numbers come back as nil, never a trap.
public enum ByteText {
    /// Whether `byte` separates fields (space, tab, NUL, CR).
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x00 || byte == 0x0D
    }

    /// The lines of `text`, without their `\n`; a last line without one is included.
    public static func lines(_ text: ArraySlice<UInt8>) -> LineSequence { LineSequence(text: text) }

    /// The whitespace-separated fields of `line`.
    public static func fields(_ line: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var index = line.startIndex
        while index < line.endIndex {
            while index < line.endIndex && (isSpace(line[index]) || line[index] == 0x0A) { index += 1 }
            let start = index
            while index < line.endIndex && !(isSpace(line[index]) || line[index] == 0x0A) { index += 1 }
            if start < index { result.append(line[start..<index]) }
        }
        return result
    }

    /// `text` without leading and trailing whitespace and newlines.
    public static func trimmed(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var start = text.startIndex
        var end = text.endIndex
        while start < end && (isSpace(text[start]) || text[start] == 0x0A) { start += 1 }
        while end > start && (isSpace(text[end - 1]) || text[end - 1] == 0x0A) { end -= 1 }
        return text[start..<end]
    }

    /// A decimal unsigned integer filling all of `bytes`; nil when empty, not digits or too big.
    public static func uint64(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        guard !bytes.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            let digit = byte &- 0x30
            guard digit < 10 else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(digit))
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }

    /// A hexadecimal unsigned integer (`/proc/net/stat/*`), with or without `0x`.
    public static func hex(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        var digits = bytes
        if digits.count > 2 && digits[digits.startIndex] == 0x30 && (digits[digits.startIndex + 1] | 0x20) == 0x78 {
            digits = digits.dropFirst(2)
        }
        guard !digits.isEmpty, digits.count <= 16 else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x61...0x66: digit = byte - 0x61 + 10
            case 0x41...0x46: digit = byte - 0x41 + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    /// A decimal integer with an optional sign.
    public static func int64(_ bytes: ArraySlice<UInt8>) -> Int64? {
        guard let first = bytes.first else { return nil }
        let negative = first == 0x2D
        let digits = first == 0x2D || first == 0x2B ? bytes.dropFirst() : bytes
        guard let magnitude = uint64(digits) else { return nil }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// A number as Go's `strconv.ParseFloat` reads it: integers and decimals on a fast path,
    /// anything else (exponents, `inf`, `nan`) through the standard library.
    public static func double(_ bytes: ArraySlice<UInt8>) -> Double? {
        guard !bytes.isEmpty, bytes.count < 64 else { return nil }
        if let integer = uint64(bytes), integer < 1 << 53 { return Double(integer) }
        var index = bytes.startIndex
        var negative = false
        if bytes[index] == 0x2D || bytes[index] == 0x2B {
            negative = bytes[index] == 0x2D
            index += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        var seenPoint = false
        var simple = index < bytes.endIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == 0x2E && !seenPoint {
                seenPoint = true
            } else if byte &- 0x30 < 10 {
                guard digits < 15 else { simple = false; break }
                mantissa = mantissa * 10 + UInt64(byte - 0x30)
                digits += 1
                if seenPoint { scale += 1 }
            } else {
                simple = false
                break
            }
            index += 1
        }
        if simple && digits > 0 {
            let value = Double(mantissa) / powersOfTen[scale]
            return negative ? -value : value
        }
        return Double(String(decoding: bytes, as: UTF8.self))
    }

    private static let powersOfTen: [Double] = (0...15).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// `bytes` as a `String` (invalid UTF-8 repaired, as label values must be valid).
    public static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `bytes` equals the ASCII `literal`.
    public static func equals(_ bytes: ArraySlice<UInt8>, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        return literal.withUTF8Buffer { buffer in
            var index = bytes.startIndex
            for byte in buffer {
                if bytes[index] != byte { return false }
                index += 1
            }
            return true
        }
    }

    /// Whether `bytes` starts with the ASCII `literal`.
    public static func hasPrefix(_ bytes: ArraySlice<UInt8>, _ literal: StaticString) -> Bool {
        guard bytes.count >= literal.utf8CodeUnitCount else { return false }
        return equals(bytes.prefix(literal.utf8CodeUnitCount), literal)
    }
}

/// The lines of a byte slice; see ``ByteText/lines(_:)``.
public struct LineSequence: Sequence, IteratorProtocol {
    private let text: ArraySlice<UInt8>
    private var position: Int

    init(text: ArraySlice<UInt8>) {
        self.text = text
        self.position = text.startIndex
    }

    /// The next line, or nil at the end.
    public mutating func next() -> ArraySlice<UInt8>? {
        guard position < text.endIndex else { return nil }
        let start = position
        while position < text.endIndex && text[position] != 0x0A { position += 1 }
        let line = text[start..<position]
        if position < text.endIndex { position += 1 }
        return line
    }
}
