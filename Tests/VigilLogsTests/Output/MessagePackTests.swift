import Testing
import VigilTestSupport
@testable import VigilLogs

@Suite struct MessagePackTests {
    static func random(_ generator: inout SplitMix64, depth: Int = 0) -> MessagePack.Value {
        let kind = Int.random(in: 0..<(depth > 3 ? 8 : 10), using: &generator)
        func bytes(_ limit: Int) -> [UInt8] {
            let sizes = [0, 1, 31, 32, 255, 256, 70_000]
            let count = min(limit, sizes.randomElement(using: &generator)!)
            return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
        switch kind {
        case 0: return .nil_
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .int(-Int64.random(in: 1...Int64.max, using: &generator) >> Int64.random(in: 0...63, using: &generator))
        case 3: return .uint(UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0...63, using: &generator))
        case 4: return .float(Double.random(in: -1e9...1e9, using: &generator))
        case 5: return .string(bytes(70_000))
        case 6: return .binary(bytes(70_000))
        case 7: return .ext(type: Int8.random(in: -128...127, using: &generator), data: bytes(300))
        case 8: return .array((0..<[0, 3, 16, 17].randomElement(using: &generator)!).map { _ in random(&generator, depth: depth + 1) })
        default:
            return .map((0..<[0, 2, 15, 16].randomElement(using: &generator)!).map { _ in
                (random(&generator, depth: depth + 1), random(&generator, depth: depth + 1))
            })
        }
    }

    /// Positive integers written as `.int` read back as `.uint`, as the format does not tell them apart.
    static func normalized(_ value: MessagePack.Value) -> MessagePack.Value {
        switch value {
        case .int(let number) where number >= 0: .uint(UInt64(number))
        case .array(let elements): .array(elements.map(normalized))
        case .map(let pairs): .map(pairs.map { (normalized($0.0), normalized($0.1)) })
        default: value
        }
    }

    @Test func roundTripsEveryType() async throws {
        try await offTheCooperativePool { try checkRoundTripsEveryType() }
    }

    private func checkRoundTripsEveryType() throws {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let value = Self.random(&generator)
            var writer = MessagePack.Writer()
            writer.write(value)
            var reader = MessagePack.Reader(writer.bytes)
            #expect(try reader.read() == Self.normalized(value))
            #expect(reader.atEnd)
        }
    }

    @Test func knownEncodings() {
        var writer = MessagePack.Writer()
        writer.write(Int64(-33))
        writer.write(UInt64(256))
        writer.writeString("ab")
        writer.writeExt(type: 0, [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(writer.bytes == [0xd0, 0xdf, 0xcd, 0x01, 0x00, 0xa2, 0x61, 0x62, 0xd7, 0x00, 1, 2, 3, 4, 5, 6, 7, 8])
    }

    @Test func fuzzedInputNeverCrashesOrOverAllocates() {
        var generator = SplitMix64(seed: 99)
        for round in 0..<5000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                var writer = MessagePack.Writer()
                writer.write(Self.random(&generator, depth: 2))
                bytes = writer.bytes
                for _ in 0..<Int.random(in: 1...3, using: &generator) where !bytes.isEmpty {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
                if Bool.random(using: &generator) { bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator))) }
            }
            var reader = MessagePack.Reader(bytes)
            do {
                _ = try reader.read()
                #expect(reader.offset <= bytes.count)
            } catch let error as MessagePack.DecodeError {
                #expect(error.offset <= bytes.count)
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test func hostileLengthsAndNestingAreRefused() {
        var deep = [UInt8](repeating: 0x91, count: 10_000)
        deep.append(0xc0)
        var reader = MessagePack.Reader(deep)
        #expect(throws: MessagePack.DecodeError.self) { try reader.read() }
        var huge = MessagePack.Reader([0xdd, 0xff, 0xff, 0xff, 0xff])
        let error = #expect(throws: MessagePack.DecodeError.self) { try huge.read() }
        #expect(error?.truncated == true)
    }
}
