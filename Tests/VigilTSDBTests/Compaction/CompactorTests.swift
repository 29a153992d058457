import Foundation
import Testing
import VigilModel
@testable import VigilTSDB
import VigilTestSupport

@Suite struct CompactorTests {
    let hour: Int64 = 3_600_000
    var base: Int64 { 7_200_000 * 200_000 }

    func write(_ directory: BlockTestDirectory, _ store: BlockReferenceStore, mint: Int64, maxt: Int64) throws -> Block {
        let meta = try BlockWriter.write(directory: directory.path, mint: mint, maxt: maxt, series: store.chunked())
        return try Block.open(path: directory.path + "/\(meta.ulid)")
    }

    func expectEqual(_ block: Block, _ store: BlockReferenceStore) throws {
        let all = [BlockFixtures.matcher(.regexMatch, "__name__", ".+")]
        let got = try block.querier().select(all, mint: .min, maxt: .max)
        let want = store.select(all, mint: .min, maxt: .max)
        #expect(got.map(\.labels) == want.map(\.0))
        for (series, expected) in zip(got, want) {
            #expect(BlockFixtures.bitEqual(series.samples(), expected.1), "\(series.labels)")
        }
        #expect(block.meta.stats.numSamples == want.reduce(0) { $0 + $1.1.count })
    }

    @Test func adjacentBlocksMergeAndKeepChunks() throws {
        let directory = BlockTestDirectory()
        var reference = BlockReferenceStore()
        var blocks: [Block] = []
        for step in 0..<3 {
            let mint = base + Int64(step) * 2 * hour
            let store = BlockFixtures.randomStore(seed: UInt64(20 + step), seriesCount: 60, mint: mint, maxt: mint + 2 * hour)
            for (labels, samples) in store.series { reference.add(labels, samples) }
            blocks.append(try write(directory, store, mint: mint, maxt: mint + 2 * hour))
        }
        var compactor = Compactor()
        compactor.samplesPerChunk = 120
        let meta = try #require(try compactor.compact(blocks, into: directory.path))
        #expect(meta.minTime == base && meta.maxTime == base + 6 * hour)
        #expect(meta.compaction.level == 2)
        #expect(Set(meta.compaction.sources) == Set(blocks.map(\.meta.ulid)))
        #expect(meta.compaction.parents.map(\.ulid) == blocks.map(\.meta.ulid))
        // Disjoint chunks of the configured size are copied, not re-chunked.
        #expect(meta.stats.numChunks == blocks.reduce(0) { $0 + $1.meta.stats.numChunks })
        let merged = try Block.open(path: directory.path + "/\(meta.ulid)")
        try expectEqual(merged, reference)
        // The parents are superseded by the new block.
        let all = try BlockDirectory.blockPaths(in: directory.path).map { try Block.open(path: $0).meta }
        #expect(BlockDirectory.superseded(all) == Set(blocks.map(\.meta.ulid)))
    }

    @Test func overlappingBlocksMergeSampleWise() throws {
        let directory = BlockTestDirectory()
        let first = BlockFixtures.randomStore(seed: 30, seriesCount: 80, mint: base, maxt: base + 2 * hour)
        // Out-of-order style data: the same series, offset timestamps, some equal timestamps.
        var second = BlockReferenceStore()
        for (labels, samples) in first.series where labels["job"] != "job0" {
            second.add(labels, samples.enumerated().map { index, sample in
                (sample.timestamp + (index % 5 == 0 ? 0 : 7_000), sample.value + 1)
            })
        }
        let extra = BlockFixtures.randomStore(seed: 31, seriesCount: 10, mint: base + hour, maxt: base + 3 * hour)
        for (labels, samples) in extra.series { second.add(labels, samples) }
        let a = try write(directory, first, mint: base, maxt: base + 2 * hour)
        let b = try write(directory, second, mint: base, maxt: base + 3 * hour)
        #expect(Compactor().plan([a.meta, b.meta]).map(\.ulid) == [a.meta, b.meta].sorted { ($0.minTime, $0.ulid) < ($1.minTime, $1.ulid) }.map(\.ulid))

        // Reference: the earlier block (by min time, then ULID) wins on equal timestamps.
        let ordered = [a, b].sorted { ($0.meta.minTime, $0.meta.ulid) < ($1.meta.minTime, $1.meta.ulid) }
        var reference = BlockReferenceStore()
        for block in ordered {
            for (labels, samples) in (block === a ? first : second).series { reference.add(labels, samples) }
        }
        let meta = try #require(try Compactor().compact([b, a], into: directory.path))
        #expect(meta.minTime == base && meta.maxTime == base + 3 * hour)
        let merged = try Block.open(path: directory.path + "/\(meta.ulid)")
        try expectEqual(merged, reference)
        // Re-encoded chunks hold at most samplesPerChunk samples.
        for series in try merged.allSeries() { #expect(series.chunks.allSatisfy { $0.count <= Compactor().samplesPerChunk }) }
    }

    @Test func mixedEncodingBlocksMergeAndRechunk() async throws {
        try await offTheCooperativePool { try checkMixedEncodingBlocksMergeAndRechunk() }
    }

    private func checkMixedEncodingBlocksMergeAndRechunk() throws {
        let directory = BlockTestDirectory()
        var reference = BlockReferenceStore()
        var blocks: [Block] = []
        for step in 0..<3 {
            let mint = base + Int64(step) * 2 * hour
            let store = BlockCompactChunkTests.mixedStore(seed: UInt64(50 + step), seriesCount: 60, mint: mint, maxt: mint + 2 * hour)
            for (labels, samples) in store.series { reference.add(labels, samples) }
            // Head-cut XOR, compact, XOR.
            let meta = try BlockWriter.write(directory: directory.path, mint: mint, maxt: mint + 2 * hour,
                                             series: store.chunked(), compactChunks: step == 1)
            blocks.append(try Block.open(path: directory.path + "/\(meta.ulid)"))
        }
        // An overlapping compact block of other values on some series: vertical compaction.
        var overlap = BlockReferenceStore()
        for (labels, samples) in reference.series where labels["job"] == "job1" {
            overlap.add(labels, samples.filter { $0.timestamp < base + 3 * hour }.map { ($0.timestamp + 5_000, Double($0.timestamp % 1000) / 10) })
        }
        let overlapMeta = try BlockWriter.write(directory: directory.path, mint: base + hour, maxt: base + 3 * hour,
                                                series: overlap.chunked(), compactChunks: true)
        let overlapBlock = try Block.open(path: directory.path + "/\(overlapMeta.ulid)")

        let compactor = Compactor()
        let meta = try #require(try compactor.compact(blocks, into: directory.path))
        let merged = try Block.open(path: directory.path + "/\(meta.ulid)")
        try expectEqual(merged, reference)
        // 120-sample head chunks become chunks of up to 480, stored compactly where smaller.
        #expect(meta.stats.numChunks < blocks.reduce(0) { $0 + $1.meta.stats.numChunks } / 2)
        var compact = 0
        for series in try merged.allSeries() {
            #expect(series.chunks.allSatisfy { $0.count <= 480 })
            compact += series.chunks.filter { if case .compact = $0 { true } else { false } }.count
        }
        #expect(compact > 0)
        // Compacting the compacted block again copies its chunks unchanged.
        let again = try #require(try compactor.compact([merged], into: directory.path))
        #expect(again.stats.numChunks == meta.stats.numChunks)
        try expectEqual(try Block.open(path: directory.path + "/\(again.ulid)"), reference)

        // Mixed encodings overlapping (offset timestamps, so no ties; ties are covered above).
        let vertical = try #require(try compactor.compact([blocks[0], blocks[1], overlapBlock], into: directory.path))
        var want = BlockReferenceStore()
        for block in [blocks[0], blocks[1]] {
            for series in try block.allSeries() {
                want.add(series.labels, StoredSeries(labels: series.labels, chunks: series.chunks, mint: .min, maxt: .max).samples().map { ($0.timestamp, $0.value) })
            }
        }
        for (labels, samples) in overlap.series { want.add(labels, samples) }
        try expectEqual(try Block.open(path: directory.path + "/\(vertical.ulid)"), want)
    }

    @Test func compactionDropsTombstonedSamples() throws {
        let directory = BlockTestDirectory()
        var store = BlockFixtures.randomStore(seed: 40, seriesCount: 50, mint: base, maxt: base + 2 * hour)
        let block = try write(directory, store, mint: base, maxt: base + 2 * hour)
        try block.delete([BlockFixtures.matcher(.equal, "job", "job2")], mint: base + 1_000_000, maxt: base + 2_000_000)
        try block.delete([BlockFixtures.matcher(.equal, "__name__", "metric_3")], mint: .min, maxt: .max)
        #expect(block.meta.stats.numTombstones > 0)
        for labels in Array(store.series.keys) {
            if labels["__name__"] == "metric_3" { store.series[labels] = nil; continue }
            if labels["job"] == "job2" {
                store.series[labels] = store.series[labels]!.filter { !((base + 1_000_000)...(base + 2_000_000)).contains($0.timestamp) }
                if store.series[labels]!.isEmpty { store.series[labels] = nil }
            }
        }
        let meta = try #require(try Compactor().compact([block], into: directory.path))
        #expect(meta.stats.numTombstones == 0)
        #expect(meta.stats.numSeries == store.series.count)
        let compacted = try Block.open(path: directory.path + "/\(meta.ulid)")
        #expect(compacted.tombstones.isEmpty)
        try expectEqual(compacted, store)
    }

    @Test func fullyDeletedBlocksAreMarkedDeletable() throws {
        let directory = BlockTestDirectory()
        let store = BlockFixtures.randomStore(seed: 41, seriesCount: 10, mint: base, maxt: base + 2 * hour)
        let block = try write(directory, store, mint: base, maxt: base + 2 * hour)
        try block.delete([BlockFixtures.matcher(.regexMatch, "__name__", ".+")], mint: .min, maxt: .max)
        #expect(Compactor().plan([block.meta]).isEmpty)  // the newest block is left alone
        #expect(try Compactor().compact([block], into: directory.path) == nil)
        let reopened = try Block.open(path: block.path)
        #expect(reopened.meta.compaction.deletable)
        #expect(BlockDirectory.superseded([reopened.meta]) == [block.meta.ulid])
        #expect(try BlockDirectory.blockPaths(in: directory.path) == [block.path])
    }

    func meta(_ mint: Int64, _ maxt: Int64, tombstones: Int = 0, series: Int = 100) -> BlockMeta {
        let ulid = ULID()
        return BlockMeta(ulid: ulid, minTime: mint, maxTime: maxt,
                         stats: .init(numSamples: 1, numSeries: series, numChunks: 1, numTombstones: tombstones),
                         compaction: .init(level: 1, sources: [ulid]))
    }

    @Test func planning() {
        let h = hour
        let compactor = Compactor()
        #expect(compactor.ranges.prefix(4) == [2 * h, 6 * h, 18 * h, 54 * h])
        #expect(Compactor.exponentialBlockRanges(minSize: 2 * h, steps: 10, stepSize: 3).count == 10)
        #expect(Compactor(maxBlockDuration: 20 * h).ranges == [2 * h, 6 * h, 18 * h])
        // Nothing to do with one block or with blocks that do not fill a range.
        #expect(compactor.plan([meta(0, 2 * h)]).isEmpty)
        #expect(compactor.plan([meta(0, 2 * h), meta(2 * h, 4 * h)]).isEmpty)
        // Three 2h blocks fill 6h, but the newest is held back until a later block exists.
        let three = [meta(0, 2 * h), meta(2 * h, 4 * h), meta(4 * h, 6 * h)]
        #expect(compactor.plan(three).isEmpty)
        let four = three + [meta(6 * h, 8 * h)]
        #expect(compactor.plan(four).map(\.ulid) == three.map(\.ulid))
        // A range with a gap is compacted once it lies before the newest block.
        let gap = [meta(0, 2 * h), meta(4 * h, 6 * h), meta(8 * h, 10 * h)]
        #expect(compactor.plan(gap).map(\.ulid) == gap.prefix(2).map(\.ulid))
        // Three 6h blocks then fill 18h.
        let sixes = [meta(0, 6 * h), meta(6 * h, 12 * h), meta(12 * h, 18 * h), meta(18 * h, 20 * h)]
        #expect(compactor.plan(sixes).map(\.ulid) == sixes.prefix(3).map(\.ulid))
        // Overlaps come first, whatever their size.
        let overlap = [meta(0, 2 * h), meta(2 * h, 4 * h), meta(3 * h, 5 * h), meta(10 * h, 12 * h)]
        #expect(compactor.plan(overlap).map(\.ulid) == overlap[1...2].map(\.ulid))
        // A big block with >5% tombstones is rewritten on its own.
        let big = [meta(0, 54 * h, tombstones: 10), meta(54 * h, 56 * h)]
        #expect(compactor.plan(big).map(\.ulid) == [big[0].ulid])
        let clean = [meta(0, 54 * h, tombstones: 1), meta(54 * h, 56 * h)]
        #expect(compactor.plan(clean).isEmpty)
        // Negative times align too.
        let negative = [meta(-6 * h, -4 * h), meta(-4 * h, -2 * h), meta(-2 * h, 0), meta(0, 2 * h)]
        #expect(compactor.plan(negative).map(\.ulid) == negative.prefix(3).map(\.ulid))
    }
}
