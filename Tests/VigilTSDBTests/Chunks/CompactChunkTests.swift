import Testing
import VigilTestSupport
import VigilModel
@testable import VigilTSDB

@Suite("Compact chunk")
struct CompactChunkTests {
    @Test func constantSeriesAtExactIntervalsIsTiny() {
        let samples = (0..<120).map { (timestamp: 1_700_000_000_000 + Int64($0) * 15_000, value: 1.0) }
        let chunk = CompactChunk(samples: samples)
        #expect(roundTrip(samples, chunk))
        #expect(chunk.bytes.count < 24)
    }

    @Test func picksDecimalScaledIntegers() {
        let samples = (0..<120).map { (index: Int) -> (timestamp: Int64, value: Double) in
            (Int64(index) * 15_000, Double(1_234_567 + index * 1_503) / 100)
        }
        let chunk = CompactChunk(samples: samples)
        #expect(roundTrip(samples, chunk))
        // Header: count, t0, interval, then the value mode byte.
        #expect(chunk.bytes[5] == CompactCodec.ValueMode.deltaOfDelta.rawValue)
        #expect(chunk.bytes.count < XORChunk(samples: samples).bytes.count / 3)
    }

    @Test func specialValuesFallBackToXOR() {
        let values: [Double] = [.nan, StaleNaN.value, .infinity, -.infinity, -0.0, 0.0, .greatestFiniteMagnitude,
                                .leastNonzeroMagnitude, -1e-300, Double(bitPattern: 0x7ff8_0000_0000_0001), 0.1 + 0.2]
        let samples = values.enumerated().map { (timestamp: Int64($0.offset) * 15_000 - 7, value: $0.element) }
        #expect(roundTrip(samples, CompactChunk(samples: samples)))
        #expect(CompactCodec.decimalScaled([0.1 + 0.2]) == nil)
        #expect(CompactCodec.decimalScaled([-0.0]) == nil)
        #expect(CompactCodec.decimalScaled([0.3, 12.25])?.exponent == 2)
    }

    @Test func randomRoundTrips() {
        var rng = SplitMix64(seed: 5)
        for round in 0..<300 {
            var t = Int64(bitPattern: rng.next()) >> Int64(rng.next() % 64)
            if t > Int64.max / 2 { t /= 2 }
            var value = Double(rng.next() % 1000) / [1, 10, 100, 1000][Int(rng.next() % 4)]
            var samples: [(timestamp: Int64, value: Double)] = []
            for _ in 0..<(Int(rng.next() % 300) + 1) {
                samples.append((t, value))
                switch rng.next() % 10 {
                case 0: value = Double(bitPattern: rng.next())
                case 1: value = -Double(rng.next() % 100_000) / 100
                case 2, 3, 4: value += Double(rng.next() % 1500) / 100
                case 5: value = Double(rng.next() % (1 << 52))
                default: break
                }
                let step: Int64
                switch rng.next() % 8 {
                case 0: step = Int64(rng.next() % (1 << 40)) + 1
                case 1: step = 15_000 + Int64(rng.next() % 5) - 2
                default: step = 15_000
                }
                guard t < Int64.max / 2 else { break }
                t += step
            }
            #expect(roundTrip(samples, CompactChunk(samples: samples)), "round \(round)")
        }
    }

    @Test func compactingKeepsXORWhenNotSmaller() throws {
        let random = (0..<5).map { (timestamp: Int64($0) * 15_000, value: Double(bitPattern: 0x4000_0000_0000_0000 | UInt64($0) * 0x0123_4567_89ab)) }
        let small = XORChunk(samples: random)
        if let compact = CompactChunk.compacting(small) {
            #expect(compact.bytes.count < small.bytes.count)
            #expect(roundTrip(random, compact))
        }
        let counter = (0..<120).map { (timestamp: Int64($0) * 15_000, value: Double($0 * 37)) }
        let compact = try #require(CompactChunk.compacting(XORChunk(samples: counter)))
        #expect(roundTrip(counter, compact))
        #expect(compact.xorChunk() == XORChunk(samples: counter))
        #expect(try CompactChunk(bytes: compact.bytes) == compact)
    }

    @Test func damagedBytesAreCorruption() {
        let samples = (0..<50).map { (index: Int) -> (timestamp: Int64, value: Double) in
            (Int64(index) * 15_000 + Int64(index % 3), Double(index) * 1.5)
        }
        let chunk = CompactChunk(samples: samples)
        for cut in 1..<chunk.bytes.count {
            let bytes = Array(chunk.bytes.dropLast(cut))
            #expect(throws: TSDBError.self) { try CompactChunk(bytes: bytes) }
            var iterator = CompactChunk(bytes: bytes, minTime: 0, maxTime: 0).makeIterator()
            #expect(!iterator.next() && iterator.failed)
        }
    }

    private func roundTrip(_ samples: [(timestamp: Int64, value: Double)], _ chunk: CompactChunk) -> Bool {
        guard chunk.count == samples.count else { return false }
        var iterator = chunk.makeIterator()
        for sample in samples {
            guard iterator.next(), iterator.timestamp == sample.timestamp,
                  iterator.value.bitPattern == sample.value.bitPattern else { return false }
        }
        guard !iterator.next(), !iterator.failed else { return false }
        var seeker = chunk.makeIterator()
        let middle = samples[samples.count / 2].timestamp
        guard seeker.seek(to: middle), seeker.timestamp == middle else { return false }
        return chunk.minTime == samples.first!.timestamp && chunk.maxTime == samples.last!.timestamp
    }
}

@Suite("Compact codec width choice")
struct CompactCodecWidthTests {
    /// The O(n) width choice picks what trying every width token by token would.
    @Test func cheapestWidthMatchesBruteForce() {
        var random = SplitMix64(seed: 3)
        for trial in 0..<3000 {
            let count = Int(random.next() % 130)
            let maxBits = Int(random.next() % 65)
            let codes: [UInt64] = (0..<count).map { _ in
                switch random.next() % 5 {
                case 0: return 0
                case 1:
                    // A payload of all ones (the escape of its own width).
                    let length = Int(random.next() % 65)
                    return length == 64 ? UInt64.max : UInt64(1) << UInt64(length)
                default: return maxBits == 0 ? 1 : (random.next() >> UInt64(64 - maxBits)) &+ 1
                }
            }
            var bestWidth = 0
            var bestCost = Int.max
            for width in 0...64 {
                var cost = 0
                for code in codes where code != 0 { cost &+= CompactCodec.tokenCost(code &- 1, width: width) }
                if cost < bestCost {
                    bestCost = cost
                    bestWidth = width
                }
            }
            #expect(CompactCodec.cheapestWidth(codes) == bestWidth, "trial \(trial)")
        }
    }

    /// seek after the chunk is decoded binary-searches; it must agree with a linear scan.
    @Test func seekMatchesLinearScan() {
        var random = SplitMix64(seed: 8)
        var t: Int64 = 1_000
        let samples = (0..<480).map { _ -> (timestamp: Int64, value: Double) in
            t += 15_000 + Int64(random.next() % 5) - 2
            return (t, Double(random.next() % 100))
        }
        let chunk = CompactChunk(samples: samples)
        for _ in 0..<200 {
            var iterator = chunk.makeIterator()
            let steps = Int(random.next() % 3)
            for _ in 0..<steps { _ = iterator.next() }
            let target = 1_000 + Int64(random.next() % 7_300_000)
            let floor = steps == 0 ? Int64.min : samples[steps - 1].timestamp
            let want = samples.first { $0.timestamp >= max(target, floor) }
            #expect(iterator.seek(to: target) == (want != nil))
            if let want { #expect(iterator.timestamp == want.timestamp) }
        }
    }
}
