import VigilModel

/// A nanosecond timestamp broken into UTC calendar fields, for the text forms outputs need
/// (RFC 3339 for Elasticsearch and JSON lines, ClickHouse's `DateTime64`, RFC 5424, index names).
struct UTCTime {
    var year: Int64
    var month: Int64
    var day: Int64
    var hour: Int64
    var minute: Int64
    var second: Int64
    var nanosecond: Int64

    init(nanoseconds: Int64) {
        let (seconds, remainder) = nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        let wholeSeconds = remainder < 0 ? seconds - 1 : seconds
        nanosecond = remainder < 0 ? remainder + 1_000_000_000 : remainder
        let (days, rest) = wholeSeconds.quotientAndRemainder(dividingBy: 86_400)
        let wholeDays = rest < 0 ? days - 1 : days
        let secondOfDay = rest < 0 ? rest + 86_400 : rest
        let civil = RFC3339.civilDate(daysSinceEpoch: wholeDays)
        year = civil.year
        month = civil.month
        day = civil.day
        hour = secondOfDay / 3600
        minute = secondOfDay / 60 % 60
        second = secondOfDay % 60
    }

    /// `2026-01-02T03:04:05.123456789Z`.
    var rfc3339: String {
        "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))T\(clock).\(Self.pad(nanosecond, 9))Z"
    }

    /// `2026-01-02T03:04:05.123456Z`: RFC 5424 allows at most six fraction digits.
    var rfc5424: String {
        "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))T\(clock).\(Self.pad(nanosecond / 1000, 6))Z"
    }

    /// `2026-01-02 03:04:05.123456789`, ClickHouse's `DateTime64(9)` text form.
    var dateTime64: String {
        "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2)) \(clock).\(Self.pad(nanosecond, 9))"
    }

    private var clock: String { "\(Self.pad(hour, 2)):\(Self.pad(minute, 2)):\(Self.pad(second, 2))" }

    /// `pattern` with `%Y`, `%m`, `%d` and `%H` replaced (the config checked no other `%` appears).
    func expand(_ pattern: String) -> String {
        guard pattern.contains("%") else { return pattern }
        var out = ""
        var percent = false
        for character in pattern {
            if percent {
                switch character {
                case "Y": out += Self.pad(year, 4)
                case "m": out += Self.pad(month, 2)
                case "d": out += Self.pad(day, 2)
                case "H": out += Self.pad(hour, 2)
                default: out.append("%"); out.append(character)
                }
                percent = false
            } else if character == "%" {
                percent = true
            } else {
                out.append(character)
            }
        }
        return out
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
