import VigilModel

/// Go's `strconv.FormatFloat(v, 'e', -1, 64)`, the form Prometheus's API gives alert values in.
enum GoExponent {
    /// Go's `strconv.FormatFloat(v, 'e', -1, 64)`: `1e+00`, `1.5e-07`, `NaN`, `+Inf`.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let sign = value.sign == .minus ? "-" : ""
        if value == 0 { return sign + "0e+00" }
        let shortest = GoFloat.format(value.magnitude)
        var digits: String
        var exponent: Int
        if let e = shortest.firstIndex(of: "e") {
            digits = String(shortest[..<e]).replacing(".", with: "")
            exponent = Int(shortest[shortest.index(after: e)...].replacing("+", with: "")) ?? 0
        } else {
            let parts = shortest.split(separator: ".", omittingEmptySubsequences: false)
            let whole = String(parts[0])
            let fraction = parts.count > 1 ? String(parts[1]) : ""
            if whole != "0" {
                exponent = whole.count - 1
                digits = whole + fraction
            } else {
                let zeros = fraction.prefix { $0 == "0" }.count
                exponent = -(zeros + 1)
                digits = String(fraction.dropFirst(zeros))
            }
        }
        while digits.count > 1 && digits.hasSuffix("0") { digits.removeLast() }
        var mantissa = String(digits.prefix(1))
        if digits.count > 1 { mantissa += "." + digits.dropFirst() }
        let exponentDigits = String(abs(exponent))
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (exponentDigits.count < 2 ? "0" : "") + exponentDigits
    }
}

extension Alert {
    /// The value as Prometheus's API writes it: Go's shortest `'e'` form (`4.2e+01`, `NaN`, `+Inf`).
    public var formattedValue: String { GoExponent.format(value) }
}
