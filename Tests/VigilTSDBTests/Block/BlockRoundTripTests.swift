import Foundation
import Testing
import VigilTestSupport
import VigilModel
@testable import VigilTSDB

@Suite struct BlockRoundTripTests {
    let mint: Int64 = 1_700_000_000_000 - 1_700_000_000_000 % 7_200_000
    var maxt: Int64 { mint + 7_200_000 }

    func checkQueries(_ querier: any Querier, _ store: BlockReferenceStore, seed: UInt64) throws {
        var random = BlockTestRandom(seed: seed)
        for matchers in BlockFixtures.matcherSets {
            for _ in 0..<4 {
                let a = mint - 60_000 + Int64(random.next() % UInt64(maxt - mint + 120_000))
                let b = mint - 60_000 + Int64(random.next() % UInt64(maxt - mint + 120_000))
                let (lo, hi) = random.next() % 4 == 0 ? (Int64.min, Int64.max) : (min(a, b), max(a, b))
                let got = try querier.select(matchers, mint: lo, maxt: hi)
                let want = store.select(matchers, mint: lo, maxt: hi)
                #expect(got.map(\.labels) == want.map(\.0), "\(matchers) [\(lo), \(hi)]")
                for (series, expected) in zip(got, want) {
                    #expect(BlockFixtures.bitEqual(series.samples(), expected.1), "\(series.labels)")
                }
            }
            let names = try querier.labelNames(matchers: matchers, mint: .min, maxt: .max)
            let wantNames = Set(store.series.keys.filter { store.matches($0, matchers) }.flatMap { $0.map(\.name) })
            #expect(names == wantNames.sorted { ByteOrder.less($0, $1) })
            for name in ["job", "mode", "__name__"] {
                let values = try querier.labelValues(name, matchers: matchers, mint: .min, maxt: .max)
                let want = Set(store.series.keys.filter { store.matches($0, matchers) }.compactMap { $0[name] })
                #expect(values == want.sorted { ByteOrder.less($0, $1) })
            }
        }
        let allNames = try querier.labelNames(matchers: [], mint: .min, maxt: .max)
        #expect(allNames == Set(store.series.keys.flatMap { $0.map(\.name) }).sorted { ByteOrder.less($0, $1) })
        let allJobs = try querier.labelValues("job", matchers: [], mint: .min, maxt: .max)
        #expect(allJobs == Set(store.series.keys.compactMap { $0["job"] }).sorted())
        #expect(try querier.select([], mint: .min, maxt: .max).isEmpty)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func randomRoundTrip(seed: UInt64) async throws {
        try await offTheCooperativePool { try checkRandomRoundTrip(seed: seed) }
    }

    private func checkRandomRoundTrip(seed: UInt64) throws {
        let directory = BlockTestDirectory()
        let store = BlockFixtures.randomStore(seed: seed, seriesCount: 300, mint: mint, maxt: maxt)
        let series = store.chunked()
        let meta = try BlockWriter.write(directory: directory.path, mint: mint, maxt: maxt, series: series)
        #expect(meta.stats.numSeries == store.series.count)
        #expect(meta.stats.numSamples == store.series.values.reduce(0) { $0 + $1.count })
        #expect(meta.stats.numChunks == series.reduce(0) { $0 + $1.chunks.count })
        #expect(meta.compaction.level == 1 && meta.compaction.sources == [meta.ulid])
        let block = try Block.open(path: directory.path + "/\(meta.ulid)")
        #expect(block.meta == meta)
        #expect(block.size > 0)
        try checkQueries(block.querier(), store, seed: seed)
        // Outside the block's range nothing is returned.
        #expect(try block.querier().select([BlockFixtures.matcher(.regexMatch, "__name__", ".+")], mint: maxt, maxt: maxt + 1000).isEmpty)
        #expect(try block.querier().labelNames(matchers: [], mint: 0, maxt: mint - 1).isEmpty)
    }

    @Test func smallSegmentsAndEmptyBlock() throws {
        let directory = BlockTestDirectory()
        let store = BlockFixtures.randomStore(seed: 9, seriesCount: 50, mint: mint, maxt: maxt)
        let builder = try BlockBuilder(parent: directory.path, mint: mint, maxt: maxt, maxSegmentSize: 4096)
        for entry in store.chunked() { try builder.add(labels: entry.labels, chunks: entry.chunks) }
        let meta = try builder.finish()
        let chunkFiles = try FileManager.default.contentsOfDirectory(atPath: directory.path + "/\(meta.ulid)/chunks")
        #expect(chunkFiles.count > 3)
        try checkQueries(try Block.open(path: directory.path + "/\(meta.ulid)").querier(), store, seed: 9)

        let empty = try BlockWriter.write(directory: directory.path, mint: mint, maxt: maxt, series: [])
        let block = try Block.open(path: directory.path + "/\(empty.ulid)")
        #expect(block.meta.stats.numSeries == 0)
        #expect(try block.querier().select([BlockFixtures.matcher(.regexMatch, "a", ".*")], mint: .min, maxt: .max).isEmpty)
        #expect(try block.querier().labelNames(matchers: [], mint: .min, maxt: .max).isEmpty)
    }

    @Test func unsortedSeriesAreRejected() throws {
        let directory = BlockTestDirectory()
        let chunk = XORChunk(samples: [(mint, 1.0)])
        #expect(throws: TSDBError.self) {
            _ = try BlockWriter.write(directory: directory.path, mint: mint, maxt: maxt,
                                      series: [(["a": "2"], [chunk]), (["a": "1"], [chunk])])
        }
        #expect(try BlockDirectory.blockPaths(in: directory.path).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func tombstonesFromWriterAndDelete() async throws {
        try await offTheCooperativePool { try checkTombstonesFromWriterAndDelete() }
    }

    private func checkTombstonesFromWriterAndDelete() throws {
        let directory = BlockTestDirectory()
        var store = BlockFixtures.randomStore(seed: 5, seriesCount: 100, mint: mint, maxt: maxt)
        let victim = store.series.keys.sorted()[3]
        store.deleted[victim] = [mint...(mint + 1_800_000)]
        let meta = try BlockWriter.write(directory: directory.path, mint: mint, maxt: maxt, series: store.chunked(),
                                         tombstones: [victim: [mint...(mint + 1_800_000)]])
        #expect(meta.stats.numTombstones == 1)
        let path = directory.path + "/\(meta.ulid)"
        var block = try Block.open(path: path)
        try checkQueries(block.querier(), store, seed: 5)

        let matchers = [BlockFixtures.matcher(.equal, "job", "job1")]
        let affected = try block.delete(matchers, mint: mint + 3_600_000, maxt: mint + 4_000_000)
        for labels in store.series.keys where labels["job"] == "job1" {
            BlockTombstones.add((mint + 3_600_000)...(mint + 4_000_000), to: &store.deleted[labels, default: []])
        }
        #expect(affected == store.series.keys.filter { $0["job"] == "job1" }.count)
        try checkQueries(block.querier(), store, seed: 6)
        // Persisted: a reopened block sees the same deletions.
        block = try Block.open(path: path)
        #expect(block.meta.stats.numTombstones == affected + 1)
        try checkQueries(block.querier(), store, seed: 7)
        // Deleting a whole series hides it.
        try block.delete([BlockFixtures.matcher(.equal, "__name__", "metric_1")], mint: .min, maxt: .max)
        for labels in store.series.keys where labels["__name__"] == "metric_1" { store.deleted[labels] = [Int64.min...Int64.max] }
        try checkQueries(block.querier(), store, seed: 8)
    }

    @Test func tombstoneIntervalsMerge() {
        var list: [ClosedRange<Int64>] = []
        BlockTombstones.add(10...20, to: &list)
        BlockTombstones.add(30...40, to: &list)
        BlockTombstones.add(0...5, to: &list)
        #expect(list == [0...5, 10...20, 30...40])
        BlockTombstones.add(21...29, to: &list)
        #expect(list == [0...5, 10...40])
        BlockTombstones.add(3...100, to: &list)
        #expect(list == [0...100])
        BlockTombstones.add(Int64.min...Int64.max, to: &list)
        #expect(list == [Int64.min...Int64.max])
    }

    @Test func ulidFormat() throws {
        var random = BlockTestRandom(seed: 1)
        let ulid = ULID(milliseconds: 1_469_918_176_385, using: &random)
        let text = ulid.description
        #expect(text.count == 26)
        #expect(text.hasPrefix("01ARYZ6S41"))  // the ULID spec's example timestamp
        #expect(ULID(text) == ulid)
        #expect(ULID(text.lowercased()) == ulid)
        #expect(ulid.milliseconds == 1_469_918_176_385)
        #expect(ULID("not a ulid") == nil)
        #expect(ULID("81ARYZ6S41TSV4RRFFQ69G5FAV") == nil)
        let later = ULID(milliseconds: 1_469_918_176_386, using: &random)
        #expect(ulid < later && later.description > text)
        #expect(ULID() != ULID())
    }

    @Test func metaJSONRoundTrip() throws {
        var random = BlockTestRandom(seed: 2)
        let a = ULID(milliseconds: 1, using: &random)
        let b = ULID(milliseconds: 2, using: &random)
        let meta = BlockMeta(
            ulid: b, minTime: -5, maxTime: 7_200_000,
            stats: .init(numSamples: 10, numSeries: 2, numChunks: 3, numTombstones: 1),
            compaction: .init(level: 2, sources: [a, b], parents: [.init(ulid: a, minTime: 0, maxTime: 10)], deletable: true))
        #expect(try BlockMeta(json: meta.json) == meta)
        let prometheus = """
        {"ulid":"01BKGV7JBM69T2G1BGBGM6KB12","minTime":1500000000000,"maxTime":1500007200000,
         "stats":{"numSamples":553673232,"numSeries":1346066,"numChunks":4440437},
         "compaction":{"level":1,"sources":["01BKGV7JBM69T2G1BGBGM6KB12"]},"version":1}
        """
        let parsed = try BlockMeta(json: prometheus)
        #expect(parsed.stats.numSeries == 1_346_066 && parsed.stats.numTombstones == 0)
        for bad in ["", "{", "[]", "{\"ulid\": 3}", "{\"ulid\":\"01BKGV7JBM69T2G1BGBGM6KB12\",\"minTime\":1}", "{\"a\":1} x"] {
            #expect(throws: TSDBError.self) { _ = try BlockMeta(json: bad) }
        }
    }

    @Test func leftoverTemporaryDirectoriesAreRemoved() throws {
        let directory = BlockTestDirectory()
        let store = BlockFixtures.randomStore(seed: 4, seriesCount: 10, mint: mint, maxt: maxt)
        let meta = try BlockWriter.write(directory: directory.path, mint: mint, maxt: maxt, series: store.chunked())
        // A crash mid-write leaves `<ULID>.tmp`; one mid-deletion leaves `.tmp-for-deletion`.
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory.path + "/\(ULID()).tmp/chunks", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: directory.path + "/\(ULID()).tmp-for-deletion", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: directory.path + "/wal", withIntermediateDirectories: true)
        let paths = try BlockDirectory.blockPaths(in: directory.path)
        #expect(paths == [directory.path + "/\(meta.ulid)"])
        #expect(Set(try fm.contentsOfDirectory(atPath: directory.path)) == [meta.ulid.description, "wal"])

        try BlockDirectory.remove(path: paths[0])
        #expect(try BlockDirectory.blockPaths(in: directory.path).isEmpty)
    }
}
