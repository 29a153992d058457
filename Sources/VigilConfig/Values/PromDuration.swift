/// A duration in Prometheus's `model.Duration` syntax: `1y2w3d4h5m6s7ms`, or `0`.
///
/// Units are y (365 days), w, d, h, m, s and ms; each at most once, largest first. The value is
/// held in whole milliseconds (the syntax has no finer unit). ``description`` prints the canonical
/// form Prometheus prints: `90m` reads back as `1h30m`, zero as `0s`, and years and weeks are only
/// used when they divide the value exactly (`90d`, not `12w6d`).
public struct PromDuration: Sendable, Hashable, Comparable, CustomStringConvertible, Decodable {
    /// The length in milliseconds; never negative.
    public var milliseconds: Int64

    /// Creates a duration of `milliseconds` (must not be negative).
    public init(milliseconds: Int64) {
        precondition(milliseconds >= 0, "durations are never negative")
        self.milliseconds = milliseconds
    }

    /// No time at all.
    public static let zero = PromDuration(milliseconds: 0)

    /// A duration of `n` seconds.
    public static func seconds(_ n: Int64) -> PromDuration { PromDuration(milliseconds: n * 1000) }
    /// A duration of `n` minutes.
    public static func minutes(_ n: Int64) -> PromDuration { PromDuration(milliseconds: n * 60_000) }
    /// A duration of `n` hours.
    public static func hours(_ n: Int64) -> PromDuration { PromDuration(milliseconds: n * 3_600_000) }

    /// The length in seconds, as a floating-point number.
    public var seconds: Double { Double(milliseconds) / 1000 }

    /// The same length as a Swift `Duration`.
    public var duration: Duration { .milliseconds(milliseconds) }

    private static let units: [(name: String, milliseconds: Int64)] = [
        ("y", 365 * 24 * 3_600_000), ("w", 7 * 24 * 3_600_000), ("d", 24 * 3_600_000),
        ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1),
    ]

    /// Go's `time.Duration` holds nanoseconds in an Int64; Prometheus rejects what would overflow it.
    private static let maximumNanoseconds = UInt64(Int64.max)

    /// Parses Prometheus duration syntax, throwing ``ConfigValidationError`` with Prometheus's message.
    public init(parsing text: String) throws(ConfigValidationError) {
        if text == "0" {
            self = .zero
            return
        }
        if text.isEmpty {
            throw ConfigValidationError("empty duration string")
        }
        let bytes = Array(text.utf8)
        var index = 0
        var lastUnit = -1
        var totalNanoseconds: UInt64 = 0
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let invalid = ConfigValidationError("not a valid duration string: \"\(text)\"")
        while index < bytes.count {
            guard isDigit(bytes[index]) else { throw invalid }
            var number: UInt64 = 0
            while index < bytes.count, isDigit(bytes[index]) {
                let (times10, overflow1) = number.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
                if overflow1 || overflow2 { throw invalid }
                number = sum
                index += 1
            }
            let unitStart = index
            while index < bytes.count, !isDigit(bytes[index]) { index += 1 }
            guard index > unitStart else { throw invalid }
            let unitName = String(decoding: bytes[unitStart..<index], as: UTF8.self)
            guard let unit = Self.units.firstIndex(where: { $0.name == unitName }) else {
                throw ConfigValidationError("unknown unit \"\(unitName)\" in duration \"\(text)\"")
            }
            guard unit > lastUnit else { throw invalid }
            lastUnit = unit
            let nanosecondsPerUnit = UInt64(Self.units[unit].milliseconds) * 1_000_000
            guard number <= (1 << 63) / nanosecondsPerUnit else {
                throw ConfigValidationError("duration out of range")
            }
            totalNanoseconds += number * nanosecondsPerUnit
            guard totalNanoseconds <= Self.maximumNanoseconds else {
                throw ConfigValidationError("duration out of range")
            }
        }
        self.init(milliseconds: Int64(totalNanoseconds / 1_000_000))
    }

    /// Decodes from a YAML scalar in duration syntax.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    /// Prometheus's canonical spelling, such as `1h30m`, `90d`, `0s`.
    public var description: String {
        var remaining = milliseconds
        if remaining == 0 { return "0s" }
        var text = ""
        for (offset, unit) in Self.units.enumerated() {
            // Years and weeks only when exact: 90d reads better than 12w6d.
            if offset < 2 && remaining % unit.milliseconds != 0 { continue }
            let count = remaining / unit.milliseconds
            if count > 0 {
                text += "\(count)\(unit.name)"
                remaining -= count * unit.milliseconds
            }
        }
        return text
    }

    /// Orders durations by length.
    public static func < (lhs: PromDuration, rhs: PromDuration) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }
}
