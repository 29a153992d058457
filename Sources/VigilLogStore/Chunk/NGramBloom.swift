/// A bloom filter over the 4-byte n-grams of a chunk's lines: a `|= "needle"` search skips the
/// chunk when any 4-gram of the needle is certainly absent.
///
/// Grams are the raw bytes (case-sensitive, as `|=` is), so a needle shorter than 4 bytes cannot be
/// ruled out. Sized at ``bitsPerGram`` bits per distinct gram with ``hashCount`` probes (about 2%
/// false positives per gram; a needle of n bytes tests n−3 grams, so rare needles are ruled out
/// far more reliably). Format: docs/formats/log-chunks.md.
struct NGramBloom: Sendable, Hashable {
    static let gramLength = 4
    static let bitsPerGram = 8
    static let hashCount = 5

    private(set) var words: [UInt64]
    let probes: Int

    init(words: [UInt64], probes: Int) {
        self.words = words
        self.probes = probes
    }

    /// A filter holding every gram of `lines`.
    init(lines: some Sequence<[UInt8]>) {
        var grams = Set<UInt32>()
        for line in lines {
            guard line.count >= Self.gramLength else { continue }
            line.withUnsafeBytes { raw in
                for start in 0...(raw.count - Self.gramLength) {
                    grams.insert(raw.loadUnaligned(fromByteOffset: start, as: UInt32.self))
                }
            }
        }
        let bits = max(64, grams.count * Self.bitsPerGram)
        words = [UInt64](repeating: 0, count: (bits + 63) / 64)
        probes = Self.hashCount
        for gram in grams { insert(gram) }
    }

    var bitCount: Int { words.count * 64 }
    var byteCount: Int { words.count * 8 }

    @inline(__always)
    static func hashes(_ gram: UInt32) -> (UInt64, UInt64) {
        // Two independent multiplicative hashes; probe i is h1 + i·h2 (Kirsch–Mitzenmacher).
        let value = UInt64(gram)
        let first = (value &+ 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9
        let second = ((value ^ (value >> 7)) &+ 0x94D0_49BB_1331_11EB) &* 0xD6E8_FEB8_6659_FD93
        return (first ^ (first >> 31), (second ^ (second >> 29)) | 1)
    }

    private mutating func insert(_ gram: UInt32) {
        let (first, second) = Self.hashes(gram)
        let bits = UInt64(bitCount)
        for probe in 0..<UInt64(probes) {
            let bit = (first &+ probe &* second) % bits
            words[Int(bit >> 6)] |= 1 << (bit & 63)
        }
    }

    func mayContain(gram: UInt32) -> Bool {
        let (first, second) = Self.hashes(gram)
        let bits = UInt64(bitCount)
        for probe in 0..<UInt64(probes) {
            let bit = (first &+ probe &* second) % bits
            if words[Int(bit >> 6)] & (1 << (bit & 63)) == 0 { return false }
        }
        return true
    }

    /// False when no line of the chunk can contain `needle`: one of its grams is in no line.
    func mayContain(substring needle: [UInt8]) -> Bool {
        guard needle.count >= Self.gramLength else { return true }
        return needle.withUnsafeBytes { raw in
            for start in 0...(raw.count - Self.gramLength) where !mayContain(gram: raw.loadUnaligned(fromByteOffset: start, as: UInt32.self)) {
                return false
            }
            return true
        }
    }
}
