import VigilConfig
import VigilModel

/// Reads a field's time into nanoseconds since the epoch, in the format a parser's
/// `timestamp:` names. Nil when the text is not in that format.
struct TimestampParser: Sendable {
    let format: LogProcessorConfig.Timestamp.Format

    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    func parse(_ text: String) -> Int64? {
        switch format {
        case .rfc3339:
            return Array(text.utf8).withUnsafeBytes { RFC3339Nano.parse($0) }
        case .unixSeconds:
            return Self.decimal(text, scale: 1_000_000_000)
        case .unixMilliseconds:
            return Self.decimal(text, scale: 1_000_000)
        case .unixNanoseconds:
            return Self.decimal(text, scale: 1)
        case .layout(let layout):
            return Self.parse(text, layout: layout)
        }
    }

    /// `123`, `123.456` times `scale` (ns per unit), without floating point.
    static func decimal(_ text: String, scale: Int64) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = Int64(parts[0]), !parts[0].isEmpty else { return nil }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        guard parts.count == 2 else { return scaled }
        let fraction = parts[1]
        guard !fraction.isEmpty, fraction.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        var nanos: Int64 = 0
        var unit = scale
        for digit in fraction.utf8 {
            unit /= 10
            if unit == 0 { break }
            nanos += Int64(digit - 0x30) * unit
        }
        return whole < 0 ? scaled - nanos : scaled + nanos
    }

    /// A strftime-like layout: `%Y %m %d %e %H %M %S %f %z %b %j %%`; other characters literal.
    static func parse(_ text: String, layout: String) -> Int64? {
        let input = Array(text.utf8)
        let pattern = Array(layout.utf8)
        var index = 0
        var year: Int64 = 1970, month: Int64 = 1, day: Int64 = 1, hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0
        var nanos: Int64 = 0, offsetSeconds: Int64 = 0
        var dayOfYear: Int64?
        func number(maxDigits: Int, allowSpace: Bool = false) -> Int64? {
            if allowSpace, index < input.count, input[index] == 0x20 { index += 1 }
            var value: Int64 = 0
            var digits = 0
            while digits < maxDigits, index < input.count, input[index] >= 0x30, input[index] <= 0x39 {
                value = value * 10 + Int64(input[index] - 0x30)
                index += 1
                digits += 1
            }
            return digits > 0 ? value : nil
        }
        var position = 0
        while position < pattern.count {
            let byte = pattern[position]
            guard byte == UInt8(ascii: "%"), position + 1 < pattern.count else {
                guard index < input.count, input[index] == byte else { return nil }
                index += 1
                position += 1
                continue
            }
            let directive = pattern[position + 1]
            position += 2
            switch directive {
            case UInt8(ascii: "Y"): guard let value = number(maxDigits: 4) else { return nil }; year = value
            case UInt8(ascii: "m"): guard let value = number(maxDigits: 2), (1...12).contains(value) else { return nil }; month = value
            case UInt8(ascii: "d"): guard let value = number(maxDigits: 2), (1...31).contains(value) else { return nil }; day = value
            case UInt8(ascii: "e"):
                guard let value = number(maxDigits: 2, allowSpace: true), (1...31).contains(value) else { return nil }
                day = value
            case UInt8(ascii: "H"): guard let value = number(maxDigits: 2), value < 24 else { return nil }; hour = value
            case UInt8(ascii: "M"): guard let value = number(maxDigits: 2), value < 60 else { return nil }; minute = value
            case UInt8(ascii: "S"): guard let value = number(maxDigits: 2), value <= 60 else { return nil }; second = value
            case UInt8(ascii: "j"): guard let value = number(maxDigits: 3), (1...366).contains(value) else { return nil }; dayOfYear = value
            case UInt8(ascii: "f"):
                let start = index
                guard let value = number(maxDigits: 9) else { return nil }
                var scaled = value
                for _ in 0..<(9 - (index - start)) { scaled *= 10 }
                nanos = scaled
            case UInt8(ascii: "b"):
                guard index + 3 <= input.count else { return nil }
                let name = String(decoding: input[index..<(index + 3)], as: UTF8.self).lowercased()
                guard let found = monthNames.firstIndex(of: name) else { return nil }
                month = Int64(found + 1)
                index += 3
            case UInt8(ascii: "z"):
                guard index < input.count else { return nil }
                if input[index] == UInt8(ascii: "Z") {
                    index += 1
                    break
                }
                let sign: Int64 = input[index] == UInt8(ascii: "-") ? -1 : 1
                guard input[index] == UInt8(ascii: "+") || input[index] == UInt8(ascii: "-") else { return nil }
                index += 1
                guard let hours = number(maxDigits: 2) else { return nil }
                if index < input.count, input[index] == UInt8(ascii: ":") { index += 1 }
                guard let minutes = number(maxDigits: 2), hours < 24, minutes < 60 else { return nil }
                offsetSeconds = sign * (hours * 3600 + minutes * 60)
            case UInt8(ascii: "%"):
                guard index < input.count, input[index] == UInt8(ascii: "%") else { return nil }
                index += 1
            default:
                return nil
            }
        }
        guard index == input.count else { return nil }
        var days: Int64
        if let dayOfYear {
            days = RFC3339.daysSinceEpoch(year: year, month: 1, day: 1) + dayOfYear - 1
        } else {
            guard day <= RFC3339.daysInMonth(year: year, month: month) else { return nil }
            days = RFC3339.daysSinceEpoch(year: year, month: month, day: day)
        }
        let seconds = days * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return nil }
        return scaled + nanos
    }
}
