import Testing
@testable import VigilModel

@Suite struct ProcStatParsingTests {
    @Test func parsesStatWithAwkwardCommandName() throws {
        // Field 2 may contain spaces and parentheses; fields are counted after the last ')'.
        let line = "4242 (we (ird) name) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 150 0 0 20 0 9 0 12345 987654321 2048 18446744073709551615"
        let parsed = try #require(ProcessStats.parseStat(line))
        #expect(parsed.utime == 250)
        #expect(parsed.stime == 150)
        #expect(parsed.startTicks == 12345)
        #expect(parsed.vsize == 987_654_321)
        #expect(parsed.rss == 2048)
        #expect(ProcessStats.parseStat("garbage") == nil ? true : false)
        #expect(ProcessStats.parseStat("1 (x) S 1 2") == nil ? true : false)
    }

    @Test func parsesBootTime() {
        #expect(ProcessStats.parseBootTime("cpu 1 2 3\nbtime 1700000000\nprocesses 5\n") == 1_700_000_000)
        #expect(ProcessStats.parseBootTime("cpu 1 2 3\n") == nil)
    }

    #if os(Linux)
    @Test func readsThisProcess() throws {
        let stats = ProcessStats.current()
        let rss = try #require(stats.residentMemoryBytes)
        #expect(rss > 1_048_576)
        #expect(try #require(stats.virtualMemoryBytes) >= rss)
        #expect(try #require(stats.openFileDescriptors) >= 3)
        #expect(try #require(stats.maxFileDescriptors) >= stats.openFileDescriptors!)
        let start = try #require(stats.startTimeSeconds)
        #expect(start > 1_704_067_200)
        #expect(start <= Double(Timestamps.now() / 1000) + 1)
        #expect(try #require(stats.cpuSeconds) >= 0)
    }
    #endif
}
