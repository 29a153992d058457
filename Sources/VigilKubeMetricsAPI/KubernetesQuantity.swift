/// Kubernetes `resource.Quantity` canonical strings for the two kinds of value the resource
/// metrics API carries, as apimachinery's `Quantity.String()` prints them.
///
/// - CPU is `NewScaledQuantity(nanocores, -9)` in the DecimalSI family: the mantissa loses its
///   trailing zeros and the exponent is then lowered to a multiple of 3 with an SI suffix
///   (`250000000n` → `250m`, `1000000000n` → `1`, `123456789n` stays).
/// - Memory is `NewQuantity(bytes, BinarySI)`: below 1024 it is printed in DecimalSI, otherwise
///   with the largest power of 1024 that divides it exactly (`12533760` → `12240Ki`, `1536` → `1536`).
public enum KubernetesQuantity {
    /// `nanocores` (10⁻⁹ cores) in canonical DecimalSI form.
    public static func cpu(nanocores: UInt64) -> String {
        decimalSI(mantissa: nanocores, exponent: -9)
    }

    /// `bytes` in canonical BinarySI form (DecimalSI below 1024, as apimachinery does).
    public static func memory(bytes: UInt64) -> String {
        if bytes < 1024 { return decimalSI(mantissa: bytes, exponent: 0) }
        var value = bytes
        var power = 0
        while power < binarySuffixes.count - 1, value % 1024 == 0 {
            value /= 1024
            power += 1
        }
        return String(value) + binarySuffixes[power]
    }

    /// `value` as prometheus-adapter writes a metric value, `NewMilliQuantity(int64(value*1000),
    /// DecimalSI)`: `500m`, `12`, `1500m`, `12k`, `-2`.
    public static func decimal(_ value: Double) -> String {
        let milli = milli(value)
        return milli < 0 ? "-" + decimalSI(mantissa: milli.magnitude, exponent: -3) : decimalSI(mantissa: UInt64(milli), exponent: -3)
    }

    /// Go's `int64(v * 1000.0)`: truncation toward zero; NaN, infinities and values out of range
    /// give the minimum, as Go's conversion does on amd64 and arm64 alike for NaN.
    static func milli(_ value: Double) -> Int64 {
        let scaled = value * 1000
        guard scaled.isFinite, scaled >= -9_223_372_036_854_775_808, scaled < 9_223_372_036_854_775_808 else {
            return .min
        }
        return Int64(scaled.rounded(.towardZero))
    }

    /// `mantissa` × 10^`exponent` in canonical DecimalSI form; `exponent` is −9 or more.
    static func decimalSI(mantissa: UInt64, exponent: Int) -> String {
        if mantissa == 0 { return "0" }
        var mantissa = mantissa
        var exponent = exponent
        // apimachinery's removeFactors, then back down to a multiple of 3.
        while mantissa % 10 == 0 {
            mantissa /= 10
            exponent += 1
        }
        while exponent % 3 != 0 {
            mantissa *= 10
            exponent -= 1
        }
        // Only restores factors of 10 taken off above, so it cannot overflow; a UInt64 of
        // nanocores or bytes stays within n…G, inside the suffix table.
        return String(mantissa) + (decimalSuffixes[exponent] ?? "e" + String(exponent))
    }

    private static let decimalSuffixes: [Int: String] = [
        -9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E",
    ]
    private static let binarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
}
