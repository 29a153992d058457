import Testing
import VigilTestSupport
@testable import VigilRemote

@Suite struct SnappyTests {
    func decompress(_ bytes: [UInt8], limit: Int = 1 << 20) throws(SnappyError) -> [UInt8] {
        try Snappy.decompress(bytes, maxDecodedLength: limit)
    }

    func expectError(_ bytes: [UInt8], limit: Int = 1 << 20, offset: Int, containing text: String) {
        do {
            let output = try decompress(bytes, limit: limit)
            Issue.record("expected an error, decoded \(output.count) bytes")
        } catch {
            #expect(error.byteOffset == offset, "\(error)")
            #expect(error.description.contains(text), "\(error)")
        }
    }

    // Vectors built by hand from format_description.txt.
    @Test func emptyBlock() throws {
        #expect(try decompress([0x00]) == [])
        #expect(Snappy.compress([]) == [0x00])
    }

    @Test func literalOnly() throws {
        // Length 5, then tag 0b000100_00 (literal of 4+1 bytes).
        #expect(try decompress([0x05, 0x10, 0x68, 0x65, 0x6C, 0x6C, 0x6F]) == Array("hello".utf8))
    }

    @Test func literalWithOneByteLength() throws {
        // Literal of 61 bytes: tag 60<<2, then length-1 = 60 in one byte.
        let payload = [UInt8](repeating: 0x41, count: 61)
        #expect(try decompress([61, 0xF0, 60] + payload) == payload)
    }

    @Test func literalWithTwoByteLength() throws {
        let payload = (0..<300).map { UInt8(truncatingIfNeeded: $0) }
        // 300 = 0xAC 0x02 as a varint; tag 61<<2 and 299 = 0x012B little-endian.
        #expect(try decompress([0xAC, 0x02, 0xF4, 0x2B, 0x01] + payload) == payload)
    }

    @Test func copyWithOneByteOffset() throws {
        // "abcd" then copy-1 of length 8 at offset 4: tag = (8-4)<<2 | 1 = 0x11, offset 0x04.
        let output = try decompress([12, 0x0C, 0x61, 0x62, 0x63, 0x64, 0x11, 0x04])
        #expect(output == Array("abcdabcdabcd".utf8))
    }

    @Test func overlappingCopyRepeatsThePattern() throws {
        // "a" then copy-2 of length 40 at offset 1: tag = (40-1)<<2 | 2 = 0x9E, offset 1, 0.
        let output = try decompress([41, 0x00, 0x61, 0x9E, 0x01, 0x00])
        #expect(output == [UInt8](repeating: 0x61, count: 41))
        // Period 3 exercises the pattern-doubling path.
        let period3 = try decompress([43, 0x08, 0x61, 0x62, 0x63, 0x9E, 0x03, 0x00])
        #expect(period3 == Array(String(repeating: "abc", count: 15).utf8.prefix(43)))
    }

    @Test func copyWithFourByteOffset() throws {
        // "xy" then copy-4 of length 2 at offset 2: tag = (2-1)<<2 | 3 = 0x07.
        #expect(try decompress([4, 0x04, 0x78, 0x79, 0x07, 0x02, 0x00, 0x00, 0x00]) == Array("xyxy".utf8))
    }

    @Test func compressorOutputForARepeat() throws {
        let input = Array(String(repeating: "0123456789", count: 10).utf8)
        let compressed = Snappy.compress(input)
        #expect(compressed.count < 30)
        #expect(try decompress(compressed) == input)
    }

    @Test func errorsNameTheOffset() {
        expectError([], offset: 0, containing: "length header")
        expectError([0x80, 0x80, 0x80, 0x80, 0x80, 0x01], offset: 5, containing: "length header")
        expectError([0x80, 0x80, 0x80, 0x80, 0x7F], offset: 0, containing: "length header")
        expectError([0x80, 0x08], limit: 1000, offset: 0, containing: "exceeds the limit of 1000")
        // Literal says 5 bytes, 3 present.
        expectError([0x05, 0x10, 0x61, 0x62, 0x63], offset: 1, containing: "middle of an element")
        // Copy-1 cut off after its tag.
        expectError([0x08, 0x00, 0x61, 0x01], offset: 3, containing: "middle of an element")
        // Copy reaching before the start: one byte written, offset 2.
        expectError([0x05, 0x00, 0x61, 0x01, 0x02], offset: 3, containing: "before the start")
        // Offset zero is never valid.
        expectError([0x05, 0x00, 0x61, 0x01, 0x00], offset: 3, containing: "before the start")
        // A literal longer than the declared output.
        expectError([0x02, 0x08, 0x61, 0x62, 0x63], offset: 1, containing: "past the declared")
        // Output full, input left over.
        expectError([0x01, 0x00, 0x61, 0x00, 0x62], offset: 3, containing: "trailing bytes")
        expectError([0x00, 0x00], offset: 1, containing: "trailing bytes")
        // Input ends before the declared length is reached.
        expectError([0x04, 0x00, 0x61], offset: 3, containing: "1 of 4")
    }

    @Test func roundTripsRandomAndRepetitiveData() throws {
        var random = SeededRandom(seed: 1)
        let sizes = [0, 1, 2, 3, 4, 15, 16, 17, 18, 31, 64, 100, 1000, 65535, 65536, 65537, 200_000, 1_000_003]
        for size in sizes {
            for data in [random.bytes(size), random.repetitiveBytes(size), [UInt8](repeating: 7, count: size)] {
                let compressed = Snappy.compress(data)
                #expect(compressed.count <= Snappy.maxCompressedLength(data.count))
                #expect(try decompress(compressed, limit: data.count) == data, "size \(size)")
            }
        }
        let repetitive = random.repetitiveBytes(100_000)
        #expect(Snappy.compress(repetitive).count < repetitive.count / 2)
        #expect(Snappy.compress([UInt8](repeating: 0, count: 100_000)).count < 5000)
    }

    @Test func fuzzedInputNeverCrashesOrOverAllocates() async {
        await offTheCooperativePool { checkFuzzedInputNeverCrashesOrOverAllocates() }
    }

    private func checkFuzzedInputNeverCrashesOrOverAllocates() {
        var random = SeededRandom(seed: 2)
        var seeds: [[UInt8]] = []
        for size in [10, 100, 1000, 5000] {
            seeds.append(Snappy.compress(random.repetitiveBytes(size)))
            seeds.append(Snappy.compress(random.bytes(size)))
        }
        var decoded = 0
        for iteration in 0..<20_000 {
            let input: [UInt8]
            if iteration % 4 == 0 {
                input = random.bytes(Int.random(in: 0...64, using: &random))
            } else {
                input = random.mutate(seeds[iteration % seeds.count])
            }
            let limit = 6000
            if let output = try? Snappy.decompress(input, maxDecodedLength: limit) {
                #expect(output.count <= limit)
                decoded += 1
            }
        }
        #expect(decoded < 20_000)
    }

    @Test func declaredLengthIsCheckedBeforeAllocating() {
        // A 5-byte header declaring 4 GiB - 1 must fail on the limit, not try to allocate.
        #expect(throws: SnappyError.self) { try Snappy.decompress([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00], maxDecodedLength: 1 << 20) }
    }
}
