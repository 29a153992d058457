import Testing
import VigilModel

@Suite struct RFC3339Tests {
    @Test func formatsKnownInstants() {
        #expect(RFC3339.format(milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(RFC3339.format(milliseconds: 1_600_096_945_479) == "2020-09-14T15:22:25.479Z")
        #expect(RFC3339.format(milliseconds: 951_782_400_000) == "2000-02-29T00:00:00.000Z")
        #expect(RFC3339.format(milliseconds: -1) == "1969-12-31T23:59:59.999Z")
        #expect(RFC3339.format(milliseconds: 4_102_444_800_000) == "2100-01-01T00:00:00.000Z")
    }

    @Test func parsesWhatPrometheusAccepts() {
        #expect(RFC3339.parse("2020-09-14T15:22:25.479Z") == 1_600_096_945_479)
        #expect(RFC3339.parse("2020-09-14T15:22:25Z") == 1_600_096_945_000)
        #expect(RFC3339.parse("2020-09-14T17:22:25.4+02:00") == 1_600_096_945_400)
        #expect(RFC3339.parse("2020-09-14T10:22:25.123456789-05:00") == 1_600_096_945_123)
        #expect(RFC3339.parse("1969-12-31T23:59:59.999Z") == -1)
        #expect(RFC3339.parse("2000-02-29T00:00:00Z") == 951_782_400_000)
    }

    @Test(arguments: ["", "2020-09-14", "2020-09-14T15:22:25", "2020-13-01T00:00:00Z", "2021-02-29T00:00:00Z",
                      "2020-09-14T25:00:00Z", "2020-09-14T15:22:25.Z", "2020-09-14T15:22:25Zjunk", "1600096945"])
    func rejectsMalformed(_ text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test func roundTripsRandomInstants() {
        var state: UInt64 = 12345
        for _ in 0..<5_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let milliseconds = Int64(bitPattern: state >> 20) % 8_000_000_000_000
            #expect(RFC3339.parse(RFC3339.format(milliseconds: milliseconds)) == milliseconds)
        }
    }
}
