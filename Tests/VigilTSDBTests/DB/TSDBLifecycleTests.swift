import Foundation
import Testing
import VigilModel
import VigilTSDB
import VigilTestSupport

/// The whole store — head, WAL replay and blocks — against a reference model.
@Suite struct TSDBLifecycleTests {
    static let hour: Int64 = 3_600_000

    /// Random in-order and out-of-order appends over 14 hours with maintenance (head cuts,
    /// compaction) and reopenings in between; every query must equal the reference model.
    @Test(arguments: [UInt64(1), 2, 3])
    func queriesMatchReferenceAcrossHeadWALAndBlocks(seed: UInt64) throws {
        let directory = TemporaryDirectory("tsdb-lifecycle")
        defer { directory.cleanup() }
        var options = TSDBOptions()
        options.walSync = .never
        options.walSegmentSize = 64 << 10
        var rng = SplitMix64(seed: seed)
        var reference: [Labels: [Int64: Double]] = [:]
        let seriesLabels: [Labels] = (0..<12).map { index in
            ["__name__": index % 3 == 0 ? "up" : "node_load1", "instance": "host\(index % 4)", "job": "job\(index % 3)"]
        }
        var db = try TSDB.open(directory: directory.path, options: options)
        var now: Int64 = 1_700_000_000_000 - 1_700_000_000_000 % Self.hour
        var blocksSeen = 0
        for round in 0..<56 {  // 56 rounds × 15 minutes = 14 hours
            // In-order samples first, committed; then late samples in their own batch, so each is
            // judged against committed data (a late sample more than 10m behind its series' newest
            // sample is rejected at append time and must not appear).
            var appender = db.appender()
            var late: [Labels] = []
            for labels in seriesLabels where Bool.random(using: &rng) || round % 4 == 0 {
                for step in 0..<15 {
                    let t = now + Int64(step) * 60_000
                    let value = Double(Int.random(in: 0..<1000, using: &rng))
                    _ = try appender.append(ref: nil, labels: labels, timestamp: t, value: value)
                    reference[labels, default: [:]][t] = value
                }
                late.append(labels)
            }
            try appender.commit()
            var lateAppender = db.appender()
            for labels in late {
                let t = now + 14 * 60_000 - Int64.random(in: 1...15, using: &rng) * 60_000 + 30_000
                do {
                    _ = try lateAppender.append(ref: nil, labels: labels, timestamp: t, value: -1)
                    if reference[labels]?[t] == nil { reference[labels, default: [:]][t] = -1 }
                } catch {
                    #expect(error.kind == .outOfBounds, "late sample rejected for another reason: \(error)")
                }
            }
            try lateAppender.commit()
            now += 15 * 60_000
            if round % 8 == 7 {
                try db.maintain()
                blocksSeen = max(blocksSeen, db.blockMetas.count)
            }
            if round % 12 == 11 {
                try db.close()
                db = try TSDB.open(directory: directory.path, options: options)
            }
            try Self.compare(db, reference, &rng)
        }
        #expect(blocksSeen >= 2, "maintenance should have cut blocks from 14h of data")
        try db.close()
    }

    private static func compare(_ db: TSDB, _ reference: [Labels: [Int64: Double]], _ rng: inout SplitMix64) throws {
        let all = reference.values.flatMap(\.keys)
        guard let low = all.min(), let high = all.max() else { return }
        let mint = Int64.random(in: low...high, using: &rng)
        let maxt = Int64.random(in: mint...high, using: &rng)
        let matcher = try [
            LabelMatcher(.equal, "__name__", "up"), LabelMatcher(.regexMatch, "job", "job[01]"),
            LabelMatcher(.notEqual, "instance", "host2"), LabelMatcher(.regexMatch, "__name__", ".+"),
        ].randomElement(using: &rng)!
        let selected = try db.querier(mint: mint, maxt: maxt).select([matcher], mint: mint, maxt: maxt)
        var expected: [Labels: [(Int64, Double)]] = [:]
        for (labels, samples) in reference where matcher.matches(labels[matcher.name] ?? "") {
            let inRange = samples.filter { $0.key >= mint && $0.key <= maxt }.sorted { $0.key < $1.key }
            if !inRange.isEmpty { expected[labels] = inRange.map { ($0.key, $0.value) } }
        }
        #expect(Set(selected.map(\.labels)) == Set(expected.keys), "series differ for \(matcher) in [\(mint), \(maxt)]")
        for series in selected {
            let actual = series.samples().map { "\($0.timestamp)=\($0.value)" }
            let wanted = (expected[series.labels] ?? []).map { "\($0.0)=\($0.1)" }
            #expect(actual == wanted, "samples differ for \(series.labels) in [\(mint), \(maxt)]")
        }
    }

    @Test func retentionDeletesOldBlocksAndCorruptBlocksAreQuarantined() throws {
        let directory = TemporaryDirectory("tsdb-retention")
        defer { directory.cleanup() }
        var options = TSDBOptions()
        options.walSync = .never
        options.retention = Retention(duration: 6 * Self.hour)
        let db = try TSDB.open(directory: directory.path, options: options)
        var appender = db.appender()
        var ref: SeriesRef?
        for minute in stride(from: Int64(0), through: 12 * 60, by: 1) {
            ref = try appender.append(ref: ref, labels: ["__name__": "m"], timestamp: minute * 60_000, value: Double(minute))
        }
        try appender.commit()
        try db.maintain()
        let metas = db.blockMetas
        #expect(!metas.isEmpty)
        // Nothing left ends more than 6h before the newest sample (12h).
        #expect(metas.allSatisfy { 12 * Self.hour - $0.maxTime < 6 * Self.hour }, "\(metas.map { ($0.minTime, $0.maxTime) })")
        let oldest = try #require(metas.first)
        try db.close()

        // Damage the oldest block's index: the next open moves it aside and keeps the rest.
        let index = directory.path + "/" + oldest.ulid.description + "/index"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: index)))
        bytes[bytes.count / 2] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: index))
        let reopened = try TSDB.open(directory: directory.path, options: options)
        defer { try? reopened.close() }
        if reopened.quarantined.isEmpty {
            // Index sections are checked lazily; a damaged block must then fail reads cleanly.
            #expect(throws: TSDBError.self) {
                for series in try reopened.querier().select([try LabelMatcher(.equal, "__name__", "m")], mint: .min, maxt: .max) {
                    _ = series.samples()
                }
            }
        } else {
            #expect(reopened.quarantined.count == 1)
            #expect(!reopened.blockMetas.contains { $0.ulid == oldest.ulid })
            #expect(FileManager.default.fileExists(atPath: reopened.quarantined[0].path))
        }
    }
}

@Suite struct BlockImporterTests {
    @Test func importedBlocksAreLoadedByARunningStore() throws {
        let directory = TemporaryDirectory("tsdb-import")
        defer { directory.cleanup() }
        var options = TSDBOptions()
        options.walSync = .never
        let db = try TSDB.open(directory: directory.path, options: options)
        defer { try? db.close() }

        var importer = BlockImporter()
        let start: Int64 = 1_600_000_000_000
        for minute in 0..<(5 * 60) {  // 5 hours: touches 3 or 4 two-hour ranges
            importer.add(["__name__": "backfilled", "job": "old"], timestamp: start + Int64(minute) * 60_000, value: Double(minute))
        }
        importer.add(["__name__": "backfilled", "job": "old"], timestamp: start, value: 99)  // duplicate timestamp
        let metas = try importer.write(into: directory.path)
        #expect(metas.count >= 3)
        #expect(importer.duplicates == 1)
        #expect(metas.allSatisfy { $0.maxTime - $0.minTime == 7_200_000 })

        let report = try db.maintain()
        #expect(report.importedBlocks == metas.count)
        let series = try db.querier().select([try LabelMatcher(.equal, "job", "old")], mint: .min, maxt: .max)
        let samples = try #require(series.first).samples()
        #expect(samples.count == 300)
        #expect(samples.first?.value == 0 && samples.last?.value == 299)
    }
}

@Suite struct TSDBReplayBoundTests {
    /// After blocks are cut, a restart replays only what is not in a block yet, and one checkpoint
    /// covers a pass that cut several blocks. With head snapshots on, the snapshot written on close
    /// holds the same samples and the WAL after it is empty.
    @Test(arguments: [false, true])
    func replaySkipsSamplesAlreadyInBlocks(headSnapshots: Bool) throws {
        let directory = TemporaryDirectory("tsdb-replay-bound")
        defer { directory.cleanup() }
        var options = TSDBOptions()
        options.headSnapshots = headSnapshots
        options.walSync = .never
        options.walSegmentSize = 64 << 10
        var db = try TSDB.open(directory: directory.path, options: options)
        let start: Int64 = 1_700_000_000_000 - 1_700_000_000_000 % 7_200_000
        let minutes = 8 * 60
        for minute in 0..<minutes {
            var appender = db.appender()
            for series in 0..<20 {
                _ = try appender.append(
                    ref: nil, labels: ["__name__": "m", "series": "\(series)"],
                    timestamp: start + Int64(minute) * 60_000, value: Double(minute)
                )
            }
            try appender.commit()
        }
        let report = try db.maintain()
        #expect(report.headBlocks >= 2, "8h of data should cut several 2h blocks in one pass")
        #expect(report.checkpointed)
        let persistedUpTo = try #require(db.blockMetas.map(\.maxTime).max())
        try db.close()

        db = try TSDB.open(directory: directory.path, options: options)
        defer { try? db.close() }
        let expectedInHead = (0..<minutes).filter { start + Int64($0) * 60_000 >= persistedUpTo }.count * 20
        #expect(db.head.stats.samplesAppended == expectedInHead, "replayed \(db.head.stats.samplesAppended), expected \(expectedInHead)")
        #expect(db.replayReport.snapshot?.samples == (headSnapshots ? expectedInHead : nil))
        #expect(db.replayReport.samples == (headSnapshots ? 0 : db.replayReport.samples))
        #expect(db.head.minTime >= persistedUpTo)
        let all = try db.querier().select([try LabelMatcher(.equal, "__name__", "m")], mint: .min, maxt: .max)
        #expect(all.count == 20)
        #expect(all.allSatisfy { $0.samples().count == minutes })
        // No maintenance pass after the restart re-cuts ranges that already have blocks.
        let blocksBefore = db.blockMetas.count
        _ = try db.maintain()
        #expect(db.blockMetas.count <= blocksBefore + 1)
    }
}
