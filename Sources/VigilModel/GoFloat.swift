/// Formats `Double`s exactly as Go's `strconv.FormatFloat(v, 'g', -1, 64)`, which Prometheus
/// clients use in expositions: `1`, `0.5`, `1e+06`, `1.5e-07`, `NaN`, `+Inf`, `-Inf`; and as the
/// Prometheus HTTP API writes sample values (``formatAPI(_:)``).
///
/// The digits are the shortest that round-trip (Swift and Go agree on those); only the layout is
/// Go's: exponent form when the decimal exponent is below -4 or at least 6, with a signed exponent
/// of at least two digits. Not a hot path: it goes through `Double.description`.
public enum GoFloat {
    /// The Go `'g'` shortest form of `value`.
    public static func format(_ value: Double) -> String {
        var bytes: [UInt8] = []
        append(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the Go `'g'` shortest form of `value` to `buffer`.
    public static func append(_ value: Double, to buffer: inout [UInt8]) {
        append(value, to: &buffer) { decimalExponent, _ in decimalExponent < -4 || decimalExponent >= 6 }
    }

    /// The form the Prometheus HTTP API gives sample values in (`util/jsonutil` `MarshalValue`):
    /// Go `'f'` shortest, switching to `'e'` when the magnitude is below 1e-6 or at least 1e21.
    public static func formatAPI(_ value: Double) -> String {
        var bytes: [UInt8] = []
        appendAPI(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the Prometheus HTTP API form of `value` (see ``formatAPI(_:)``) to `buffer`.
    public static func appendAPI(_ value: Double, to buffer: inout [UInt8]) {
        append(value, to: &buffer) { _, magnitude in magnitude < 1e-6 || magnitude >= 1e21 }
    }

    private static func append(
        _ value: Double, to buffer: inout [UInt8], useExponentForm: (_ decimalExponent: Int, _ magnitude: Double) -> Bool
    ) {
        if value.isNaN { buffer.append(contentsOf: "NaN".utf8); return }
        if value.isInfinite { buffer.append(contentsOf: value < 0 ? "-Inf".utf8 : "+Inf".utf8); return }
        if value == 0 {
            if value.sign == .minus { buffer.append(UInt8(ascii: "-")) }
            buffer.append(UInt8(ascii: "0"))
            return
        }
        var mantissa: [UInt8] = []
        mantissa.reserveCapacity(17)
        var exponent = 0 // value = 0.d1d2d3... × 10^exponent
        var seenPoint = false
        var exponentPart = 0
        var exponentSign = 1
        var inExponent = false
        var leadingZeros = true
        for byte in value.magnitude.description.utf8 {
            if inExponent {
                switch byte {
                case UInt8(ascii: "-"): exponentSign = -1
                case UInt8(ascii: "+"): break
                default: exponentPart = exponentPart * 10 + Int(byte &- 48)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "."): seenPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            default:
                if byte == UInt8(ascii: "0") && leadingZeros {
                    if seenPoint { exponent -= 1 }
                    continue
                }
                leadingZeros = false
                mantissa.append(byte)
                if !seenPoint { exponent += 1 }
            }
        }
        exponent += exponentSign * exponentPart
        while mantissa.count > 1 && mantissa.last == UInt8(ascii: "0") { mantissa.removeLast() }

        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        let decimalExponent = exponent - 1 // value = d1.d2d3... × 10^decimalExponent
        if useExponentForm(decimalExponent, value.magnitude) {
            appendExponentForm(mantissa, decimalExponent, to: &buffer)
        } else if exponent <= 0 {
            buffer.append(UInt8(ascii: "0"))
            buffer.append(UInt8(ascii: "."))
            for _ in 0 ..< -exponent { buffer.append(UInt8(ascii: "0")) }
            buffer.append(contentsOf: mantissa)
        } else if exponent >= mantissa.count {
            buffer.append(contentsOf: mantissa)
            for _ in 0 ..< exponent - mantissa.count { buffer.append(UInt8(ascii: "0")) }
        } else {
            buffer.append(contentsOf: mantissa[0 ..< exponent])
            buffer.append(UInt8(ascii: "."))
            buffer.append(contentsOf: mantissa[exponent...])
        }
    }

    private static func appendExponentForm(_ mantissa: [UInt8], _ decimalExponent: Int, to buffer: inout [UInt8]) {
        buffer.append(mantissa[0])
        if mantissa.count > 1 {
            buffer.append(UInt8(ascii: "."))
            buffer.append(contentsOf: mantissa[1...])
        }
        buffer.append(UInt8(ascii: "e"))
        buffer.append(decimalExponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let magnitude = abs(decimalExponent)
        if magnitude < 10 { buffer.append(UInt8(ascii: "0")) }
        buffer.append(contentsOf: String(magnitude).utf8)
    }
}
