import Testing
import VigilModel
import VigilTestSupport
@testable import VigilTSDB

/// Two XOR chunks decoded in one loop (`XORChunk.decodeBoth`, used by range-query scans) must
/// give exactly what two `decodeAll` calls give, on whole and on damaged chunks.
@Suite("XOR chunk pairs decoded together")
struct XORPairDecodeTests {
    @Test func pairsDecodeAsTwoCallsWould() {
        var random = SplitMix64(seed: 31)
        for round in 0..<600 {
            let first = XORChunk(samples: Self.randomSamples(&random))
            let second = XORChunk(samples: Self.randomSamples(&random))
            let together = Self.together(first, second)
            #expect(together.intact, "round \(round)")
            #expect(together == Self.oneAfterTheOther(first, second), "round \(round)")
            #expect(together.times.count == 1 + first.count + second.count, "round \(round)")
        }
    }

    /// Cut and bit-flipped chunks: the same samples up to the damage and the same verdict.
    @Test func damagedPairsDecodeAsTwoCallsWould() {
        var random = SplitMix64(seed: 32)
        var damaged = 0
        for round in 0..<3000 {
            var chunks = [Self.randomSamples(&random), Self.randomSamples(&random)].map { XORChunk(samples: $0).bytes }
            let victim = Int(random.next() % 2)
            var bytes = chunks[victim]
            if random.next() % 2 == 0 {
                bytes.removeLast(Int(random.next() % UInt64(bytes.count - 1)))
            } else {
                for _ in 0...(random.next() % 3) {
                    let bit = 16 + Int(random.next() % UInt64(bytes.count * 8 - 16))
                    bytes[bit / 8] ^= 0x80 >> UInt8(bit % 8)
                }
            }
            chunks[victim] = bytes
            let first = XORChunk(bytes: chunks[0], minTime: 0, maxTime: 0)
            let second = XORChunk(bytes: chunks[1], minTime: 0, maxTime: 0)
            let together = Self.together(first, second)
            if !together.intact { damaged += 1 }
            #expect(together == Self.oneAfterTheOther(first, second), "round \(round): \(victim) \(bytes)")
        }
        #expect(damaged > 500)
    }

    /// A range scan over several chunks, cut at both ends, yields what the iterator yields.
    @Test func seriesScansMatchTheIterator() {
        var random = SplitMix64(seed: 33)
        for round in 0..<300 {
            var samples = Self.randomSamples(&random)
            let chunkCount = 1 + Int(random.next() % 5)
            for _ in 1..<chunkCount {
                let last = samples[samples.count - 1].timestamp
                samples += Self.randomSamples(&random).enumerated().map {
                    (timestamp: last + 1 + Int64($0.offset) * 15_000, value: $0.element.value)
                }
            }
            let size = max(1, samples.count / chunkCount)
            let chunks = stride(from: 0, to: samples.count, by: size).map {
                XORChunk(samples: samples[$0..<min($0 + size, samples.count)])
            }
            let first = samples[0].timestamp
            let last = samples[samples.count - 1].timestamp
            let span = UInt64(last - first + 1)
            let mint = first + Int64(random.next() % span) - Int64(random.next() % 2) * 1_000_000
            let maxt = mint + Int64(random.next() % span)
            let series = StoredSeries(labels: ["__name__": "m"], chunks: chunks.shuffled(using: &random), mint: mint, maxt: maxt)
            var times: [Int64] = [42]
            var values: [Double] = [42]
            series.decode(into: &times, &values)
            let expected = samples.filter { $0.timestamp >= mint && $0.timestamp <= maxt }
            #expect(times == [42] + expected.map(\.timestamp), "round \(round)")
            #expect(values.map(\.bitPattern) == [Double(42).bitPattern] + expected.map(\.value.bitPattern), "round \(round)")
        }
    }

    struct Decoded: Equatable {
        var times: [Int64]
        var values: [UInt64]
        var intact: Bool
    }

    static func together(_ first: XORChunk, _ second: XORChunk) -> Decoded {
        var times: [Int64] = [7]
        var values: [Double] = [7]
        let intact = XORChunk.decodeBoth(first, second, into: &times, &values)
        return Decoded(times: times, values: values.map(\.bitPattern), intact: intact)
    }

    static func oneAfterTheOther(_ first: XORChunk, _ second: XORChunk) -> Decoded {
        var times: [Int64] = [7]
        var values: [Double] = [7]
        let intact = first.decodeAll(into: &times, &values) && second.decodeAll(into: &times, &values)
        return Decoded(times: times, values: values.map(\.bitPattern), intact: intact)
    }

    /// Node-exporter-like series of every kind, with the rarer shapes XOR must handle: stale
    /// markers, NaN, values of all 64 bits and timestamp jumps of every delta-of-delta bucket.
    static func randomSamples(_ random: inout SplitMix64) -> [(timestamp: Int64, value: Double)] {
        let count = [1, 2, 3, 40, 120, 121, 240][Int(random.next() % 7)]
        let shape = random.next() % 7
        var t = Int64(random.next() % 2_000_000_000_000) - 1_000_000_000_000
        var value = Double(random.next() % 10_000)
        var samples: [(timestamp: Int64, value: Double)] = []
        for _ in 0..<count {
            samples.append((t, value))
            switch random.next() % 12 {
            case 0: t += Int64(random.next() % 100_000) + 1
            case 1: t += 15_000 + Int64(random.next() % 5) - 2
            case 2: t += Int64(random.next() % (1 << 40)) + 1
            default: t += 15_000
            }
            switch shape {
            case 0: break
            case 1: if random.next() % 2 == 0 { value += Double(random.next() % 20_000) }
            case 2: value = Double(Int64(value * 100) + Int64(random.next() % 1_500)) / 100
            case 3: value = random.next() % 3 == 0 ? Double(random.next() % 1_000_000) * 4096 : value
            case 4: value = Double(bitPattern: random.next())
            case 5: value = random.next() % 4 == 0 ? StaleNaN.value : Double(random.next() % 50)
            default: value = random.next() % 5 == 0 ? .nan : -value
            }
        }
        return samples
    }
}
