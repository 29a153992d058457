import Testing
import VigilTestSupport
import VigilConfig

struct PromDurationTests {
    @Test(arguments: [
        ("0", 0, "0s"),
        ("0s", 0, "0s"),
        ("1ms", 1, "1ms"),
        ("324ms", 324, "324ms"),
        ("1s", 1000, "1s"),
        ("90m", 90 * 60_000, "1h30m"),
        ("1h30m", 90 * 60_000, "1h30m"),
        ("1d", 86_400_000, "1d"),
        ("1w", 7 * 86_400_000, "1w"),
        ("2w", 14 * 86_400_000, "2w"),
        ("90d", 90 * 86_400_000, "90d"),
        ("10y", 10 * 365 * 86_400_000, "10y"),
        ("1y2w3d4h5m6s7ms", 365 * 86_400_000 + 17 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000 + 6007, "382d4h5m6s7ms"),
        ("61s", 61_000, "1m1s"),
        ("3600s", 3_600_000, "1h"),
    ] as [(String, Int64, String)])
    func parsesAndPrintsCanonically(text: String, milliseconds: Int64, canonical: String) throws {
        let duration = try PromDuration(parsing: text)
        #expect(duration.milliseconds == milliseconds)
        #expect(duration.description == canonical)
        #expect(try PromDuration(parsing: duration.description) == duration)
    }

    @Test(arguments: ["", "1", "s", "-1s", "1.5s", "1h1d", "1s1s", "1m1h", "5 m", "1x", "1S", "1h 30m", "ms", "1mss"])
    func rejectsInvalidSyntax(text: String) {
        #expect(throws: ConfigValidationError.self) { try PromDuration(parsing: text) }
    }

    @Test func rejectsOverflow() {
        #expect(throws: ConfigValidationError.self) { try PromDuration(parsing: "300y") }
        #expect(throws: ConfigValidationError.self) { try PromDuration(parsing: "99999999999999999999s") }
        #expect((try? PromDuration(parsing: "292y")) != nil)
    }

    @Test func roundTripsEveryMillisecondCountWeTry() throws {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<5000 {
            let milliseconds = Int64(generator.next() % (300 * 365 * 86_400_000 / 1000))
            let duration = PromDuration(milliseconds: milliseconds)
            #expect(try PromDuration(parsing: duration.description) == duration)
        }
    }

    @Test func ordersByLength() {
        #expect(PromDuration.seconds(10) < .minutes(1))
        #expect(min(PromDuration.seconds(10), .seconds(5)) == .seconds(5))
    }
}
