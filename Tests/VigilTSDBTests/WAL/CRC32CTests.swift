@testable import VigilModel
import Testing
import VigilTestSupport
@testable import VigilTSDB

@Suite struct CRC32CTests {
    @Test func knownVectors() {
        #expect(CRC32C.checksum("123456789".utf8) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
        #expect(CRC32C.checksum("The quick brown fox jumps over the lazy dog".utf8) == 0x2262_0404)
    }

    @Test func incrementalEqualsWhole() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0..<300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let split = Int.random(in: 0...bytes.count, using: &rng)
            let whole = CRC32C.checksum(bytes)
            let incremental = bytes.withUnsafeBytes { raw in
                CRC32C.update(CRC32C.update(0, UnsafeRawBufferPointer(rebasing: raw[..<split])), UnsafeRawBufferPointer(rebasing: raw[split...]))
            }
            #expect(whole == incremental)
            #expect(whole == bitwise(bytes))
        }
    }

    /// The instruction (where the CPU has it) and the tables agree with the definition at every
    /// length and alignment, continuing from any CRC.
    @Test func instructionAndTablesAgree() {
        #if arch(x86_64)
        // Every x86-64 server of the last fifteen years has SSE 4.2.
        #expect(CRC32C.hardware)
        #endif
        var rng = SeededGenerator(seed: 11)
        let bytes = (0..<400).map { _ in UInt8.random(in: 0...255, using: &rng) }
        bytes.withUnsafeBytes { raw in
            for offset in 0..<8 {
                for length in 0..<(raw.count - offset) where length < 40 || length % 7 == 0 {
                    let slice = UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + length)])
                    let seed = UInt32.random(in: 0...UInt32.max, using: &rng)
                    let tables = CRC32C.update(seed, slice, hardware: false)
                    #expect(CRC32C.update(seed, slice, hardware: true) == tables, "offset \(offset), length \(length)")
                    if seed == 0 { #expect(tables == bitwise(Array(slice))) }
                }
                #expect(CRC32C.update(0, UnsafeRawBufferPointer(rebasing: raw[offset...]), hardware: false)
                    == bitwise(Array(raw[offset...])))
            }
        }
    }

    /// The one-bit-at-a-time definition, to check the sliced tables against.
    private func bitwise(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }
}
