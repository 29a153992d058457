import Testing
import VigilTestSupport
@testable import VigilTSDB

/// The compact decoder reads a peek at a time and fuses sequences into samples; these tests hold
/// it to a decoder that reads the format (`docs/formats/chunks.md`, encoding 2) one bit at a
/// time, on encoder output and on damaged and mutated bytes.
@Suite("Compact decoder against a bit-by-bit reference")
struct CompactDecoderReferenceTests {
    @Test func encodedChunksDecodeAsTheReferenceDoes() {
        var random = SplitMix64(seed: 21)
        for round in 0..<400 {
            let samples = Self.randomSamples(&random)
            let bytes = CompactChunk(samples: samples).bytes
            let reference = ReferenceCompactDecoder.decode(bytes)
            #expect(reference?.times == samples.map(\.timestamp), "round \(round)")
            #expect(Self.decode(bytes) == reference.map(Self.bits), "round \(round)")
        }
    }

    /// Flipped bits, cut and grown chunks: the fast decoder fails exactly when the reference
    /// fails, and otherwise returns the same samples, bit for bit.
    @Test func mutatedChunksDecodeAsTheReferenceDoes() {
        var random = SplitMix64(seed: 22)
        for round in 0..<3000 {
            var bytes = CompactChunk(samples: Self.randomSamples(&random)).bytes
            switch random.next() % 4 {
            case 0:
                bytes.removeLast(Int(random.next() % UInt64(bytes.count)))
            case 1:
                bytes += (0..<Int(random.next() % 9)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            default:
                for _ in 0...(random.next() % 3) {
                    let bit = Int(random.next() % UInt64(bytes.count * 8))
                    bytes[bit / 8] ^= 0x80 >> UInt8(bit % 8)
                }
            }
            let reference = ReferenceCompactDecoder.decode(bytes).map(Self.bits)
            #expect(Self.decode(bytes) == reference, "round \(round): \(bytes)")
        }
    }

    /// Decoding appends after samples already in the arrays and leaves them alone on failure.
    @Test func decodingAppendsAndRollsBack() {
        let samples = (0..<200).map { (timestamp: Int64($0) * 15_000, value: Double($0 % 7)) }
        let bytes = CompactChunk(samples: samples).bytes
        var times: [Int64] = [-1]
        var values: [Double] = [-1]
        #expect(CompactCodec.decode(bytes, into: &times, &values))
        #expect(times == [-1] + samples.map(\.timestamp))
        #expect(values == [-1] + samples.map(\.value))
        #expect(!CompactCodec.decode(Array(bytes.dropLast(3)), into: &times, &values))
        #expect(times.count == 201 && values.count == 201)
    }

    struct Decoded: Equatable {
        var times: [Int64]
        var values: [UInt64]
    }

    static func bits(_ decoded: (times: [Int64], values: [Double])) -> Decoded {
        Decoded(times: decoded.times, values: decoded.values.map(\.bitPattern))
    }

    static func decode(_ bytes: [UInt8]) -> Decoded? {
        var times: [Int64] = []
        var values: [Double] = []
        guard CompactCodec.decode(bytes, into: &times, &values) else { return nil }
        return bits((times, values))
    }

    /// Series of every shape the encoder distinguishes: constants, integer and decimal counters
    /// (delta and delta-of-delta modes), random floats (XOR mode), long zero runs, jitter and
    /// gaps in time, and lengths from 1 to 600.
    static func randomSamples(_ random: inout SplitMix64) -> [(timestamp: Int64, value: Double)] {
        let count = [1, 2, 3, 120, 480, 600][Int(random.next() % 6)] - Int(random.next() % 2)
        let shape = random.next() % 6
        var t = Int64(random.next() % 2_000_000_000_000) - 1_000_000_000_000
        var value = Double(random.next() % 10_000)
        var step = 0.0
        var samples: [(timestamp: Int64, value: Double)] = []
        for _ in 0..<max(count, 1) {
            samples.append((t, value))
            switch random.next() % 10 {
            case 0: t += Int64(random.next() % 100_000) + 1
            case 1: t += 15_000 + Int64(random.next() % 5) - 2
            default: t += 15_000
            }
            switch shape {
            case 0: break
            case 1: if random.next() % 2 == 0 { value += Double(random.next() % 20_000) }
            case 2: value = Double(Int64(value * 100) + Int64(random.next() % 1_500)) / 100
            case 3:
                if random.next() % 8 == 0 { step += Double(random.next() % 7) - 3 }
                value += step
            case 4: value = Double(bitPattern: random.next() >> 2)
            default: value = random.next() % 3 == 0 ? Double(random.next() % 1_000_000) * 4096 : value
            }
        }
        return samples
    }
}

/// A compact chunk decoder written for clarity, not speed: every field is read bit by bit.
enum ReferenceCompactDecoder {
    struct Bits {
        let bytes: [UInt8]
        var position = 0
        var overrun = false

        mutating func bit() -> UInt64 {
            guard position < bytes.count * 8 else {
                overrun = true
                position += 1
                return 0
            }
            defer { position += 1 }
            return UInt64(bytes[position / 8] >> UInt8(7 - position % 8) & 1)
        }

        mutating func bits(_ count: Int) -> UInt64 {
            var result: UInt64 = 0
            for _ in 0..<count { result = result << 1 | bit() }
            return result
        }

        mutating func uvarint() -> UInt64? {
            var result: UInt64 = 0
            for index in 0..<10 {
                let byte = bits(8)
                if overrun { return nil }
                if byte < 0x80 {
                    if index == 9 && byte > 1 { return nil }
                    return result | byte << UInt64(7 * index)
                }
                result |= (byte & 0x7f) << UInt64(7 * index)
            }
            return nil
        }

        mutating func varint() -> Int64? {
            guard let raw = uvarint() else { return nil }
            return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
        }

        mutating func sequence(_ count: Int) -> [Int64]? {
            let width = Int(bits(7))
            let signed = bit() == 1
            guard width <= 64 else { return nil }
            var elements: [Int64] = []
            while elements.count < count {
                if overrun { return nil }
                if bit() == 0 {
                    var zeros = 0
                    while bit() == 0 {
                        zeros += 1
                        if zeros >= 17 || overrun { return nil }
                    }
                    let run = Int(1 << UInt64(zeros) | bits(zeros))
                    if run > count - elements.count { return nil }
                    elements += Array(repeating: 0, count: run)
                    continue
                }
                var payload = bits(width)
                if width == 64 ? payload == .max : payload == (1 << UInt64(width)) - 1 {
                    let length = Int(bits(7))
                    if length > 64 { return nil }
                    payload = bits(length)
                }
                let code = payload &+ 1
                elements.append(signed ? Int64(bitPattern: code >> 1) ^ -Int64(bitPattern: code & 1) : Int64(bitPattern: code))
            }
            return elements
        }
    }

    static func decode(_ bytes: [UInt8]) -> (times: [Int64], values: [Double])? {
        var reader = Bits(bytes: bytes)
        let count = Int(reader.bits(16))
        if reader.overrun { return nil }
        if count == 0 { return ([], []) }
        guard let start = reader.varint() else { return nil }
        var interval: Int64 = 0
        if count >= 2 {
            guard let common = reader.uvarint() else { return nil }
            interval = Int64(bitPattern: common)
        }
        let mode = reader.bits(8)
        guard mode <= 2 else { return nil }
        var exponent = 0
        var factor: Int64 = 1
        var integer: Int64 = 0
        if mode != 0 {
            exponent = Int(reader.bits(8))
            guard exponent <= 9, let rawFactor = reader.uvarint(), let first = reader.varint(),
                  rawFactor >= 1, rawFactor <= UInt64(Int64.max) else { return nil }
            factor = Int64(rawFactor)
            integer = first
        }
        var times = [start]
        if count >= 2 {
            guard let residuals = reader.sequence(count - 1) else { return nil }
            for residual in residuals { times.append(times.last! &+ interval &+ residual) }
        }
        func scaled(_ integer: Int64) -> Double {
            exponent == 0 ? Double(integer) : Double(integer) / [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9][exponent]
        }
        var values: [Double] = []
        if mode == 0 {
            var bits = reader.bits(64)
            values.append(Double(bitPattern: bits))
            var leading = 0
            var trailing = 0
            for _ in 1..<count {
                if reader.overrun { return nil }
                if reader.bit() == 1 {
                    if reader.bit() == 1 {
                        leading = Int(reader.bits(5))
                        var significant = Int(reader.bits(6))
                        if significant == 0 { significant = 64 }
                        if leading + significant > 64 { return nil }
                        trailing = 64 - leading - significant
                    }
                    bits ^= reader.bits(64 - leading - trailing) << UInt64(trailing)
                }
                values.append(Double(bitPattern: bits))
            }
        } else {
            values.append(scaled(integer))
            if count >= 2 {
                guard let elements = reader.sequence(count - 1) else { return nil }
                var difference: Int64 = 0
                for element in elements {
                    difference = mode == 2 ? difference &+ element &* factor : element &* factor
                    integer &+= difference
                    values.append(scaled(integer))
                }
            }
        }
        return reader.overrun ? nil : (times, values)
    }
}
