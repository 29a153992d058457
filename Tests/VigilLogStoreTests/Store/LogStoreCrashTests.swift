import Foundation
import Testing
import VigilLogQL
import VigilLogStore
import VigilModel
import VigilTestSupport

/// A child pushes numbered batches through `LogStore.push` (WAL fdatasync'd before the
/// acknowledgement) with small chunks and frequent checkpoints, and is SIGKILLed at random
/// moments, dozens of times. After each kill the store is reopened: every acknowledged batch is
/// present with exactly its lines, in order, and nothing else is but the one batch that may have
/// been durable without being acknowledged.
@Suite struct LogStoreCrashTests {
    @Test(.timeLimit(.minutes(3)))
    func acknowledgedLinesSurviveSIGKILL() async throws {
        guard let tester = CrashTester.path else {
            Issue.record("VigilCrashTester not found beside the test binary; run `swift build` first or set VIGIL_CRASH_TESTER")
            return
        }
        let directory = try TemporaryDirectory()
        var random = SplitMix64(seed: 0x10C5)
        var highestAcknowledged: UInt64 = 0
        var kills = 0
        var checkpointsSeen = false
        let started = Date()
        while kills < 25 || (kills < 40 && Date().timeIntervalSince(started) < 20) {
            if Date().timeIntervalSince(started) > 90 { break }
            let delay = UInt32(random.next() % 50_000)
            let path = directory.path
            let acknowledged = try await onDedicatedThread {
                try CrashTester.runAndKill(tester, arguments: ["logstore", path], delayMicroseconds: delay)
            }
            kills += 1
            highestAcknowledged = max(highestAcknowledged, acknowledged.last ?? 0)

            var options = LogStoreOptions()
            options.walSync = false
            options.rejectOlderThan = 0
            options.creationGracePeriod = 0
            let store = try LogStore.open(directory: directory.path, options: options)
            if store.openReport.chunks > 0 { checkpointsSeen = true }
            var lines: [LogEntry] = []
            try store.select(
                LogSelection(matchers: [try LabelMatcher(.equal, "job", "crash")], start: .min, end: .max), tenant: "fake"
            ) { batch in
                lines.append(contentsOf: batch.entries)
                return true
            }
            // Rebuild the batches from the lines and compare with what the child wrote.
            var batches: [UInt64: [LogEntry]] = [:]
            for entry in lines { batches[UInt64(entry.timestamp / 1_000_000), default: []].append(entry) }
            let numbers = batches.keys.sorted()
            let highest = numbers.last ?? 0
            #expect(numbers == Array(UInt64(1)...max(1, highest)).prefix(numbers.count).map { $0 }, "gap in batches")
            for batch in numbers {
                let count = 1 + Int((batch &* 37) % 400)
                let expected = (0..<count).map { index in
                    LogEntry(
                        timestamp: Int64(batch) * 1_000_000 + Int64(index),
                        line: Array("batch=\(batch) line=\(index) msg=\"the quick brown fox jumps over the lazy dog\"".utf8))
                }
                #expect(batches[batch] == expected, "batch \(batch) has \(batches[batch]?.count ?? 0) lines, expected \(count)")
            }
            #expect(highest >= highestAcknowledged, "acknowledged batch \(highestAcknowledged) lost; store has up to \(highest)")
            #expect(highest <= highestAcknowledged + 1, "store has batch \(highest) but only \(highestAcknowledged) was acknowledged")
            for damage in store.openReport.damage { #expect(damage.contains("fails its checksum") || damage.contains("runs past") || damage.contains("short"), "\(damage)") }
            highestAcknowledged = max(highestAcknowledged, highest)
            // Not closed: closing would seal and write everything, hiding the crash paths.
        }
        #expect(kills >= 20)
        #expect(highestAcknowledged > 0)
        #expect(checkpointsSeen, "no kill happened after a checkpoint; the test did not exercise chunk files")
    }
}
