import Testing
import VigilConfig
@testable import VigilAlertmanager

@Suite("Time intervals")
struct TimeIntervalSpecTests {
    private func interval(_ yaml: String) throws(ConfigError) -> TimeIntervalSpec {
        try ConfigDecoder.decode(TimeIntervalSpec.self, fromYAML: yaml, fileName: "ti.yml")
    }

    private func message(_ yaml: String) -> String? {
        do {
            _ = try interval(yaml)
            return nil
        } catch {
            return error.message
        }
    }

    /// Nanoseconds for a UTC date and time.
    private func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 12, _ minute: Int = 0) -> Int64 {
        // Days from the civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Int64(days * 86400 + hour * 3600 + minute * 60) * 1_000_000_000
    }

    @Test("weekdays and times of day: the end minute is excluded")
    func weekdaysAndTimes() throws {
        let office = try interval("""
            weekdays: ['Monday:friday']
            times: [{start_time: '09:00', end_time: '17:00'}]
            """)
        #expect(office.contains(nanoseconds: at(2026, 1, 5, 9, 0)))   // Monday
        #expect(office.contains(nanoseconds: at(2026, 1, 9, 16, 59)))  // Friday
        #expect(!office.contains(nanoseconds: at(2026, 1, 9, 17, 0)))
        #expect(!office.contains(nanoseconds: at(2026, 1, 10, 12, 0))) // Saturday
        let late = try interval("times: [{start_time: '23:00', end_time: '24:00'}]")
        #expect(late.contains(nanoseconds: at(2026, 1, 5, 23, 59)))
    }

    @Test("negative days of month count from the month's end")
    func daysOfMonth() throws {
        let lastThree = try interval("days_of_month: ['-3:-1']")
        #expect(lastThree.contains(nanoseconds: at(2026, 2, 26)))
        #expect(!lastThree.contains(nanoseconds: at(2026, 2, 25)))
        #expect(lastThree.contains(nanoseconds: at(2026, 1, 29)))
        #expect(!lastThree.contains(nanoseconds: at(2026, 1, 28)))
        let firstToLast = try interval("days_of_month: ['1:-1']")
        #expect(firstToLast.contains(nanoseconds: at(2026, 4, 30)))
        let thirtyFirst = try interval("days_of_month: ['31']")
        #expect(!thirtyFirst.contains(nanoseconds: at(2026, 4, 30)))
    }

    @Test("months, years and a location")
    func monthsYearsLocation() throws {
        let winter = try interval("months: ['january:february', 'December']\nyears: ['2026']")
        #expect(winter.contains(nanoseconds: at(2026, 12, 10)))
        #expect(!winter.contains(nanoseconds: at(2026, 3, 10)))
        let summer = try interval("months: ['6:8']\nyears: ['2025:2026']")
        #expect(summer.contains(nanoseconds: at(2026, 7, 1)))
        #expect(!summer.contains(nanoseconds: at(2027, 7, 1)))
        let sydney = try interval("""
            times: [{start_time: '09:00', end_time: '10:00'}]
            location: Australia/Sydney
            """)
        // 09:30 in Sydney (UTC+11 in January) is 22:30 UTC the day before.
        #expect(sydney.contains(nanoseconds: at(2026, 1, 4, 22, 30)))
        #expect(!sydney.contains(nanoseconds: at(2026, 1, 5, 9, 30)))
    }

    @Test("invalid intervals are refused with Alertmanager's messages")
    func errors() {
        #expect(message("weekdays: ['friday:monday']")?.contains("start day cannot be before end day") == true)
        #expect(message("weekdays: ['blurgsday']") == "blurgsday is not a valid weekday")
        #expect(message("days_of_month: ['0']") == "0 is not a valid day of the month: out of range")
        #expect(message("days_of_month: ['-15:5']") == "end day must be negative if start day is negative")
        #expect(message("days_of_month: ['10:-25']") == "end day -25 is always before start day 10")
        #expect(message("months: ['june:january']") == "end month january is before start month june")
        #expect(message("months: ['smarch']") == "smarch is not a valid month")
        #expect(message("years: ['2030:2020']") == "end year 2020 is before start year 2030")
        #expect(message("times: [{start_time: '01:99', end_time: '23:59'}]") == "couldn't parse timestamp 01:99, invalid format")
        #expect(message("times: [{start_time: '10:00', end_time: '09:00'}]") == "start time cannot be equal or greater than end time")
        #expect(message("times: [{start_time: '10:00'}]") == "both start and end times must be provided")
        #expect(message("location: Nowhere/Land") == "unknown time zone Nowhere/Land")
        #expect(message("weekday: [monday]")?.contains("unknown field") == true)
    }
}
