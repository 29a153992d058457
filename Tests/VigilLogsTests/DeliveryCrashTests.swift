import Foundation
import Synchronization
import Testing
import VigilTestSupport

/// The proof of at-least-once delivery: `vigil logs ship` is SIGKILLed and restarted while a
/// writer appends, rotates (rename and copytruncate) and writes partial lines and CRI pieces;
/// the Loki sink ends with every line, in order per file, with at most one batch of duplicates
/// per restart.
@Suite struct DeliveryCrashTests {
    /// The output's batch_size; one batch holds at most this plus one frame of the same size.
    static let batchBytes = 8192
    /// The shortest line the writer writes (name, number, padding, newline).
    static let shortestLine = 30

    @Test func everyLineArrivesAcrossKillsAndRotations() async throws {
        let binary = try #require(ShipperProcess.binaryPath, "the vigil binary is built by swift build")
        let directory = try TemporaryDirectory()
        let root = directory.path
        try FileManager.default.createDirectory(atPath: root + "/plain", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/pods", withIntermediateDirectories: true)
        let summary = try await LokiSink.with { sink in try await LokiSink.with { second in
            let config = try directory.write(
                "vigil.yml",
                """
                global:
                  scrape_interval: 15s
                logs:
                  inputs:
                    - name: plain
                      paths: [\(root)/plain/*.log]
                      read_from_head: true
                    - name: pods
                      paths: [\(root)/pods/*.log]
                      format: cri
                      read_from_head: true
                  outputs:
                    - name: sink
                      url: \(sink.url)
                      batch_size: \(Self.batchBytes)B
                      batch_wait: 50ms
                      min_backoff: 50ms
                      max_backoff: 1s
                    - name: second
                      url: \(second.url)
                      encoding: protobuf
                      batch_size: \(Self.batchBytes)B
                      batch_wait: 50ms
                      min_backoff: 50ms
                      max_backoff: 1s
                """)
            let writers = [
                LogWriter(path: root + "/plain/a.log", name: "a", isCRI: false),
                LogWriter(path: root + "/plain/b.log", name: "b", isCRI: false),
                LogWriter(path: root + "/pods/c.log", name: "c", isCRI: true),
            ]
            var random = SystemRandomNumberGenerator()
            let rounds = 6
            for round in 0..<rounds {
                let shipper = try ShipperProcess(binary: binary, config: config, dataDir: root + "/data", logPath: root + "/ship.log")
                let started = ContinuousClock.now
                // Odd rounds are killed at once (often before the first scan); even ones live long
                // enough to see the files, then rotate all three.
                let rotates = round % 2 == 0
                let lifetime: Duration = rotates
                    ? .milliseconds(Int.random(in: 1400...2200, using: &random)) : .milliseconds(Int.random(in: 20...400, using: &random))
                let rotateAfter = Duration.milliseconds(Int.random(in: 1200...1300, using: &random))
                var renamed = false
                var truncated = false
                // Short rounds rename a.log too, so a generation may be created and rotated away
                // before any lifetime scanned it: found beside the checkpointed generation it follows.
                let quickRenameAfter = Duration.milliseconds(Int.random(in: 0...300, using: &random))
                var quickRenamed = rotates
                // The first lifetime rotates only once every file's first generation is checkpointed
                // (its lines reached the sink): what it is then renamed to is found from that checkpoint.
                var warmedUp = round > 0
                while ContinuousClock.now - started < lifetime || (rotates && !(renamed && truncated)),
                      ContinuousClock.now - started < .seconds(60)
                {
                    if !warmedUp {
                        let names = Set(sink.entries.map { $0.line.prefix(2) })
                        warmedUp = names.isSuperset(of: ["a ", "b ", "c "])
                    }
                    for writer in writers {
                        writer.append(Int.random(in: 1...6, using: &random), leavePartial: Bool.random(using: &random))
                    }
                    let elapsed = ContinuousClock.now - started
                    if rotates && !renamed && warmedUp && elapsed >= rotateAfter {
                        writers[0].rotateByRename()
                        writers[2].rotateByRename()
                        renamed = true
                    }
                    if !quickRenamed && elapsed >= quickRenameAfter {
                        writers[0].rotateByRename()
                        quickRenamed = true
                    }
                    if rotates && renamed && !truncated && elapsed >= rotateAfter + .milliseconds(50) {
                        writers[1].rotateByCopyTruncate()
                        truncated = true
                    }
                    try await Task.sleep(for: .milliseconds(Int.random(in: 5...25, using: &random)))
                }
                shipper.kill()
                // Lines written while nothing reads them.
                for writer in writers { writer.append(Int.random(in: 0...10, using: &random)) }
            }
            let shipper = try ShipperProcess(binary: binary, config: config, dataDir: root + "/data", logPath: root + "/ship.log")
            for writer in writers { writer.append(5) }
            for writer in writers { writer.completePartial() }
            let expected = writers.map(\.written)
            let complete = await eventually(timeout: .seconds(300)) {
                [sink.entries, second.entries].allSatisfy { entries in
                    zip(writers, expected).allSatisfy { writer, count in
                        Set(entries.lazy.filter { $0.line.hasPrefix(writer.name + " ") }.map(\.line)).count >= count
                    }
                }
            }
            shipper.terminate()
            if !complete { print("sink batches: \(sink.batches.withLock { $0 })") }
            return (complete, expected, [sink.entries, second.entries], rounds)
        } }
        let (complete, expected, outputs, rounds) = summary
        let log = (try? String(contentsOfFile: root + "/ship.log", encoding: .utf8)) ?? ""
        #expect(complete, "not every line arrived; shipper log:\n\(log.suffix(6000))")
        if !complete {
            // Kept for a person to read; the temporary directory goes away.
            let keep = NSTemporaryDirectory() + "vigil-logs-delivery-failure"
            try? FileManager.default.removeItem(atPath: keep)
            try? FileManager.default.copyItem(atPath: root, toPath: keep)
        }
        var duplicates = 0
        for (entries, (name, count)) in outputs.flatMap({ entries in zip(["a", "b", "c"], expected).map { (entries, $0) } }) {
            let numbers = entries.compactMap { entry -> Int? in
                let fields = entry.line.split(separator: " ")
                guard fields.count == 3, fields[0] == name else { return nil }
                return Int(fields[1])
            }
            var seen: Set<Int> = []
            var firstSeen: [Int] = []
            for number in numbers where seen.insert(number).inserted { firstSeen.append(number) }
            let missing = Set(1...count).subtracting(seen).sorted()
            #expect(missing.isEmpty, "file \(name): \(missing.count) of \(count) lines missing, first \(missing.prefix(40))")
            #expect(firstSeen == firstSeen.sorted(), "file \(name): lines out of order")
            duplicates += numbers.count - seen.count
            if numbers.count > seen.count {
                var counts: [Int: Int] = [:]
                for number in numbers { counts[number, default: 0] += 1 }
                let repeated = counts.filter { $0.value > 1 }.keys.sorted()
                print("file \(name): \(numbers.count - seen.count) duplicates, lines \(repeated.first!)...\(repeated.last!)")
            }
            // Every line's text arrived whole (CRI pieces joined, half-written lines completed).
            let writerText = LogWriter(path: "/dev/null", name: name, isCRI: false)
            let wrong = entries.filter { $0.line.hasPrefix(name + " ") && Int($0.line.split(separator: " ")[1]).map(writerText.text) != $0.line }
            #expect(wrong.isEmpty, "file \(name): mangled lines \(wrong.prefix(3))")
        }
        let batchLines = 2 * Self.batchBytes / Self.shortestLine
        #expect(duplicates <= 2 * rounds * batchLines, "\(duplicates) duplicates over \(rounds) kills and 2 outputs")
        print("delivery proof: \(expected.reduce(0, +)) lines in 3 files to 2 outputs (JSON, protobuf), \(rounds) SIGKILLs, \(duplicates) duplicates (bound \(2 * rounds * batchLines))")
    }
}
