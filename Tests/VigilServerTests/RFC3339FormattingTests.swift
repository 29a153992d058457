import Testing
@testable import VigilServer

@Suite struct RFC3339FormattingTests {
    @Test func formatsKnownInstants() {
        #expect(WallClock.rfc3339(milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(WallClock.rfc3339(milliseconds: 1_600_096_945_479) == "2020-09-14T15:22:25.479Z")
        #expect(WallClock.rfc3339(milliseconds: 951_782_400_000) == "2000-02-29T00:00:00.000Z")
        #expect(WallClock.rfc3339(milliseconds: -1) == "1969-12-31T23:59:59.999Z")
        #expect(WallClock.rfc3339(milliseconds: 4_102_444_800_000) == "2100-01-01T00:00:00.000Z")
    }

    @Test func nowIsAfter2024() {
        #expect(WallClock.now().seconds > 1_704_067_200)
    }
}
