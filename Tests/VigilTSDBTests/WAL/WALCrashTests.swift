import Foundation
import Testing
import VigilTestSupport
import VigilModel
@testable import VigilTSDB

/// SIGKILLs a child that appends with SyncPolicy.always, at random moments, and checks that every
/// acknowledged batch survived whole and nothing beyond the one in-flight batch appeared.
///
/// The child is the `VigilCrashTester` executable (see ``CrashTester``).
@Suite struct WALCrashTests {
    @Test(.timeLimit(.minutes(2)))
    func acknowledgedBatchesSurviveSIGKILL() async throws {
        guard let tester = CrashTester.path else {
            Issue.record("VigilCrashTester not found beside the test binary; run `swift build` first or set VIGIL_CRASH_TESTER")
            return
        }
        let directory = TemporaryDirectory("crash")
        defer { directory.cleanup() }
        var rng = SeededGenerator(seed: 0xDEAD)
        var previousHighest: UInt64 = 0
        var totalAcknowledged = 0
        let started = Date()
        var kills = 0
        while kills < 25 || (kills < 40 && Date().timeIntervalSince(started) < 15) {
            if Date().timeIntervalSince(started) > 60 { break }
            let delay = UInt32.random(in: 0...60_000, using: &rng)
            let path = directory.path
            let acknowledged = try await onDedicatedThread {
                try CrashTester.runAndKill(tester, arguments: ["wal", path, String(256 << 10)], delayMicroseconds: delay)
            }
            kills += 1
            totalAcknowledged += acknowledged.count

            let wal = try WAL(directory: directory.path, segmentSize: 256 << 10, syncPolicy: .never)
            var batches: [UInt64] = []
            var pendingSeries: UInt64?
            let report = try wal.replay { record throws(TSDBError) in
                switch record {
                case .series(let series):
                    #expect(pendingSeries == nil, "series record without its samples")
                    #expect(series.count == 1 && series[0].labels["batch"] == "\(series[0].ref)")
                    pendingSeries = series[0].ref
                case .samples(let samples):
                    guard let batch = pendingSeries else {
                        Issue.record("samples record without its series")
                        return
                    }
                    let count = 1 + Int((batch &* 37) % 400)
                    #expect(samples == (0..<count).map { RefSample(ref: batch, timestamp: Int64(batch), value: Double($0)) }, "batch \(batch) damaged")
                    batches.append(batch)
                    pendingSeries = nil
                case .tombstones:
                    Issue.record("unexpected tombstones")
                }
            }
            try wal.close()
            #expect(pendingSeries == nil, "partial batch replayed")
            // Batches are 1, 2, …, n with no gap or duplicate.
            #expect(batches == Array(1...max(1, UInt64(batches.count))).prefix(batches.count).map { $0 })
            let highest = batches.last ?? 0
            let highestAcknowledged = acknowledged.last ?? previousHighest
            #expect(highest >= highestAcknowledged, "acknowledged batch \(highestAcknowledged) lost (replayed up to \(highest)); \(report.warnings)")
            #expect(highest <= max(highestAcknowledged, previousHighest) + 1, "replayed \(highest) but only \(highestAcknowledged) acknowledged")
            for damage in report.damage { #expect(damage.torn, "non-tail damage after a crash: \(damage)") }
            previousHighest = highest
        }
        #expect(kills >= 20)
        #expect(totalAcknowledged > 0)
        print("WAL crash test: \(kills) kills, \(totalAcknowledged) acknowledged batches, \(previousHighest) batches in the WAL")
    }
}
