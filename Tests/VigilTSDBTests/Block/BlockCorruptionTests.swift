import Foundation
import Testing
import VigilTestSupport
import VigilModel
@testable import VigilTSDB

@Suite struct BlockCorruptionTests {
    let mint: Int64 = 7_200_000 * 1000
    var maxt: Int64 { mint + 7_200_000 }

    /// Writes a block and returns its directory (kept alive by `directory`).
    func makeBlock(_ directory: BlockTestDirectory, seed: UInt64 = 11) throws -> (path: String, store: BlockReferenceStore) {
        let store = BlockFixtures.randomStore(seed: seed, seriesCount: 40, mint: mint, maxt: maxt)
        let meta = try BlockWriter.write(directory: directory.path, mint: mint, maxt: maxt, series: store.chunked())
        return (directory.path + "/\(meta.ulid)", store)
    }

    /// Opens the block and reads everything; returns nil on success or the error's kind.
    func readEverything(_ path: String) -> TSDBError.Kind? {
        do {
            let block = try Block.open(path: path)
            let querier = block.querier()
            let all = [BlockFixtures.matcher(.regexMatch, "__name__", ".+")]
            for series in try querier.select(all, mint: .min, maxt: .max) { _ = series.samples() }
            for matchers in BlockFixtures.matcherSets { _ = try querier.select(matchers, mint: .min, maxt: .max) }
            // Touch every postings list: they are verified when read.
            for name in try querier.labelNames(matchers: [], mint: .min, maxt: .max) {
                _ = try querier.labelValues(name, matchers: all, mint: .min, maxt: .max)
                for value in try querier.labelValues(name, matchers: [], mint: .min, maxt: .max) {
                    _ = try querier.select([BlockFixtures.matcher(.equal, name, value)], mint: .min, maxt: .max)
                }
            }
            return nil
        } catch {
            return error.kind
        }
    }

    func mutate(_ file: String, _ body: (inout Data) -> Void) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: file))
        body(&data)
        try data.write(to: URL(fileURLWithPath: file))
    }

    @Test func flippedIndexBytesAreDetected() async throws {
        try await offTheCooperativePool { try checkFlippedIndexBytesAreDetected() }
    }

    private func checkFlippedIndexBytesAreDetected() throws {
        let directory = BlockTestDirectory()
        let (path, _) = try makeBlock(directory)
        let index = path + "/index"
        let original = try Data(contentsOf: URL(fileURLWithPath: index))
        var undetected: [Int] = []
        for offset in stride(from: 0, to: original.count, by: max(1, original.count / 400)) {
            try mutate(index) { $0[offset] ^= 0x5A }
            let outcome = readEverything(path)
            if outcome == nil { undetected.append(offset) } else { #expect(outcome == .corruption, "offset \(offset)") }
            try original.write(to: URL(fileURLWithPath: index))
        }
        // Only the header's reserved bytes (5...7) are outside every checksum.
        #expect(undetected.allSatisfy { (5...7).contains($0) }, "undetected flips at \(undetected)")
        #expect(readEverything(path) == nil)
    }

    @Test func truncatedIndexFailsToOpen() throws {
        let directory = BlockTestDirectory()
        let (path, _) = try makeBlock(directory)
        let index = path + "/index"
        let original = try Data(contentsOf: URL(fileURLWithPath: index))
        for length in [0, 1, 7, 8, 20, original.count / 2, original.count - 45, original.count - 1] {
            try original.prefix(length).write(to: URL(fileURLWithPath: index))
            #expect(readEverything(path) == .corruption, "length \(length)")
        }
        try FileManager.default.removeItem(atPath: index)
        #expect(readEverything(path) == .io)
    }

    @Test func damagedChunksFailReadsCleanly() throws {
        let directory = BlockTestDirectory()
        let (path, _) = try makeBlock(directory)
        let segment = path + "/chunks/000001"
        let original = try Data(contentsOf: URL(fileURLWithPath: segment))
        var undetected: [Int] = []
        for offset in stride(from: 0, to: original.count, by: max(1, original.count / 300)) {
            try mutate(segment) { $0[offset] ^= 0x01 }
            let outcome = readEverything(path)
            if outcome == nil { undetected.append(offset) } else { #expect(outcome == .corruption, "offset \(offset)") }
            try original.write(to: URL(fileURLWithPath: segment))
        }
        #expect(undetected.allSatisfy { (5...7).contains($0) }, "undetected flips at \(undetected)")
        for length in [0, 4, 8, original.count / 3, original.count - 1] {
            try original.prefix(length).write(to: URL(fileURLWithPath: segment))
            #expect(readEverything(path) == .corruption, "length \(length)")
        }
        try original.write(to: URL(fileURLWithPath: segment))
        // Opening succeeds when only chunk bodies are damaged; the read that meets them fails.
        try mutate(segment) { $0[original.count - 2] ^= 0xFF }
        let block = try Block.open(path: path)
        #expect(throws: TSDBError.self) {
            for series in try block.querier().select([BlockFixtures.matcher(.regexMatch, "__name__", ".+")], mint: .min, maxt: .max) {
                _ = series.samples()
            }
        }
    }

    @Test func damagedMetaAndTombstones() throws {
        let directory = BlockTestDirectory()
        let (path, _) = try makeBlock(directory)
        let meta = path + "/meta.json"
        let original = try Data(contentsOf: URL(fileURLWithPath: meta))
        try Data("{\"ulid\": ".utf8).write(to: URL(fileURLWithPath: meta))
        #expect(readEverything(path) == .corruption)
        try original.write(to: URL(fileURLWithPath: meta))

        let tombstones = path + "/tombstones"
        try mutate(tombstones) { $0[9] ^= 0x10 }
        #expect(readEverything(path) == .corruption)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: tombstones))
        #expect(readEverything(path) == .corruption)
        try FileManager.default.removeItem(atPath: tombstones)
        #expect(readEverything(path) == nil)

        // A missing chunk segment is caught when the index points into it.
        try FileManager.default.removeItem(atPath: path + "/chunks/000001")
        #expect(readEverything(path) == .corruption)
        try FileManager.default.removeItem(atPath: meta)
        #expect(readEverything(path) == .corruption)
    }

    @Test func randomGarbageNeverCrashes() throws {
        let directory = BlockTestDirectory()
        let (path, _) = try makeBlock(directory, seed: 12)
        let index = path + "/index"
        let original = try Data(contentsOf: URL(fileURLWithPath: index))
        var random = BlockTestRandom(seed: 99)
        for _ in 0..<200 {
            try mutate(index) { data in
                for _ in 0..<(1 + Int(random.next() % 8)) {
                    data[Int(random.next() % UInt64(data.count))] = UInt8(truncatingIfNeeded: random.next())
                }
            }
            let outcome = readEverything(path)
            #expect(outcome == nil || outcome == .corruption)
            try original.write(to: URL(fileURLWithPath: index))
        }
    }
}
