import Testing
import VigilModel
import VigilTestSupport
import VigilTSDB

@Suite("StoredSeries batch decode")
struct StoredSeriesDecodeTests {
    /// Random chunks: runs at 15 s with jitter; some layouts overlap, some chunks are compact.
    static func randomChunks(_ rng: inout SplitMix64, overlapping: Bool) -> [StoredChunk] {
        var chunks: [StoredChunk] = []
        var t: Int64 = Int64.random(in: 0...100_000, using: &rng)
        for _ in 0..<Int.random(in: 0...5, using: &rng) {
            var samples: [(timestamp: Int64, value: Double)] = []
            if overlapping && Bool.random(using: &rng) { t -= Int64.random(in: 0...200_000, using: &rng) }
            for _ in 0..<Int.random(in: 1...150, using: &rng) {
                t += 15_000 + Int64.random(in: -2...2, using: &rng)
                let value: Double = Bool.random(using: &rng) ? Double(Int.random(in: 0...1000, using: &rng)) : StaleNaN.value
                samples.append((t, value))
            }
            let xor = XORChunk(samples: samples)
            chunks.append(Bool.random(using: &rng) ? StoredChunk.smallest(xor) : .xor(xor))
        }
        return chunks.shuffled(using: &rng)
    }

    @Test("decode(into:) yields exactly what the iterator yields")
    func batchEqualsIterator() {
        var rng = SplitMix64(seed: 11)
        for round in 0..<400 {
            let overlapping = round % 3 == 0
            let chunks = Self.randomChunks(&rng, overlapping: overlapping)
            let deleted: [ClosedRange<Int64>] = round % 5 == 0 ? [300_000...400_000, 900_000...950_000] : []
            let mint = Bool.random(using: &rng) ? Int64.min : Int64.random(in: 0...1_000_000, using: &rng)
            let maxt = Bool.random(using: &rng) ? Int64.max : mint &+ Int64.random(in: 0...3_000_000, using: &rng)
            let series = StoredSeries(labels: ["a": "b"], chunks: chunks, deleted: deleted, mint: mint, maxt: maxt)
            var expectedTimes: [Int64] = []
            var expectedValues: [UInt64] = []
            var iterator = series.makeIterator()
            while iterator.next() {
                expectedTimes.append(iterator.timestamp)
                expectedValues.append(iterator.value.bitPattern)
            }
            var times: [Int64] = [42]
            var values: [Double] = [1]
            series.decode(into: &times, &values)
            let gotValues = values.dropFirst().map(\.bitPattern)
            #expect(times.first == 42, "round \(round): the arrays' earlier content is kept")
            #expect(Array(times.dropFirst()) == expectedTimes, "round \(round)")
            #expect(gotValues == expectedValues, "round \(round)")
        }
    }
}
