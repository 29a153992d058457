/// A UTC civil date and time computed from Unix seconds exactly as Go's `time` package computes it
/// (`time.Unix(sec, 0).UTC()`), for the date functions.
///
/// Go keeps an "absolute" time as an unsigned count of seconds from year -292277022399 and derives
/// every field from it with wrapping arithmetic, so even the int64 that NaN or ±Inf convert to
/// gives a defined (if meaningless) date: minute(vector(NaN)) is 30 in Prometheus. Mirroring that
/// arithmetic, rather than a calendar algorithm that traps on overflow, gives the same answers.
struct CivilTime {
    let year: Int64
    let month: Int64
    let day: Int64
    let hour: Int64
    let minute: Int64
    /// 0 = Sunday, as Go's `time.Weekday`.
    let weekday: Int64
    let dayOfYear: Int64

    private static let secondsPerDay: UInt64 = 86_400
    private static let daysPer400Years: UInt64 = 365 * 400 + 97
    private static let daysPer100Years: UInt64 = 365 * 100 + 24
    private static let daysPer4Years: UInt64 = 365 * 4 + 1
    private static let absoluteZeroYear: Int64 = -292_277_022_399
    /// Go's `unixToInternal + internalToAbsolute`.
    private static let unixToAbsolute: Int64 = 62_135_596_800 &+ 9_223_371_966_579_724_800
    /// Days before each month's start in a non-leap year (Go's `daysBefore`).
    private static let daysBefore: [Int64] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365]

    init(unixSeconds: Int64) {
        let abs = UInt64(bitPattern: unixSeconds &+ Self.unixToAbsolute)
        hour = Int64((abs % Self.secondsPerDay) / 3600)
        minute = Int64((abs % 3600) / 60)
        // Go's absWeekday: day 0 of the absolute epoch is a Monday.
        weekday = Int64(((abs &+ Self.secondsPerDay) % (7 * Self.secondsPerDay)) / Self.secondsPerDay)

        var d = abs / Self.secondsPerDay
        var n = d / Self.daysPer400Years
        var y = 400 &* n
        d -= Self.daysPer400Years * n
        n = d / Self.daysPer100Years
        n -= n >> 2
        y = y &+ 100 &* n
        d -= Self.daysPer100Years * n
        n = d / Self.daysPer4Years
        y = y &+ 4 &* n
        d -= Self.daysPer4Years * n
        n = d / 365
        n -= n >> 2
        y = y &+ n
        d -= 365 * n
        let year = Int64(bitPattern: y) &+ Self.absoluteZeroYear
        let yday = Int64(d)
        self.year = year
        dayOfYear = yday + 1

        var day = yday
        if Self.isLeap(year) {
            if day == 31 + 29 - 1 {
                month = 2
                self.day = 29
                return
            }
            if day > 31 + 29 - 1 { day -= 1 }
        }
        var month = day / 31
        let end = Self.daysBefore[Int(month + 1)]
        let begin: Int64
        if day >= end {
            month += 1
            begin = end
        } else {
            begin = Self.daysBefore[Int(month)]
        }
        self.month = month + 1
        self.day = day - begin + 1
    }

    var daysInMonth: Int64 {
        if month == 2 && CivilTime.isLeap(year) { return 29 }
        return Self.daysBefore[Int(month)] - Self.daysBefore[Int(month - 1)]
    }

    static func isLeap(_ year: Int64) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }
}
