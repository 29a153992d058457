import VigilModel

/// A point in time as a Go template sees a `time.Time`: nanoseconds since the epoch plus the
/// location it is shown in (an offset from UTC and a zone abbreviation).
public struct GoTime: Sendable, Hashable {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public var seconds: Int64
    /// Nanoseconds within the second, 0..<1e9.
    public var nanosecond: Int64
    /// Seconds east of UTC of the location it is shown in.
    public var offset: Int
    /// The zone's abbreviation (`UTC`, `CET`).
    public var zone: String

    /// A time `nanoseconds` after the epoch, shown in UTC.
    public init(nanoseconds: Int64, offset: Int = 0, zone: String = "UTC") {
        let (quotient, remainder) = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        seconds = remainder < 0 ? quotient - 1 : quotient
        nanosecond = remainder < 0 ? remainder + 1_000_000_000 : remainder
        self.offset = offset
        self.zone = zone
    }

    /// A time from seconds and nanoseconds since the epoch.
    public init(seconds: Int64, nanosecond: Int64, offset: Int = 0, zone: String = "UTC") {
        self.seconds = seconds
        self.nanosecond = nanosecond
        self.offset = offset
        self.zone = zone
    }

    /// Go's zero `time.Time`, 0001-01-01T00:00:00Z (beyond an Int64 of nanoseconds).
    public static let zero = GoTime(seconds: -62_135_596_800, nanosecond: 0)

    /// Nanoseconds since the epoch, saturating for times an Int64 cannot hold.
    public var nanoseconds: Int64 {
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return product.addingReportingOverflow(nanosecond).overflow ? .max : product + nanosecond
    }

    /// The type name templates see.
    public static let typeName = "time.Time"

    /// Go's `time.RFC3339Nano` layout, as JSON encodes times.
    public static let rfc3339Nano = "2006-01-02T15:04:05.999999999Z07:00"

    /// The time as a template value of type `time.Time`, printing as Go's `Time.String()`.
    public var templateValue: TemplateValue {
        .object(TemplateObject(
            typeName: Self.typeName,
            value: .record([
                "unixSeconds": .int(Int(seconds)), "nanosecond": .int(Int(nanosecond)), "offset": .int(offset),
                "zone": .string(zone),
            ]),
            text: format("2006-01-02 15:04:05.999999999 -0700 MST")))
    }

    /// Reads a `time.Time` template value back.
    public init?(_ value: TemplateValue) {
        guard case .object(let object) = value, object.typeName == Self.typeName,
            case .record(let fields) = object.value, case .int(let seconds)? = fields["unixSeconds"],
            case .int(let nanosecond)? = fields["nanosecond"], case .int(let offset)? = fields["offset"],
            case .string(let zone)? = fields["zone"]
        else { return nil }
        self.init(seconds: Int64(seconds), nanosecond: Int64(nanosecond), offset: offset, zone: zone)
    }

    private static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    private static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// Formats with a Go reference layout (`2006-01-02T15:04:05Z07:00`, `Jan 2 15:04`...).
    public func format(_ layout: String) -> String {
        let local = self.seconds + Int64(offset)
        let fraction = nanosecond
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - days * 86_400
        let (year, month, day) = RFC3339.civilDate(daysSinceEpoch: days)
        let weekday = Int(((days % 7) + 11) % 7)  // 1970-01-01 was a Thursday
        let yearDay = days - RFC3339.daysSinceEpoch(year: year, month: 1, day: 1) + 1
        let hour = Int(secondOfDay / 3600)
        let minute = Int(secondOfDay / 60 % 60)
        let second = Int(secondOfDay % 60)
        func pad(_ value: Int64, _ width: Int, _ filler: Character = "0") -> String {
            let text = String(value)
            return String(repeating: filler, count: max(0, width - text.count)) + text
        }
        func zoneOffset(colon: Bool, z: Bool, short: Bool = false) -> String {
            if z && offset == 0 { return "Z" }
            let sign = offset < 0 ? "-" : "+"
            let magnitude = abs(offset)
            let hours = pad(Int64(magnitude / 3600), 2)
            let minutes = pad(Int64(magnitude / 60 % 60), 2)
            if short { return sign + hours }
            return sign + hours + (colon ? ":" : "") + minutes
        }
        let tokens: [(String, () -> String)] = [
            ("January", { Self.months[Int(month) - 1] }),
            ("Jan", { String(Self.months[Int(month) - 1].prefix(3)) }),
            ("Monday", { Self.weekdays[weekday] }),
            ("Mon", { String(Self.weekdays[weekday].prefix(3)) }),
            ("MST", { zone }),
            ("2006", { pad(year, 4) }),
            ("Z07:00", { zoneOffset(colon: true, z: true) }),
            ("Z0700", { zoneOffset(colon: false, z: true) }),
            ("-07:00", { zoneOffset(colon: true, z: false) }),
            ("-0700", { zoneOffset(colon: false, z: false) }),
            ("-07", { zoneOffset(colon: false, z: false, short: true) }),
            ("002", { pad(yearDay, 3) }),
            ("__2", { pad(yearDay, 3, " ") }),
            ("01", { pad(month, 2) }),
            ("02", { pad(day, 2) }),
            ("_2", { pad(day, 2, " ") }),
            ("06", { pad(year % 100, 2) }),
            ("15", { pad(Int64(hour), 2) }),
            ("03", { pad(Int64(hour % 12 == 0 ? 12 : hour % 12), 2) }),
            ("04", { pad(Int64(minute), 2) }),
            ("05", { pad(Int64(second), 2) }),
            ("PM", { hour >= 12 ? "PM" : "AM" }),
            ("pm", { hour >= 12 ? "pm" : "am" }),
            ("1", { String(month) }),
            ("2", { String(day) }),
            ("3", { String(hour % 12 == 0 ? 12 : hour % 12) }),
            ("4", { String(minute) }),
            ("5", { String(second) }),
        ]
        var output = ""
        var rest = Substring(layout)
        outer: while !rest.isEmpty {
            // Fractional seconds: .000 (fixed) or .999 (trailing zeros dropped), after . or ,
            if let first = rest.first, first == "." || first == ",", let digit = rest.dropFirst().first,
                digit == "0" || digit == "9"
            {
                let run = rest.dropFirst().prefix { $0 == digit }
                let next = rest.dropFirst(1 + run.count).first
                if !(next?.isNumber ?? false) {
                    var digits = pad(fraction, 9)
                    digits = String(digits.prefix(min(9, run.count)))
                    if digit == "9" {
                        while digits.hasSuffix("0") { digits.removeLast() }
                        if !digits.isEmpty { output += String(first) + digits }
                    } else {
                        output += String(first) + digits
                    }
                    rest = rest.dropFirst(1 + run.count)
                    continue
                }
            }
            for (token, render) in tokens where rest.hasPrefix(token) {
                output += render()
                rest = rest.dropFirst(token.count)
                continue outer
            }
            output.append(rest.removeFirst())
        }
        return output
    }
}

/// A length of time as a Go template sees a `time.Duration`.
public enum GoDuration {
    /// The type name templates see.
    public static let typeName = "time.Duration"

    /// `nanoseconds` as a template value printing as Go's `Duration.String()` (`1h2m3.5s`).
    public static func templateValue(nanoseconds: Int64) -> TemplateValue {
        .object(TemplateObject(typeName: typeName, value: .int(Int(nanoseconds)), text: format(nanoseconds)))
    }

    /// Go's `Duration.String()`.
    public static func format(_ nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let magnitude = nanoseconds.magnitude
        var text: String
        if magnitude < 1_000_000_000 {
            let (unit, divisor): (String, UInt64) = magnitude < 1000 ? ("ns", 1) : magnitude < 1_000_000 ? ("µs", 1000) : ("ms", 1_000_000)
            text = fractional(magnitude, divisor) + unit
        } else {
            let hours = magnitude / 3_600_000_000_000
            let minutes = magnitude / 60_000_000_000 % 60
            let seconds = magnitude % 60_000_000_000
            text = fractional(seconds, 1_000_000_000) + "s"
            if hours > 0 || minutes > 0 { text = String(minutes) + "m" + text }
            if hours > 0 { text = String(hours) + "h" + text }
        }
        return negative ? "-" + text : text
    }

    private static func fractional(_ value: UInt64, _ divisor: UInt64) -> String {
        let whole = value / divisor
        var remainder = value % divisor
        guard remainder > 0 else { return String(whole) }
        var digits = ""
        var scale = divisor / 10
        while remainder > 0, scale > 0 {
            digits += String(remainder / scale)
            remainder %= scale
            scale /= 10
        }
        return String(whole) + "." + digits
    }
}
