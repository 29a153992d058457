import Testing
import VigilTestSupport
@testable import VigilModel

/// The eight-bytes-at-once tests against their byte-by-byte definitions, on words built to sit
/// near every edge (the byte itself, one off, 0x00, 0x7f, 0x80, 0xff) in every position.
@Suite struct ByteWordTests {
    @Test func wordTestsAgreeWithTheBytes() {
        var random = SplitMix64(seed: 5)
        let edges: [UInt8] = [0x00, 0x01, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x5b, 0x5c, 0x5d, 0x7e, 0x7f, 0x80, 0x81, 0xa2, 0xdc, 0xff]
        var checked = 0
        var firstMismatch: String?
        for _ in 0..<20_000 where firstMismatch == nil {
            let bytes: [UInt8] = (0..<8).map { _ in
                random.next() % 3 == 0 ? UInt8(truncatingIfNeeded: random.next()) : edges[Int(random.next() % UInt64(edges.count))]
            }
            let word = bytes.withUnsafeBufferPointer { ByteWord.load($0.baseAddress!) }
            for byte in [0x22, 0x5c, 0x7f] as [UInt8] where ByteWord.contains(word, byte) != bytes.contains(byte) {
                firstMismatch = "\(bytes) contains \(byte)"
            }
            for limit in [0x20, 0x01, 0x80] as [UInt8] where ByteWord.containsByte(word, below: limit) != bytes.contains(where: { $0 < limit }) {
                firstMismatch = "\(bytes) below \(limit)"
            }
            checked += 1
        }
        #expect(firstMismatch == nil)
        #expect(checked == 20_000)
    }
}
