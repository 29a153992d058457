/// Go's `time.ParseDuration` plus Prometheus's `d`, `w` and `y` units, as LogQL accepts in range
/// selectors and duration comparisons: `300ms`, `1.5h`, `2h45m`, `-1s`.
enum GoDurationParser {
    /// Nanoseconds, or nil when `text` is not a duration.
    static func parse(_ text: String) -> Int64? {
        var scalars = Substring(text).unicodeScalars[...]
        var negative = false
        if let first = scalars.first, first == "-" || first == "+" {
            negative = first == "-"
            scalars = scalars.dropFirst()
        }
        if scalars.elementsEqual("0".unicodeScalars) { return 0 }
        guard !scalars.isEmpty else { return nil }
        var total: Double = 0
        while !scalars.isEmpty {
            var whole: Double = 0
            var fraction: Double = 0
            var scale: Double = 1
            var digits = 0
            while let scalar = scalars.first, ("0"..."9").contains(scalar) {
                whole = whole * 10 + Double(scalar.value - 48)
                digits += 1
                scalars = scalars.dropFirst()
            }
            if scalars.first == "." {
                scalars = scalars.dropFirst()
                while let scalar = scalars.first, ("0"..."9").contains(scalar) {
                    scale /= 10
                    fraction += Double(scalar.value - 48) * scale
                    digits += 1
                    scalars = scalars.dropFirst()
                }
            }
            guard digits > 0 else { return nil }
            var unit = ""
            while let scalar = scalars.first, !("0"..."9").contains(scalar), scalar != "." {
                unit.unicodeScalars.append(scalar)
                scalars = scalars.dropFirst()
            }
            let nanoseconds: Double
            switch unit {
            case "ns": nanoseconds = 1
            case "us", "µs", "μs": nanoseconds = 1e3
            case "ms": nanoseconds = 1e6
            case "s": nanoseconds = 1e9
            case "m": nanoseconds = 60e9
            case "h": nanoseconds = 3600e9
            case "d": nanoseconds = 86400e9
            case "w": nanoseconds = 7 * 86400e9
            case "y": nanoseconds = 365 * 86400e9
            default: return nil
            }
            total += (whole + fraction) * nanoseconds
        }
        guard total < 9.2e18 else { return nil }
        return Int64(negative ? -total : total)
    }

    /// A duration as Prometheus writes it (`5m`, `1h30m`, `500ms`), for the canonical query form.
    static func format(_ nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        var remaining = nanoseconds.magnitude
        var out = nanoseconds < 0 ? "-" : ""
        if remaining % 1_000_000 != 0 {
            return out + "\(Double(remaining) / 1e9)s"
        }
        let units: [(String, UInt64)] = [
            ("y", 365 * 86_400_000_000_000), ("w", 7 * 86_400_000_000_000), ("d", 86_400_000_000_000),
            ("h", 3_600_000_000_000), ("m", 60_000_000_000), ("s", 1_000_000_000), ("ms", 1_000_000),
        ]
        for (name, size) in units where remaining >= size {
            out += "\(remaining / size)\(name)"
            remaining %= size
        }
        return out
    }
}

/// go-humanize's `ParseBytes`, which LogQL uses for byte comparisons and `bytes()` unwraps:
/// `10KB` (SI, 1000), `10KiB` (IEC, 1024), `5 MB`, `42`.
enum ByteSizeParser {
    /// The size in bytes, or nil.
    static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingSpaces
        var numberEnd = trimmed.startIndex
        while numberEnd < trimmed.endIndex,
            trimmed[numberEnd].isASCII && (trimmed[numberEnd].isNumber || trimmed[numberEnd] == "." || trimmed[numberEnd] == ",")
        {
            numberEnd = trimmed.index(after: numberEnd)
        }
        let digits = trimmed[..<numberEnd].filter { $0 != "," }
        guard !digits.isEmpty, let number = Double(digits) else { return nil }
        let unit = trimmed[numberEnd...].trimmingSpaces.lowercased()
        let multiplier: Double
        switch unit {
        case "", "b", "byte": multiplier = 1
        case "k", "kb": multiplier = 1e3
        case "kib", "ki": multiplier = 1024
        case "m", "mb": multiplier = 1e6
        case "mib", "mi": multiplier = 1024 * 1024
        case "g", "gb": multiplier = 1e9
        case "gib", "gi": multiplier = 1024 * 1024 * 1024
        case "t", "tb": multiplier = 1e12
        case "tib", "ti": multiplier = 1024 * 1024 * 1024 * 1024
        case "p", "pb": multiplier = 1e15
        case "pib", "pi": multiplier = 1024 * 1024 * 1024 * 1024 * 1024
        case "e", "eb": multiplier = 1e18
        case "eib", "ei": multiplier = 1024 * 1024 * 1024 * 1024 * 1024 * 1024
        default: return nil
        }
        return number * multiplier
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        var start = startIndex
        var end = endIndex
        while start < end, self[start] == " " || self[start] == "\t" { start = index(after: start) }
        while end > start, self[index(before: end)] == " " || self[index(before: end)] == "\t" { end = index(before: end) }
        return Substring(self[start..<end])
    }
}
