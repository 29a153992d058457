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

