public import Foundation

/// One entry of a named time interval (`time_intervals[].time_intervals[]`): the times of day,
/// weekdays, days of the month, months and years it covers, in a time zone.
///
/// A field left out covers everything; an instant is inside the interval when it is inside every
/// field that is given. Ranges are inclusive except times of day, whose end is exclusive.
public struct TimeIntervalSpec: Sendable, Hashable {
    /// Minutes since midnight: `start..<end`.
    public struct TimeRange: Sendable, Hashable {
        /// First minute covered (0...1439).
        public var startMinute: Int
        /// First minute no longer covered (1...1440).
        public var endMinute: Int
    }

    /// An inclusive range of integers (weekdays 0 = Sunday, days of month possibly negative,
    /// months 1...12, years).
    public struct InclusiveRange: Sendable, Hashable {
        /// First value.
        public var begin: Int
        /// Last value.
        public var end: Int
    }

    /// Times of day; nil covers the whole day.
    public var times: [TimeRange]?
    /// Weekdays (0 = Sunday); nil covers every day.
    public var weekdays: [InclusiveRange]?
    /// Days of the month; negative days count from the end (-1 is the last day).
    public var daysOfMonth: [InclusiveRange]?
    /// Months, 1 = January.
    public var months: [InclusiveRange]?
    /// Years.
    public var years: [InclusiveRange]?
    /// The zone the fields are read in; nil is UTC.
    public var location: TimeZone?

    /// Whether the instant `nanoseconds` (since the epoch) lies inside the interval.
    public func contains(nanoseconds: Int64) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = location ?? TimeZone(identifier: "UTC")!
        let date = Date(timeIntervalSince1970: Double(nanoseconds.dividedFloor(by: 1_000_000_000)))
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: date)
        guard let year = parts.year, let month = parts.month, let day = parts.day, let hour = parts.hour,
            let minute = parts.minute, let weekday = parts.weekday
        else { return false }
        if let times {
            let minuteOfDay = hour * 60 + minute
            guard times.contains(where: { minuteOfDay >= $0.startMinute && minuteOfDay < $0.endMinute }) else {
                return false
            }
        }
        if let daysOfMonth {
            let length = calendar.range(of: .day, in: .month, for: date)?.count ?? 31
            guard daysOfMonth.contains(where: { Self.covers(day: day, $0, daysInMonth: length) }) else { return false }
        }
        if let months, !months.contains(where: { month >= $0.begin && month <= $0.end }) { return false }
        if let years, !years.contains(where: { year >= $0.begin && year <= $0.end }) { return false }
        // Foundation counts weekdays from 1 = Sunday; Go from 0 = Sunday.
        if let weekdays, !weekdays.contains(where: { weekday - 1 >= $0.begin && weekday - 1 <= $0.end }) {
            return false
        }
        return true
    }

    /// Negative days count back from the month's end; a start beyond the month covers nothing.
    private static func covers(day: Int, _ range: InclusiveRange, daysInMonth: Int) -> Bool {
        var begin = range.begin < 0 ? daysInMonth + range.begin + 1 : range.begin
        var end = range.end < 0 ? daysInMonth + range.end + 1 : range.end
        if begin > daysInMonth { return false }
        begin = min(max(begin, -daysInMonth), daysInMonth)
        end = min(max(end, -daysInMonth), daysInMonth)
        return day >= begin && day <= end
    }
}

extension Int64 {
    /// Division rounding towards negative infinity.
    func dividedFloor(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
