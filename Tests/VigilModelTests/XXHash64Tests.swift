import Testing
import VigilModel

@Suite("XXH64")
struct XXHash64Tests {
    /// Reference values from the `xxhash` Python package (the C library), seed 0.
    @Test("matches the reference implementation on short, stripe-sized and long inputs")
    func referenceVectors() {
        let cases: [([UInt8], UInt64)] = [
            ([], 0xEF46_DB37_51D8_E999),
            (Array("a".utf8), 0xD24E_C4F1_A98C_6E5B),
            (Array("abc".utf8), 0x44BC_2CF5_AD77_0999),
            (Array("Nobody inspects the spammish repetition".utf8), 0xFBCE_A83C_8A37_8BF1),
            (Array("file".utf8) + [0xFF] + Array("/etc/prometheus/rules.yml".utf8) + [0xFF]
                + Array("name".utf8) + [0xFF] + Array("example".utf8) + [0xFF], 0x3D2A_087A_3C9B_F619),
            (Array(repeating: Array(0...255 as ClosedRange<UInt8>), count: 3).flatMap { $0 }, 0x8E03_C838_C596_036F),
        ]
        for (input, expected) in cases {
            let hash = XXHash64.hash(input)
            #expect(hash == expected, "\(input.count) bytes")
        }
    }
}
