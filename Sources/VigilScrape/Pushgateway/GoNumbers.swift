/// Number conversions as the Pushgateway's Go code performs them, so pushed summaries and
/// histograms expose the same numbers.
enum GoNumbers {
    private static let twoToThe63 = 9_223_372_036_854_775_808.0

    /// `uint64(value)` as Go compiles it on amd64: truncation toward zero for values in range;
    /// negative values wrap (−1 → 2⁶⁴−1); NaN, infinities and values from 2⁶⁴ on give 2⁶³. The Go
    /// text parser stores `_count` and bucket counts this way.
    static func uint64(_ value: Double) -> UInt64 {
        if value < twoToThe63 {
            return UInt64(bitPattern: convertToInt64(value))
        }
        return UInt64(bitPattern: convertToInt64(value - twoToThe63)) | (1 << 63)
    }

    /// x86's CVTTSD2SQ: truncation, and `Int64.min` for NaN and anything out of range.
    private static func convertToInt64(_ value: Double) -> Int64 {
        guard value.isFinite, value < twoToThe63, value >= -twoToThe63 else { return .min }
        return Int64(value)
    }

    /// A `quantile` or `le` label value as the Go text parser reads it: `strconv.ParseFloat`
    /// without hex floats or `_` separators; `nil` when it is not a number or overflows.
    static func parseFloat(_ text: String) -> Double? {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"),
                 UInt8(ascii: "e"), UInt8(ascii: "E"):
                continue
            default:
                let lowered = text.lowercased()
                let signed = lowered.hasPrefix("+") || lowered.hasPrefix("-")
                switch signed ? String(lowered.dropFirst()) : lowered {
                case "inf", "infinity": return lowered.hasPrefix("-") ? -.infinity : .infinity
                case "nan" where !signed: return .nan
                default: return nil
                }
            }
        }
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }
}
