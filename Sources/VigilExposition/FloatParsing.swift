/// Number parsing for both exposition formats, on raw bytes and without allocating.
///
/// The accepted grammar is Go's `strconv.ParseFloat` as Prometheus restricts it (no hex floats, no
/// `_` separators), which is also OpenMetrics' `number`: an optional sign, digits with an optional
/// `.` and an optional `e`/`E` exponent; `inf`/`infinity` (any case, optional sign); `nan` (any
/// case, no sign). Finite literals that overflow a `Double` are errors, as `ParseFloat` reports
/// `ErrRange`; underflow rounds to zero.
enum FloatParsing {
    /// Exactly representable powers of ten, for Clinger's fast path.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Parses `bytes[start..<end]` as a number; `nil` when it is not one.
    @inline(__always)
    static func parseNumber(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Double? {
        guard start < end else { return nil }
        var index = start
        var negative = false
        let first = bytes[index]
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            index += 1
            guard index < end else { return nil }
        }
        let lead = bytes[index]
        if lead | 0x20 == UInt8(ascii: "i") {
            guard matchesIgnoringCase(bytes, index, end, "inf") || matchesIgnoringCase(bytes, index, end, "infinity")
            else { return nil }
            return negative ? -.infinity : .infinity
        }
        if lead | 0x20 == UInt8(ascii: "n") {
            guard index == start, matchesIgnoringCase(bytes, index, end, "nan") else { return nil }
            return .nan
        }

        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        var sawDigit = false
        var inexact = false
        while index < end {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            sawDigit = true
            if significantDigits < 19 {
                if mantissa != 0 || digit != 0 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    significantDigits += 1
                }
            } else {
                exponent += 1
                if digit != 0 { inexact = true }
            }
            index += 1
        }
        if index < end && bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < end {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                sawDigit = true
                if significantDigits < 19 {
                    if mantissa != 0 || digit != 0 {
                        mantissa = mantissa &* 10 &+ UInt64(digit)
                        significantDigits += 1
                    }
                    exponent -= 1
                } else if digit != 0 {
                    inexact = true
                }
                index += 1
            }
        }
        guard sawDigit else { return nil }
        if index < end && bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            guard index < end else { return nil }
            var exponentNegative = false
            if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var explicit = 0
            var sawExponentDigit = false
            while index < end {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                sawExponentDigit = true
                if explicit < 100_000 { explicit = explicit * 10 + Int(digit) }
                index += 1
            }
            guard sawExponentDigit else { return nil }
            exponent += exponentNegative ? -explicit : explicit
        }
        guard index == end else { return nil }

        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        if !inexact && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            var value = Double(mantissa)
            if exponent >= 0 { value *= powersOfTen[exponent] } else { value /= powersOfTen[-exponent] }
            return negative ? -value : value
        }
        guard let value = slowParse(bytes, start, end), value.isFinite else { return nil }
        return value
    }

    /// Correctly rounded conversion of an already validated decimal literal through the Swift
    /// runtime's locale-independent `strtod` (what `Double(_: String)` uses), on a stack copy.
    private static func slowParse(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Double? {
        let length = end - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer -> Double? in
            for offset in 0..<length { buffer[offset] = CChar(bitPattern: bytes[start + offset]) }
            buffer[length] = 0
            var result = 0.0
            guard let stop = swiftStrtod(buffer.baseAddress!, &result) else { return nil }
            return stop - UnsafePointer(buffer.baseAddress!) == length ? result : nil
        }
    }

    @inline(__always)
    static func matchesIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ word: StaticString) -> Bool {
        guard end - start == word.utf8CodeUnitCount else { return false }
        let pointer = word.utf8Start
        for offset in 0..<word.utf8CodeUnitCount where bytes[start + offset] | 0x20 != pointer[offset] {
            return false
        }
        return true
    }

    /// Parses a text-format timestamp: an optional `-` and decimal digits fitting `Int64`.
    @inline(__always)
    static func parseInteger(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int64? {
        var index = start
        var negative = false
        if index < end && bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard index < end else { return nil }
        var magnitude: UInt64 = 0
        while index < end {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            guard !overflow1 && !overflow2 else { return nil }
            magnitude = sum
            index += 1
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// Parses an OpenMetrics timestamp (float seconds, no NaN or infinities) into milliseconds.
    ///
    /// Plain decimals are converted exactly (digits past the third fractional one are truncated,
    /// as `int64(ts*1000)` truncates); only exponent forms go through a `Double`, where this
    /// matches Prometheus's `int64(ts*1000)`. The exact path avoids `1.001` becoming 1000 ms.
    static func parseSecondsAsMilliseconds(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int64? {
        guard start < end else { return nil }
        var index = start
        var negative = false
        if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var whole: Int64 = 0
        var sawDigit = false
        var overflow = false
        while index < end, bytes[index] &- UInt8(ascii: "0") < 10 {
            let (times10, o1) = whole.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(bytes[index] &- UInt8(ascii: "0")))
            overflow = overflow || o1 || o2
            whole = sum
            sawDigit = true
            index += 1
        }
        var fraction: Int64 = 0
        var fractionDigits = 0
        if index < end && bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < end, bytes[index] &- UInt8(ascii: "0") < 10 {
                if fractionDigits < 3 {
                    fraction = fraction * 10 + Int64(bytes[index] &- UInt8(ascii: "0"))
                    fractionDigits += 1
                }
                sawDigit = true
                index += 1
            }
        }
        guard sawDigit else { return nil }
        if index == end && !overflow {
            while fractionDigits < 3 { fraction *= 10; fractionDigits += 1 }
            let (milliseconds, o1) = whole.multipliedReportingOverflow(by: 1000)
            let (total, o2) = milliseconds.addingReportingOverflow(fraction)
            guard !o1 && !o2 else { return nil }
            return negative ? -total : total
        }
        guard bytes[start] | 0x20 != UInt8(ascii: "i"), bytes[start] | 0x20 != UInt8(ascii: "n"),
              let seconds = parseNumber(bytes, start, end), seconds.isFinite
        else { return nil }
        let milliseconds = seconds * 1000
        guard milliseconds >= -9.223372036854775808e18, milliseconds < 9.223372036854775808e18 else { return nil }
        return Int64(milliseconds)
    }
}

// The Swift runtime's locale-independent strtod, which `Double(_: StringProtocol)` is built on.
// Declared here so the slow path parses from a stack buffer instead of allocating a String.
@_silgen_name("_swift_stdlib_strtod_clocale")
private func swiftStrtod(_ text: UnsafePointer<CChar>, _ result: UnsafeMutablePointer<Double>) -> UnsafePointer<CChar>?
