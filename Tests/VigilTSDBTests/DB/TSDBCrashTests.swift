import Foundation
import Testing
import VigilTestSupport
import VigilModel
import VigilTSDB

/// The store as the server uses it, killed mid-ingest: a child commits numbered batches through
/// `TSDB.appender()` and is SIGKILLed at random moments, dozens of times. After each kill the store
/// is reopened (WAL replay into the head) and queried: every acknowledged batch is present with
/// exactly its samples, and nothing else is, apart from the one batch that may have been durable
/// but not yet acknowledged when the kill landed.
@Suite struct TSDBCrashTests {
    @Test(.timeLimit(.minutes(3)))
    func acknowledgedSamplesSurviveSIGKILL() async throws {
        guard let tester = CrashTester.path else {
            Issue.record("VigilCrashTester not found beside the test binary; run `swift build` first or set VIGIL_CRASH_TESTER")
            return
        }
        let directory = TemporaryDirectory("tsdb-crash")
        defer { directory.cleanup() }
        var rng = SeededGenerator(seed: 0xC0FFEE)
        var highestAcknowledged: UInt64 = 0
        var kills = 0
        let started = Date()
        while kills < 25 || (kills < 40 && Date().timeIntervalSince(started) < 20) {
            if Date().timeIntervalSince(started) > 90 { break }
            let delay = UInt32.random(in: 0...50_000, using: &rng)
            let path = directory.path
            let acknowledged = try await onDedicatedThread {
                try CrashTester.runAndKill(tester, arguments: ["tsdb", path], delayMicroseconds: delay)
            }
            kills += 1
            highestAcknowledged = max(highestAcknowledged, acknowledged.last ?? 0)

            var options = TSDBOptions()
            options.walSync = .never
            options.walSegmentSize = 256 << 10
            let db = try TSDB.open(directory: directory.path, options: options)
            let series = try db.querier().select(
                [try LabelMatcher(.equal, "__name__", "crash")], mint: .min, maxt: .max
            )
            var batches: [UInt64] = []
            for stored in series {
                let batch = try #require(stored.labels["batch"].flatMap { UInt64($0) }, "unexpected series \(stored.labels)")
                let count = 1 + Int((batch &* 37) % 400)
                let expected = (0..<count).map { index in
                    RefSample(ref: 0, timestamp: Int64(batch) * 1000 + Int64(index), value: Double(index))
                }
                let actual = stored.samples().map { RefSample(ref: 0, timestamp: $0.timestamp, value: $0.value) }
                #expect(actual == expected, "batch \(batch) has \(actual.count) samples, expected \(count)")
                batches.append(batch)
            }
            batches.sort()
            let highest = batches.last ?? 0
            #expect(batches == Array(UInt64(1)...max(1, highest)).prefix(batches.count).map { $0 }, "gap in batches")
            #expect(highest >= highestAcknowledged, "acknowledged batch \(highestAcknowledged) lost; store has up to \(highest)")
            #expect(highest <= highestAcknowledged + 1, "store has batch \(highest) but only \(highestAcknowledged) was acknowledged")
            for damage in db.replayReport.damage { #expect(damage.torn, "non-tail damage after a crash: \(damage)") }
            try db.close()
            highestAcknowledged = max(highestAcknowledged, highest)
        }
        #expect(kills >= 20)
        #expect(highestAcknowledged > 0)
    }
}
