import Testing
#if canImport(Glibc)
import Glibc
#endif
import VigilLogQL
@testable import VigilLogStore
import VigilModel
import VigilTestSupport

@Suite struct LogStoreTests {
    let app = try! LabelMatcher(.equal, "app", "api")

    @Test func pushedLinesComeBackInOrderAndBackwards() throws {
        let directory = try TemporaryDirectory()
        let clock = TestClock()
        let store = try LogStore.open(directory: directory.path, options: testOptions(), clock: clock.function)
        let now = clock.current
        let result = try store.push(PushFixtures.request(["app": "api"], lines: ["a", "b", "c"], start: now))
        #expect(result.accepted == 3 && result.httpStatus == 204)
        #expect(try store.entries([app])[["app": "api"]]?.map { String(decoding: $0.line, as: UTF8.self) } == ["a", "b", "c"])
        #expect(try store.entries([app], direction: .backward)[["app": "api"]]?.map { String(decoding: $0.line, as: UTF8.self) } == ["c", "b", "a"])
        #expect(try store.entries([app], start: now + 1_000_000, end: now + 2_000_000)[["app": "api"]]?.count == 1)
        try store.close()
    }

    @Test func aResentBatchIsStoredOnceWhileItsLinesAreInTheHead() throws {
        let directory = try TemporaryDirectory()
        let clock = TestClock()
        let store = try LogStore.open(directory: directory.path, options: testOptions(), clock: clock.function)
        let now = clock.current
        let batch = PushFixtures.request(["app": "api"], lines: ["a", "b", "c"], start: now)
        #expect(try store.push(batch).accepted == 3)
        #expect(try store.push(PushFixtures.request(["app": "api"], lines: ["d"], start: now + 3_000_000)).accepted == 1)
        // The whole batch again (as after a shipper's crash), plus one line that differs only in text.
        let resent = PushRequest(streams: batch.streams + [PushStream(labels: ["app": "api"], entries: [
            LogEntry(timestamp: now + 1_000_000, line: Array("b2".utf8)),
        ])])
        let again = try store.push(resent)
        #expect(again.accepted == 1 && again.httpStatus == 204)
        let lines = try store.entries([app])[["app": "api"]]?.map { String(decoding: $0.line, as: UTF8.self) }
        #expect(lines == ["a", "b", "b2", "c", "d"])
        try store.close()
    }

    @Test func unicodeVeryLongAndEmptyLinesSurviveChunksAndReload() throws {
        let directory = try TemporaryDirectory()
        let clock = TestClock()
        var options = testOptions()
        options.maxLineSize = 0
        let now = clock.current
        let long = String(repeating: "0123456789abcdef", count: 64 << 10)  // 1 MiB: spans blocks
        let lines = ["", "日本語のログ 🚀 ünïcödé", long, "\u{0}nul\u{0}", ""]
        do {
            let store = try LogStore.open(directory: directory.path, options: options, clock: clock.function)
            #expect(try store.push(PushFixtures.request(["app": "api"], lines: lines, start: now)).accepted == 5)
            try store.close()
        }
        let store = try LogStore.open(directory: directory.path, options: options, clock: clock.function)
        #expect(store.openReport.chunks == 1)
        #expect(try store.entries([app])[["app": "api"]]?.map { String(decoding: $0.line, as: UTF8.self) } == lines)
        try store.close()
    }

    @Test func outOfOrderEntriesWithinTheWindowAreAcceptedAndSorted() throws {
        let directory = try TemporaryDirectory()
        let clock = TestClock()
        var options = testOptions()
        options.outOfOrderWindow = 60 * 1_000_000_000
        let store = try LogStore.open(directory: directory.path, options: options, clock: clock.function)
        let now = clock.current
        let second: Int64 = 1_000_000_000
        try store.push(PushFixtures.request(["app": "api"], lines: ["newest"], start: now))
        // 30 s behind the newest: inside the window; 61 s behind: refused and named.
        let result = try store.push(PushRequest(streams: [PushStream(labels: ["app": "api"], entries: [
            LogEntry(timestamp: now - 30 * second, line: Array("late".utf8)),
            LogEntry(timestamp: now - 61 * second, line: Array("too late".utf8)),
        ])]))
        #expect(result.accepted == 1)
        #expect(result.httpStatus == 400)
        #expect(result.message.contains("entry too far behind") && result.message.contains(#"{app="api"}"#))
        // A chunk sealed earlier still merges with later out-of-order entries.
        try store.checkpoint(sealHeads: true)
        try store.push(PushFixtures.request(["app": "api"], lines: ["middle"], start: now - 10 * second))
        #expect(try store.entries([app])[["app": "api"]]?.map { String(decoding: $0.line, as: UTF8.self) } == ["late", "middle", "newest"])
        try store.close()
    }

    @Test func ageAndLineLimitsAreRefusedWithLokisMessages() throws {
        let directory = try TemporaryDirectory()
        let clock = TestClock()
        var options = testOptions()
        options.maxLineSize = 10
        let store = try LogStore.open(directory: directory.path, options: options, clock: clock.function)
        let now = clock.current
        let day: Int64 = 86_400 * 1_000_000_000
        let result = try store.push(PushRequest(streams: [PushStream(labels: ["app": "api"], entries: [
            LogEntry(timestamp: now, line: Array("ok".utf8)),
            LogEntry(timestamp: now, line: Array("far too long a line".utf8)),
            LogEntry(timestamp: now - 8 * day, line: Array("old".utf8)),
            LogEntry(timestamp: now + day, line: Array("future".utf8)),
        ])]))
        #expect(result.accepted == 1)
        #expect(result.errors.count == 3)
        #expect(result.errors[0].message == "Max entry size '10' bytes exceeded for stream '{app=\"api\"}' while adding an entry with length '19' bytes")
        #expect(result.errors[1].message.hasPrefix("entry for stream '{app=\"api\"}' has timestamp too old: 2023-11-06T22:13:20Z"))
        #expect(result.errors[2].message == "entry for stream '{app=\"api\"}' has timestamp too new: 2023-11-15T22:13:20Z")
        try store.close()
    }

    @Test func rateAndStreamLimitsAnswer429() throws {
        let directory = try TemporaryDirectory()
        let clock = TestClock()
        var options = testOptions()
        options.ingestionRate = 1000
        options.ingestionBurst = 1000
        options.perStreamRate = 100
        options.perStreamBurst = 100
        options.maxStreamsPerTenant = 2
        let store = try LogStore.open(directory: directory.path, options: options, clock: clock.function)
        let now = clock.current
        let line = String(repeating: "x", count: 60)
        #expect(try store.push(PushFixtures.request(["app": "a"], lines: [line], start: now)).accepted == 1)
        // The stream's bucket holds 40 bytes now: 60 more are refused, other streams are not.
        let second = try store.push(PushRequest(streams: [
            PushStream(labels: ["app": "a"], entries: [LogEntry(timestamp: now + 1, line: Array(line.utf8))]),
            PushStream(labels: ["app": "b"], entries: [LogEntry(timestamp: now + 1, line: Array(line.utf8))]),
            PushStream(labels: ["app": "c"], entries: [LogEntry(timestamp: now + 1, line: Array(line.utf8))]),
        ]))
        #expect(second.accepted == 1)
        #expect(second.httpStatus == 429)
        #expect(second.errors.map(\.message) == [
            "Per stream rate limit exceeded (limit: 100B/sec) while attempting to ingest for stream '{app=\"a\"}' totaling 60B, consider splitting a stream via additional labels or contact your Loki administrator to see if the limit can be increased",
            "Maximum active stream limit exceeded when trying to create stream {app=\"c\"}, reduce the number of active streams (reduce labels or reduce label values), or contact your Loki administrator to see if the limit can be increased, user: 'fake'",
        ])
        // The tenant has 1000 − 180 bytes left: a 900-byte push is refused whole.
        let big = PushFixtures.request(["app": "b"], lines: [String(repeating: "y", count: 900)], start: now + 2)
        #expect {
            try store.push(big)
        } throws: { error in
            (error as? LogStoreError)?.httpStatus == 429
                && (error as? LogStoreError)?.message == "Ingestion rate limit exceeded for user fake (limit: 1000 bytes/sec) while attempting to ingest '1' lines totaling '900' bytes, reduce log volume or contact your Loki administrator to see if the limit can be increased"
        }
        clock.advance(seconds: 1)
        #expect(try store.push(PushFixtures.request(["app": "b"], lines: [String(repeating: "w", count: 90)], start: now + 3)).accepted == 1)
        try store.close()
    }

    @Test func chunksAreCutBySizeAndReloadFromDisk() throws {
        let directory = try TemporaryDirectory()
        let clock = TestClock()
        var options = testOptions()
        options.chunkTargetSize = 4096
        let now = clock.current
        let lines = (0..<500).map { "line \($0) " + String(repeating: "z", count: 40) }
        do {
            let store = try LogStore.open(directory: directory.path, options: options, clock: clock.function)
            for (index, line) in lines.enumerated() {
                try store.push(PushFixtures.request(["app": "api"], lines: [line], start: now + Int64(index)))
            }
            let stats = store.storageStats()
            #expect(stats.chunks >= 5)
            try store.checkpoint(sealHeads: false)
            // Not closed: the head's entries come back from the checkpoint's snapshot.
        }
        let store = try LogStore.open(directory: directory.path, options: options, clock: clock.function)
        #expect(store.openReport.chunks >= 5)
        #expect(try store.entries([app])[["app": "api"]]?.map { String(decoding: $0.line, as: UTF8.self) } == lines)
        let stats = store.indexStats(tenant: "fake", matchers: [app], start: .min, end: .max)
        #expect(stats.streams == 1 && stats.entries == 500 && stats.chunks == store.storageStats().chunks + 1)
        try store.close()
    }

    @Test func walReplayCutsATornTail() throws {
        let directory = try TemporaryDirectory()
        let clock = TestClock()
        let now = clock.current
        do {
            let store = try LogStore.open(directory: directory.path, options: testOptions(), clock: clock.function)
            try store.push(PushFixtures.request(["app": "api"], lines: ["one", "two"], start: now))
            try store.push(PushFixtures.request(["app": "api"], lines: ["three"], start: now + 10_000_000))
            // No close: the WAL is all there is. Tear the last frame in half.
        }
        let segment = LogWAL.path(directory.path + "/wal", 0)
        let size = try #require(FileIO.fileSize(segment))
        #expect(truncate(segment, off_t(size - 5)) == 0)
        let store = try LogStore.open(directory: directory.path, options: testOptions(), clock: clock.function)
        #expect(store.openReport.damage.count == 1)
        #expect(store.openReport.records == 1)
        #expect(try store.entries([app])[["app": "api"]]?.map { String(decoding: $0.line, as: UTF8.self) } == ["one", "two"])
        // Appends after the cut land in a new segment and replay after the good frames.
        try store.push(PushFixtures.request(["app": "api"], lines: ["four"], start: now + 20_000_000))
        let reopened = try LogStore.open(directory: directory.path, options: testOptions(), clock: clock.function)
        #expect(reopened.openReport.damage.isEmpty)
        #expect(try reopened.entries([app])[["app": "api"]]?.count == 3)
    }

    @Test func retentionDeletesWholeChunksByTimeAndSize() throws {
        let directory = try TemporaryDirectory()
        let clock = TestClock()
        var options = testOptions()
        options.retentionPeriod = 3_600 * 1_000_000_000
        options.rejectOlderThan = 0
        let store = try LogStore.open(directory: directory.path, options: options, clock: clock.function)
        let now = clock.current
        let hour: Int64 = 3_600 * 1_000_000_000
        try store.push(PushFixtures.request(["app": "old"], lines: ["x"], start: now - 2 * hour))
        try store.push(PushFixtures.request(["app": "api"], lines: ["y"], start: now))
        try store.checkpoint(sealHeads: true)
        #expect(try FileIO.list(directory.path + "/chunks").count == 2)
        #expect(store.applyRetention() == 1)
        #expect(try FileIO.list(directory.path + "/chunks").count == 1)
        #expect(store.labelValues("app", tenant: "fake", matchers: [], start: .min, end: .max) == ["api"])
        try store.close()

        var sized = testOptions()
        sized.retentionSize = 1
        let bySize = try LogStore.open(directory: directory.path, options: sized, clock: clock.function)
        try bySize.push(PushFixtures.request(["app": "new"], lines: ["z"], start: now + 1))
        try bySize.checkpoint(sealHeads: true)
        // Over any size: all but nothing may stay; the oldest go first, and everything written goes.
        #expect(bySize.applyRetention() == 2)
        #expect(try FileIO.list(directory.path + "/chunks").isEmpty)
        try bySize.close()
    }

    @Test func bloomFiltersSkipChunksWithoutARareString() throws {
        let directory = try TemporaryDirectory()
        let clock = TestClock()
        var options = testOptions()
        options.chunkTargetSize = 8 << 10
        let store = try LogStore.open(directory: directory.path, options: options, clock: clock.function)
        let now = clock.current
        var random = SplitMix64(seed: 7)
        var lines: [String] = []
        for index in 0..<2000 {
            let id = random.next() % 100_000
            lines.append(#"{"level":"info","msg":"request served","user":\#(id),"i":\#(index)}"#)
        }
        lines[1234] = #"{"level":"error","msg":"needle-7f3a9c in the haystack"}"#
        for first in stride(from: 0, to: lines.count, by: 50) {
            try store.push(PushFixtures.request(["app": "api"], lines: Array(lines[first..<first + 50]), start: now + Int64(first) * 1000, step: 1000))
        }
        try store.checkpoint(sealHeads: true)
        let chunks = store.storageStats().chunks
        #expect(chunks >= 10)
        // "7f3a9c" is the needle's one whole token: the filters index tokens.
        let found = try store.entries([app], substrings: [Array("needle-7f3a9c in".utf8)])[["app": "api"]] ?? []
        #expect(found.contains { $0.line == Array(lines[1234].utf8) })
        // Only the needle's chunk (and rare false positives) was read.
        #expect(store.bloomSkips >= chunks - 2)
        #expect(found.count < lines.count / 4)
        try store.close()
        // Filters read back from the files (salted by chunk ID) skip the same chunks.
        let reopened = try LogStore.open(directory: directory.path, options: options, clock: clock.function)
        let again = try reopened.entries([app], substrings: [Array("needle-7f3a9c in".utf8)])[["app": "api"]] ?? []
        #expect(again == found)
        #expect(reopened.bloomSkips == store.bloomSkips)
        try reopened.close()
    }

    @Test func labelsSeriesAndTenantsAreKeptApart() throws {
        let directory = try TemporaryDirectory()
        let clock = TestClock()
        let store = try LogStore.open(directory: directory.path, options: testOptions(), clock: clock.function)
        let now = clock.current
        try store.push(PushFixtures.request(["app": "api", "env": "prod"], lines: ["a"], start: now))
        try store.push(PushFixtures.request(["app": "db", "env": "dev"], lines: ["b"], start: now))
        try store.push(PushFixtures.request(["app": "other", "team": "t"], lines: ["c"], start: now), tenant: "team-2")
        #expect(store.labelNames(tenant: "fake", matchers: [], start: .min, end: .max) == ["app", "env"])
        #expect(store.labelValues("app", tenant: "fake", matchers: [try LabelMatcher(.regexMatch, "env", "pro.*")], start: .min, end: .max) == ["api"])
        #expect(store.series(tenant: "fake", selectors: [try StreamSelector.parse(#"{app=~"a.*|d.*"}"#)], start: .min, end: .max) == [
            ["app": "api", "env": "prod"], ["app": "db", "env": "dev"],
        ])
        #expect(store.labelNames(tenant: "team-2", matchers: [], start: .min, end: .max) == ["app", "team"])
        #expect(store.labelNames(tenant: "fake", matchers: [], start: now + 1, end: .max) == [])
        try store.close()
    }

    @Test func subscribersReceiveNewEntries() async throws {
        let directory = try TemporaryDirectory()
        let clock = TestClock()
        let store = try LogStore.open(directory: directory.path, options: testOptions(), clock: clock.function)
        let now = clock.current
        let stream = store.subscribe()
        try store.push(PushFixtures.request(["app": "api"], lines: ["tail me"], start: now))
        try store.push(PushFixtures.request(["app": "x"], lines: ["other tenant"], start: now), tenant: "else")
        try store.close()
        var received: [LogStreamBatch] = []
        for await batch in stream { received.append(batch) }
        #expect(received == [LogStreamBatch(labels: ["app": "api"], entries: [LogEntry(timestamp: now, line: Array("tail me".utf8))])])
    }
}
