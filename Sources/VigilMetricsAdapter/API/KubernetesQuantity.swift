/// apimachinery's `resource.Quantity` in canonical DecimalSI form, for the values the adapter
/// builds with `NewMilliQuantity(int64(v*1000), DecimalSI)`: `500m`, `12`, `1500m`, `12k`.
enum KubernetesQuantity {
    /// Go's `int64(v * 1000.0)`: truncation toward zero; NaN, infinities and values out of range
    /// give the minimum, as Go's conversion does on amd64 and arm64 alike for NaN.
    static func milli(_ value: Double) -> Int64 {
        let scaled = value * 1000
        guard scaled.isFinite, scaled >= -9_223_372_036_854_775_808, scaled < 9_223_372_036_854_775_808 else {
            return .min
        }
        return Int64(scaled.rounded(.towardZero))
    }

    /// The canonical text of `milli` thousandths: the largest SI suffix (`m`, none, `k`, `M`, `G`,
    /// `T`, `P`, `E`) with no fraction and an integer mantissa.
    static func format(milli: Int64) -> String {
        if milli == 0 { return "0" }
        var mantissa = milli
        var exponent = -3
        while mantissa % 10 == 0 {
            mantissa /= 10
            exponent += 1
        }
        // Exponents are multiples of three; bring one down by scaling the mantissa back up.
        while exponent % 3 != 0 {
            mantissa *= 10
            exponent -= 1
        }
        let suffix =
            switch exponent {
            case -3: "m"
            case 0: ""
            case 3: "k"
            case 6: "M"
            case 9: "G"
            case 12: "T"
            case 15: "P"
            default: "E"
            }
        return String(mantissa) + suffix
    }

    /// `value` as the adapter writes it.
    static func format(_ value: Double) -> String { format(milli: milli(value)) }
}
