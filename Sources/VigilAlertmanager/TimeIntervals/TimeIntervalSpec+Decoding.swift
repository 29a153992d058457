import Foundation
import VigilConfig
import VigilModel

extension TimeIntervalSpec: Decodable {
    private enum CodingKeys: String, CodingKey {
        case times, weekdays, daysOfMonth = "days_of_month", months, years, location
    }

    /// Reads one interval as Alertmanager's `timeinterval.TimeIntervalSpec` YAML, with its messages.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        times = try container.optional(.times, as: [TimeRange].self)
        weekdays = try Self.ranges(container, .weekdays, parse: Self.weekdayRange)
        daysOfMonth = try Self.ranges(container, .daysOfMonth, parse: Self.dayOfMonthRange)
        months = try Self.ranges(container, .months, parse: Self.monthRange)
        years = try Self.ranges(container, .years, parse: Self.yearRange)
        if let name = try container.optional(.location, as: String.self) {
            guard let zone = Self.zone(named: name) else {
                throw ConfigValidationError("unknown time zone \(name)", field: "location")
            }
            location = zone
        } else {
            location = nil
        }
    }

    private static func zone(named name: String) -> TimeZone? {
        switch name {
        case "", "UTC": TimeZone(identifier: "UTC")
        case "Local": TimeZone.current
        default: TimeZone(identifier: name)
        }
    }

    private static func ranges(
        _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys,
        parse: (String) throws(ConfigValidationError) -> InclusiveRange
    ) throws -> [InclusiveRange]? {
        guard let texts = try container.optional(key, as: [String].self) else { return nil }
        var result: [InclusiveRange] = []
        for (index, text) in texts.enumerated() {
            do {
                result.append(try parse(text))
            } catch {
                throw ConfigValidationError(error.message, field: .key(key.stringValue), .index(index))
            }
        }
        return result
    }

    /// `a:b` or `a` (lower-cased first), each side read by `member`.
    private static func split(
        _ text: String, _ member: (String) throws(ConfigValidationError) -> Int
    ) throws(ConfigValidationError) -> InclusiveRange {
        let lower = text.lowercased()
        guard lower.contains(":") else {
            let single = try member(lower)
            return InclusiveRange(begin: single, end: single)
        }
        let parts = lower.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw ConfigValidationError("couldn't parse range \(lower), invalid format") }
        return InclusiveRange(begin: try member(String(parts[0])), end: try member(String(parts[1])))
    }

    /// Go's `strconv.Atoi`, with its error text.
    private static func integer(_ text: String) throws(ConfigValidationError) -> Int {
        guard let value = Int(text), !text.hasPrefix("+") || text.count > 1 else {
            throw ConfigValidationError("strconv.Atoi: parsing \(GoQuote.quote(text)): invalid syntax")
        }
        return value
    }

    private static let weekdayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
    private static let monthNames = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ]

    static func weekdayRange(_ text: String) throws(ConfigValidationError) -> InclusiveRange {
        let range = try split(text) { (name: String) throws(ConfigValidationError) -> Int in
            guard let day = weekdayNames.firstIndex(of: name) else {
                throw ConfigValidationError("\(name) is not a valid weekday")
            }
            return day
        }
        if range.begin > range.end { throw ConfigValidationError("start day cannot be before end day") }
        return range
    }

    static func dayOfMonthRange(_ text: String) throws(ConfigValidationError) -> InclusiveRange {
        let range = try split(text, integer)
        for day in [range.begin, range.end] where day == 0 || day < -31 || day > 31 {
            throw ConfigValidationError("\(day) is not a valid day of the month: out of range")
        }
        if range.begin < 0, range.end > 0 {
            throw ConfigValidationError("end day must be negative if start day is negative")
        }
        // Negative days are judged against the shortest month (28 days).
        let begin = range.begin < 0 ? 28 + range.begin : range.begin
        let end = range.end < 0 ? 28 + range.end : range.end
        if begin > end { throw ConfigValidationError("end day \(range.end) is always before start day \(range.begin)") }
        return range
    }

    static func monthRange(_ text: String) throws(ConfigValidationError) -> InclusiveRange {
        let range = try split(text) { (value: String) throws(ConfigValidationError) -> Int in
            if let index = monthNames.firstIndex(of: value) { return index + 1 }
            guard let month = Int(value) else { throw ConfigValidationError("\(value) is not a valid month") }
            return month
        }
        if range.begin > range.end {
            func name(_ month: Int) -> String { (1...12).contains(month) ? monthNames[month - 1] : "" }
            throw ConfigValidationError("end month \(name(range.end)) is before start month \(name(range.begin))")
        }
        return range
    }

    static func yearRange(_ text: String) throws(ConfigValidationError) -> InclusiveRange {
        let range = try split(text, integer)
        if range.begin > range.end { throw ConfigValidationError("end year \(range.end) is before start year \(range.begin)") }
        return range
    }
}

extension TimeIntervalSpec.TimeRange: Decodable {
    private enum CodingKeys: String, CodingKey {
        case startTime = "start_time", endTime = "end_time"
    }

    /// Reads `{start_time: "HH:MM", end_time: "HH:MM"}`; `24:00` is allowed as an end.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let start = try container.value(.startTime, default: "")
        let end = try container.value(.endTime, default: "")
        guard !start.isEmpty, !end.isEmpty else {
            throw ConfigValidationError("both start and end times must be provided")
        }
        startMinute = try Self.minutes(start, field: .startTime)
        endMinute = try Self.minutes(end, field: .endTime)
        guard startMinute < endMinute else {
            throw ConfigValidationError("start time cannot be equal or greater than end time")
        }
    }

    private static func minutes(_ text: String, field: CodingKeys) throws(ConfigValidationError) -> Int {
        let invalid = ConfigValidationError("couldn't parse timestamp \(text), invalid format", field: .key(field.stringValue))
        if text == "24:00" { return 1440 }
        let bytes = Array(text.utf8)
        let digits = bytes.count == 5 && bytes[2] == UInt8(ascii: ":")
            && [0, 1, 3, 4].allSatisfy { bytes[$0] >= UInt8(ascii: "0") && bytes[$0] <= UInt8(ascii: "9") }
        guard digits else { throw invalid }
        let hours = Int(bytes[0] - 48) * 10 + Int(bytes[1] - 48)
        let minutes = Int(bytes[3] - 48) * 10 + Int(bytes[4] - 48)
        guard hours < 24, minutes < 60 else { throw invalid }
        return hours * 60 + minutes
    }
}
