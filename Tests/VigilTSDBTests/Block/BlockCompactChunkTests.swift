import Foundation
import Testing
import VigilTestSupport
import VigilModel
@testable import VigilTSDB

/// Blocks holding compact chunks (encoding 2) beside XOR ones.
@Suite struct BlockCompactChunkTests {
    let mint: Int64 = 1_700_000_000_000 - 1_700_000_000_000 % 7_200_000
    var maxt: Int64 { mint + 7_200_000 }
    let all = [BlockFixtures.matcher(.regexMatch, "__name__", ".+")]

    /// Random series meant to exercise both encodings: exact or jittered timestamps; constants,
    /// integer counters, 2-decimal counters, values that are not decimal-scaled (`0.1 + 0.2`,
    /// random bits), and in some series NaN, the stale marker, ±Inf and -0; a few sparse series.
    static func mixedStore(seed: UInt64, seriesCount: Int, mint: Int64, maxt: Int64) -> BlockReferenceStore {
        var random = BlockTestRandom(seed: seed)
        var store = BlockReferenceStore()
        var made = 0
        while made < seriesCount {
            let labels = BlockFixtures.newLabels(&random, notIn: store)
            made += 1
            let jittered = random.next() % 2 == 0
            let specials = random.next() % 3 == 0
            // A few samples only: the compact form is not smaller, so the chunk stays XOR.
            let sparse = random.next() % 10 == 0
            let kind = random.next() % 6
            var integer = Int64(random.next() % 1_000_000)
            var value = 0.0
            var samples: [BlockSample] = []
            var t = mint + Int64(random.next() % 15_000)
            while t < maxt {
                switch kind {
                case 0: value = 1
                case 1: integer += Int64(random.next() % 3 == 0 ? random.next() % 50_000 : 0); value = Double(integer)
                case 2: integer += Int64(random.next() % 1500); value = Double(integer) / 100
                case 3: value = Double(random.next() % 10) * 0.1 + 0.2
                case 4: value = Double(bitPattern: random.next() >> 2)
                default: value = -Double(random.next() % 5) * 1024
                }
                if specials {
                    switch random.next() % 40 {
                    case 0: value = .nan
                    case 1: value = Double(bitPattern: 0x7FF0_0000_0000_0002)
                    case 2: value = .infinity
                    case 3: value = -.infinity
                    case 4: value = -0.0
                    default: break
                    }
                }
                samples.append((t, value))
                t += sparse ? 2_500_000 : 15_000 + (jittered && random.next() % 4 == 0 ? Int64(random.next() % 5) - 2 : 0)
            }
            store.add(labels, samples)
        }
        return store
    }

    func encodings(_ block: Block) throws -> (xor: Int, compact: Int) {
        var counts = (xor: 0, compact: 0)
        for series in try block.allSeries() {
            for chunk in series.chunks {
                if case .compact = chunk { counts.compact += 1 } else { counts.xor += 1 }
            }
        }
        return counts
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func compactBlocksReadBackIdentically(seed: UInt64) async throws {
        try await offTheCooperativePool { try checkCompactBlocksReadBackIdentically(seed: seed) }
    }

    private func checkCompactBlocksReadBackIdentically(seed: UInt64) throws {
        let directory = BlockTestDirectory()
        let store = Self.mixedStore(seed: seed, seriesCount: 200, mint: mint, maxt: maxt)
        let series = store.chunked()
        let meta = try BlockWriter.write(directory: directory.path, mint: mint, maxt: maxt, series: series, compactChunks: true)
        #expect(meta.stats.numSamples == store.series.values.reduce(0) { $0 + $1.count })
        #expect(meta.stats.numChunks == series.reduce(0) { $0 + $1.chunks.count })
        let block = try Block.open(path: directory.path + "/\(meta.ulid)")
        let (xor, compact) = try encodings(block)
        #expect(xor > 0 && compact > 0, "both encodings in the block: \(xor) XOR, \(compact) compact")
        try BlockRoundTripTests().checkQueries(block.querier(), store, seed: seed)
        // Every chunk decodes to the samples of its XOR original, bit for bit.
        let stored = try block.allSeries()
        #expect(stored.map(\.labels) == series.map(\.labels))
        for (entry, original) in zip(stored, series) {
            #expect(entry.chunks.map(\.minTime) == original.chunks.map(\.minTime))
            for (chunk, xorChunk) in zip(entry.chunks, original.chunks) {
                var times: [Int64] = [], values: [Double] = []
                var wantTimes: [Int64] = [], wantValues: [Double] = []
                #expect(chunk.decodeAll(into: &times, &values))
                xorChunk.decodeAll(into: &wantTimes, &wantValues)
                #expect(times == wantTimes && values.map(\.bitPattern) == wantValues.map(\.bitPattern))
                #expect(chunk.xorChunk()?.bytes == xorChunk.bytes)
                #expect(chunk.bytes.count <= xorChunk.bytes.count)
            }
        }
        // The same data as plain XOR takes more room.
        let plain = try BlockWriter.write(directory: directory.path, mint: mint, maxt: maxt, series: series)
        let plainBlock = try Block.open(path: directory.path + "/\(plain.ulid)")
        #expect(try encodings(plainBlock).compact == 0)
        #expect(plainBlock.size > block.size)
    }

    @Test func seekAndShortRangesInCompactChunks() async throws {
        try await offTheCooperativePool { try checkSeekAndShortRangesInCompactChunks() }
    }

    private func checkSeekAndShortRangesInCompactChunks() throws {
        let directory = BlockTestDirectory()
        let store = Self.mixedStore(seed: 9, seriesCount: 40, mint: mint, maxt: maxt)
        let meta = try BlockWriter.write(directory: directory.path, mint: mint, maxt: maxt, series: store.chunked(perChunk: 480), compactChunks: true)
        let block = try Block.open(path: directory.path + "/\(meta.ulid)")
        var random = BlockTestRandom(seed: 5)
        for _ in 0..<50 {
            let lo = mint + Int64(random.next() % 7_200_000)
            let hi = lo + Int64(random.next() % 600_000)
            let got = try block.querier().select(all, mint: lo, maxt: hi)
            let want = store.select(all, mint: lo, maxt: hi)
            #expect(got.map(\.labels) == want.map(\.0))
            for (series, expected) in zip(got, want) {
                #expect(BlockFixtures.bitEqual(series.samples(), expected.1))
                // seek lands on the first sample at or after the target.
                let target = lo + Int64(random.next() % UInt64(hi - lo + 1))
                var iterator = series.makeIterator()
                let first = expected.1.first { $0.timestamp >= target }
                #expect(iterator.seek(to: target) == (first != nil))
                if let first { #expect(iterator.timestamp == first.timestamp && iterator.value.bitPattern == first.value.bitPattern) }
            }
        }
    }

    /// The byte range of the first compact chunk record in the block's first segment.
    func firstCompactRecord(_ block: Block) throws -> (offset: Int, dataStart: Int, end: Int) {
        for series in try block.allSeries().indices {
            for meta in try block.index.series(SeriesRef(series)).chunks {
                guard case .compact(let chunk) = try block.chunks.chunk(ref: meta.ref, minTime: meta.minTime, maxTime: meta.maxTime),
                      meta.ref >> 32 == 1 else { continue }
                let offset = Int(meta.ref & 0xFFFF_FFFF)
                var lengthBytes = 1
                var length = chunk.bytes.count
                while length >= 0x80 { length >>= 7; lengthBytes += 1 }
                return (offset, offset + lengthBytes + 1, offset + lengthBytes + 1 + chunk.bytes.count + 4)
            }
        }
        throw TSDBError(.corruption, "no compact chunk")
    }

    func readAll(_ path: String) -> TSDBError.Kind? {
        do {
            let block = try Block.open(path: path)
            for series in try block.querier().select(all, mint: .min, maxt: .max) { _ = series.samples() }
            _ = try block.allSeries()
            return nil
        } catch {
            return error.kind
        }
    }

    @Test func damagedCompactChunkRecordsAreCorruption() async throws {
        try await offTheCooperativePool { try checkDamagedCompactChunkRecordsAreCorruption() }
    }

    private func checkDamagedCompactChunkRecordsAreCorruption() throws {
        let directory = BlockTestDirectory()
        let store = Self.mixedStore(seed: 4, seriesCount: 30, mint: mint, maxt: maxt)
        let meta = try BlockWriter.write(directory: directory.path, mint: mint, maxt: maxt, series: store.chunked(), compactChunks: true)
        let path = directory.path + "/\(meta.ulid)"
        let segment = URL(fileURLWithPath: path + "/chunks/000001")
        let record = try firstCompactRecord(try Block.open(path: path))
        let original = try Data(contentsOf: segment)
        #expect(original[record.dataStart - 1] == BlockChunkEncoding.compact)
        #expect(readAll(path) == nil)
        // Every bit of the record (length, encoding, data, CRC) is covered.
        for offset in record.offset..<record.end {
            for bit in [0, 3, 7] as [UInt8] {
                var damaged = original
                damaged[offset] ^= 1 << bit
                try damaged.write(to: segment)
                #expect(readAll(path) == .corruption, "byte \(offset - record.offset) bit \(bit)")
            }
        }
        // An unknown encoding with a valid CRC is rejected by name.
        var unknown = original
        unknown[record.dataStart - 1] = 3
        let crc = CRC32C.checksum(unknown[(record.dataStart - 1)..<(record.end - 4)])
        for index in 0..<4 { unknown[record.end - 4 + index] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * UInt32(index))) }
        try unknown.write(to: segment)
        do {
            let block = try Block.open(path: path)
            _ = try block.allSeries()
            Issue.record("unknown encoding accepted")
        } catch {
            #expect(error.kind == .corruption && "\(error)".contains("unknown chunk encoding 3"), "\(error)")
        }
        try original.write(to: segment)
        #expect(readAll(path) == nil)
    }
}
