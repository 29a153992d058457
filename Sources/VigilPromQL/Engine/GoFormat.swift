import VigilModel

/// Go's `strconv.FormatFloat(f, 'f', -1, 64)`: the shortest digits, never an exponent.
func formatFloatF(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
    let g = GoFloat.format(value) // shortest digits, maybe with an exponent
    guard let eIndex = g.firstIndex(where: { $0 == "e" }) else { return g }
    let mantissa = g[..<eIndex]
    let exponent = Int(g[g.index(after: eIndex)...].replacingPlus())!
    let negative = mantissa.hasPrefix("-")
    var digits = String(mantissa.drop { $0 == "-" }.filter { $0 != "." })
    // mantissa is d.ddd: the point sits after the first digit.
    var pointPosition = 1 + exponent
    if pointPosition <= 0 {
        digits = String(repeating: "0", count: -pointPosition + 1) + digits
        pointPosition = 1
    }
    if pointPosition >= digits.count {
        digits += String(repeating: "0", count: pointPosition - digits.count)
        return (negative ? "-" : "") + digits
    }
    let index = digits.index(digits.startIndex, offsetBy: pointPosition)
    return (negative ? "-" : "") + digits[..<index] + "." + digits[index...]
}

extension Substring {
    fileprivate func replacingPlus() -> String { String(self.filter { $0 != "+" }) }
}

/// Go's `%v` of a float64 (`'g'`, shortest).
func goFormatV(_ value: Double) -> String { GoFloat.format(value) }

/// Go's `%f` (six decimals).
func goFormatFixed6(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
    let scaled = (abs(value) * 1_000_000).rounded(.toNearestOrEven)
    let integer = scaled / 1_000_000
    var whole = formatFloatF(integer.rounded(.towardZero))
    if whole == "-0" { whole = "0" }
    let fraction = Int(scaled.truncatingRemainder(dividingBy: 1_000_000))
    var fractionText = String(fraction)
    fractionText = String(repeating: "0", count: 6 - fractionText.count) + fractionText
    return (value < 0 ? "-" : "") + whole + "." + fractionText
}

