import Testing
import VigilTestSupport
import VigilModel
@testable import VigilTSDB

@Suite("XOR chunk")
struct XORChunkTests {
    // Derived by hand from tsdb/docs/format/chunks.md; see docs/formats/chunks.md.
    @Test func constantSeriesMatchesHandEncodedBytes() {
        let chunk = XORChunk(samples: [(timestamp: Int64(1000), value: 1.0), (2000, 1.0), (3000, 1.0)])
        #expect(chunk.bytes == [
            0x00, 0x03,                                      // 3 samples
            0xD0, 0x0F,                                      // varint(1000) = zigzag 2000
            0x3F, 0xF0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // 1.0
            0xE8, 0x07,                                      // uvarint(1000)
            0x00,                                            // v1 '0'; dod '0', v2 '0', padding
        ])
        #expect(chunk.minTime == 1000 && chunk.maxTime == 3000 && chunk.count == 3)
    }

    /// A closed chunk holds the same bytes as the appender's without its room to grow.
    @Test func closedChunksKeepNoSpareCapacity() {
        var appender = XORAppender()
        for step in 0..<120 { appender.append(Int64(step) * 15_000, 1) }
        let open = appender.chunk
        let closed = appender.closedChunk
        #expect(closed == open)
        #expect(open.bytes.capacity >= 192)
        #expect(closed.bytes.capacity < 64, "\(closed.bytes.count) bytes in a buffer of \(closed.bytes.capacity)")
    }

    @Test func dodBucketsAndLeadingTrailingWindows() {
        let chunk = XORChunk(samples: [(timestamp: Int64(0), value: 1.0), (15000, 2.0), (30010, 2.0), (30020, 3.0)])
        #expect(chunk.bytes == [
            0x00, 0x04,
            0x00,                                            // varint(0)
            0x3F, 0xF0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // 1.0
            0x98, 0x75,                                      // uvarint(15000)
            // '1' '1' leading=00001 sig=001011 bits=0x7FF
            0xC2, 0x5F, 0xFF,
            // dod=10: '10'+14 bits; value '0'; dod=-15000: '110'+17 bits;
            // 3.0^2.0: '1' '1' leading=01100 sig=000001 '1'; zero padding
            0x80, 0x0A, 0x6E, 0x2B, 0x46, 0xC0, 0x60,
        ])
        var iterator = chunk.makeIterator()
        var got: [Int64] = []
        while iterator.next() { got.append(iterator.timestamp) }
        #expect(got == [0, 15000, 30010, 30020])
        #expect(!iterator.failed)
    }

    @Test func bitRangeIsPrometheusAsymmetric() {
        #expect(XORAppender.fits(8192, 14))
        #expect(!XORAppender.fits(8193, 14))
        #expect(XORAppender.fits(-8191, 14))
        #expect(!XORAppender.fits(-8192, 14))
        // The boundary value must survive a round trip.
        let samples: [(timestamp: Int64, value: Double)] = [(0, 0), (10, 0), (10 + 10 + 8192, 0), (20 + 8192 + 10 + 8192 - 8191, 0)]
        #expect(roundTrip(samples))
    }

    @Test func negativeTimestampVarint() {
        let chunk = XORChunk(samples: [(timestamp: Int64(-1), value: 0.5)])
        #expect(Array(chunk.bytes.prefix(3)) == [0x00, 0x01, 0x01])
        #expect(roundTrip([(-1, 0.5), (-1 + Int64.max / 4, 1), (Int64.max / 2, 2)]))
    }

    @Test func specialValuesKeepTheirBits() {
        let values: [Double] = [.nan, StaleNaN.value, .infinity, -.infinity, -0.0, 0.0, .greatestFiniteMagnitude,
                                .leastNonzeroMagnitude, -1e-300, Double(bitPattern: 0x7ff8_0000_0000_0001)]
        let samples = values.enumerated().map { (timestamp: Int64($0.offset) * 15_000, value: $0.element) }
        #expect(roundTrip(samples))
    }

    @Test func randomRoundTrips() {
        var rng = SplitMix64(seed: 42)
        for round in 0..<400 {
            let count = Int(rng.next() % 300) + 1
            var t = Int64(bitPattern: rng.next()) >> Int64(rng.next() % 64)
            if t > Int64.max / 2 { t /= 2 }
            var samples: [(timestamp: Int64, value: Double)] = []
            var value = Double(rng.next() % 1000)
            for _ in 0..<count {
                switch rng.next() % 8 {
                case 0: value = Double(bitPattern: rng.next())
                case 1: value = [Double.nan, StaleNaN.value, .infinity, -.infinity, -0.0][Int(rng.next() % 5)]
                case 2, 3: value += Double(rng.next() % 100) / 10
                default: break
                }
                samples.append((t, value))
                let step: Int64
                switch (rng.next() % 6, round % 3) {
                case (0, _): step = Int64(rng.next() % (1 << 40)) + 1
                case (1, _): step = Int64(rng.next() % 100_000) + 1
                case (_, 0): step = 15_000
                default: step = 15_000 + Int64(rng.next() % 21) - 10
                }
                guard t < Int64.max / 2 else { break }
                t += step
            }
            #expect(roundTrip(samples), "round \(round)")
        }
    }

    @Test func seekAndContinue() throws {
        let samples = (0..<100).map { (timestamp: Int64($0) * 1000, value: Double($0)) }
        let chunk = XORChunk(samples: samples)
        var iterator = chunk.makeIterator()
        var found = iterator.seek(to: 5500)
        #expect(found)
        #expect(iterator.timestamp == 6000 && iterator.value == 6)
        found = iterator.seek(to: 100)  // already past: no effect
        #expect(found)
        #expect(iterator.timestamp == 6000)
        found = iterator.seek(to: 1_000_000)
        #expect(!found)

        var appender = XORAppender(continuing: XORChunk(samples: Array(samples.prefix(50))))
        for sample in samples.dropFirst(50) { appender.append(sample.timestamp, sample.value) }
        #expect(appender.chunk.bytes == chunk.bytes)
        #expect(try XORChunk(bytes: chunk.bytes) == chunk)
    }

    @Test func truncatedChunkIsCorruption() {
        let chunk = XORChunk(samples: (0..<50).map { (timestamp: Int64($0) * 7919, value: Double($0) * 1.5) })
        #expect(throws: TSDBError.self) { try XORChunk(bytes: Array(chunk.bytes.dropLast(3))) }
        #expect(throws: TSDBError.self) { try XORChunk(bytes: [0]) }
    }

    @Test func batchDecodersMatchTheIterator() {
        var rng = SplitMix64(seed: 9)
        for round in 0..<200 {
            var t = Int64(1_700_000_000_000)
            var value = Double(rng.next() % 1000)
            var samples: [(timestamp: Int64, value: Double)] = []
            for _ in 0..<(Int(rng.next() % 200) + 1) {
                samples.append((t, value))
                t += 15_000 + (rng.next() % 4 == 0 ? Int64(rng.next() % 5) - 2 : 0)
                if rng.next() % 7 == 0 { t += Int64(rng.next() % 1_000_000_000) }  // 64-bit dod bucket
                switch rng.next() % 5 {
                case 0: value = Double(bitPattern: rng.next())  // 58-64 significant bits
                case 1: value += Double(rng.next() % 1500) / 100
                default: break
                }
            }
            let chunk = XORChunk(samples: samples)
            var times: [Int64] = [-1]
            var values: [Double] = [-1]
            #expect(chunk.decodeAll(into: &times, &values), "round \(round)")
            #expect(times.dropFirst().elementsEqual(samples.map(\.timestamp)), "round \(round)")
            #expect(values.dropFirst().map(\.bitPattern) == samples.map(\.value.bitPattern), "round \(round)")
            var visited: [(Int64, UInt64)] = []
            #expect(chunk.forEachSample { visited.append(($0, $1.bitPattern)) })
            #expect(visited.elementsEqual(samples.map { ($0.timestamp, $0.value.bitPattern) }, by: ==))
            // Mixed: a few next() calls, then a partial buffer, then the rest.
            var iterator = chunk.makeIterator()
            var got: [Int64] = []
            for _ in 0..<3 where iterator.next() { got.append(iterator.timestamp) }
            var buffer = [Int64](repeating: 0, count: samples.count)
            var valueBuffer = [Double](repeating: 0, count: samples.count)
            let n = iterator.decode(into: &buffer, &valueBuffer, capacity: 5)
            got += buffer.prefix(n)
            _ = iterator.forEachRemaining { timestamp, _ in got.append(timestamp) }
            #expect(got == samples.map(\.timestamp), "round \(round)")
            #expect(!iterator.next() && !iterator.failed)
        }
    }

    @Test func damagedChunkStopsEveryDecoderAtTheSameSample() {
        var samples: [(timestamp: Int64, value: Double)] = []
        for index in 0..<60 {
            let jitter: Int64 = index % 3 == 0 ? 1 : 0
            samples.append((Int64(index) * 15_000 + jitter, Double(index) * 0.37))
        }
        let full = XORChunk(samples: samples)
        for cut in 1...12 {
            let bytes = Array(full.bytes.dropLast(cut))
            var iterator = XORIterator(bytes: bytes)
            var expected: [Int64] = []
            while iterator.next() { expected.append(iterator.timestamp) }
            #expect(iterator.failed, "cut \(cut)")
            #expect(expected == samples.prefix(expected.count).map(\.timestamp))
            let chunk = XORChunk(bytes: bytes, minTime: 0, maxTime: 0)
            var times: [Int64] = []
            var values: [Double] = []
            #expect(!chunk.decodeAll(into: &times, &values))
            #expect(times == expected && values.count == times.count, "cut \(cut)")
            var visited: [Int64] = []
            #expect(!chunk.forEachSample { t, _ in visited.append(t) })
            #expect(visited == expected)
            var seeker = XORIterator(bytes: bytes)
            let found = seeker.seek(to: Int64.max)
            #expect(!found && seeker.failed)
        }
    }

    /// The batch decoder skips end-of-chunk checks far from the end; on flipped bytes it must
    /// still deliver exactly what the sample-by-sample decoder does, and fail where it fails.
    @Test func flippedBytesDecodeTheSameInBatchAndOneByOne() {
        var rng = SplitMix64(seed: 23)
        var samples: [(timestamp: Int64, value: Double)] = []
        var value = 1.0
        for index in 0..<240 {
            samples.append((Int64(index) * 15_000 + Int64(rng.next() % 3), value))
            if rng.next() % 2 == 0 { value += Double(rng.next() % 5000) / 100 }
        }
        let original = XORChunk(samples: samples).bytes
        for round in 0..<400 {
            var bytes = original
            for _ in 0...(rng.next() % 3) {
                let position = 2 + Int(rng.next() % UInt64(bytes.count - 2))
                bytes[position] ^= UInt8(truncatingIfNeeded: 1 &+ rng.next() % 255)
            }
            var single = XORIterator(bytes: bytes)
            var expected: [(Int64, UInt64)] = []
            while single.next() { expected.append((single.timestamp, single.value.bitPattern)) }
            var batch = XORIterator(bytes: bytes)
            var times = [Int64](repeating: 0, count: batch.total)
            var values = [Double](repeating: 0, count: batch.total)
            let count = batch.decode(into: &times, &values, capacity: batch.total)
            let got = zip(times.prefix(count), values.prefix(count).map(\.bitPattern)).map { ($0, $1) }
            #expect(got.elementsEqual(expected, by: ==), "round \(round)")
            #expect(batch.failed == single.failed, "round \(round)")
        }
    }

    @Test func continuingAfterAWideWindowMatchesOneAppender() {
        let samples = (0..<40).map { (timestamp: Int64($0) * 1000, value: Double(bitPattern: 0x4000_0000_0000_0000 &+ UInt64($0) &* 0x0123_4567_89ab_cdef)) }
        let whole = XORChunk(samples: samples)
        for split in [1, 2, 3, 17] {
            var appender = XORAppender(continuing: XORChunk(samples: Array(samples.prefix(split))))
            for sample in samples.dropFirst(split) { appender.append(sample.timestamp, sample.value) }
            if split == 1 {
                // Like Prometheus's Appender(): after one sample the reader's 0/0 window is reused
                // (64 bits) where a fresh appender opens a window, so only the samples match.
                var times: [Int64] = []
                var values: [Double] = []
                #expect(appender.chunk.decodeAll(into: &times, &values))
                #expect(times == samples.map(\.timestamp) && values.map(\.bitPattern) == samples.map(\.value.bitPattern))
            } else {
                #expect(appender.chunk.bytes == whole.bytes, "split \(split)")
            }
        }
    }

    private func roundTrip(_ samples: [(timestamp: Int64, value: Double)]) -> Bool {
        let chunk = XORChunk(samples: samples)
        guard chunk.count == samples.count else { return false }
        var iterator = chunk.makeIterator()
        for sample in samples {
            guard iterator.next(), iterator.timestamp == sample.timestamp,
                  iterator.value.bitPattern == sample.value.bitPattern else { return false }
        }
        return !iterator.next() && !iterator.failed
            && chunk.minTime == samples.first!.timestamp && chunk.maxTime == samples.last!.timestamp
    }
}

