#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A bloom filter over the 4-byte n-grams of a chunk's lines: a `|= "needle"` search skips the
/// chunk when any 4-gram of the needle is certainly absent.
///
/// Grams are the raw bytes (case-sensitive, as `|=` is), so a needle shorter than 4 bytes cannot be
/// ruled out. A *blocked* filter: each gram sets ``probes`` bits inside one 64-bit word, so
/// building costs one hash and one OR per gram (a hash set of grams cost more than the rest of
/// ingestion together). Sized at ``bitsPerGram`` bits per distinct gram, estimated by linear
/// counting; about 3% false positives per gram, and a needle of n bytes tests n−3 grams.
/// Format: docs/formats/log-chunks.md.
struct NGramBloom: Sendable, Hashable {
    static let gramLength = 4
    static let bitsPerGram = 8
    static let hashCount = 5
    /// Bits of the linear-counting sketch that estimates distinct grams (512 KiB).
    static let sketchBits = 1 << 22

    private(set) var words: [UInt64]
    let probes: Int

    init(words: [UInt64], probes: Int) {
        self.words = words.isEmpty ? [0] : words
        self.probes = min(max(probes, 1), 10)
    }

    /// A filter holding every gram of `lines`.
    init(lines: some Collection<[UInt8]>) {
        // Pass 1: estimate distinct grams (linear counting) to size the filter.
        var sketch = [UInt64](repeating: 0, count: Self.sketchBits / 64)
        var grams = 0
        sketch.withUnsafeMutableBufferPointer { bits in
            for line in lines where line.count >= Self.gramLength {
                line.withUnsafeBytes { raw in
                    for start in 0...(raw.count - Self.gramLength) {
                        let hash = Self.hash(raw.loadUnaligned(fromByteOffset: start, as: UInt32.self))
                        let bit = Int(truncatingIfNeeded: hash >> 42)  // top 22 bits
                        bits[bit >> 6] |= 1 << UInt64(bit & 63)
                    }
                    grams += raw.count - Self.gramLength + 1
                }
            }
        }
        let set = sketch.reduce(0) { $0 + $1.nonzeroBitCount }
        let m = Double(Self.sketchBits)
        let distinct = set >= Self.sketchBits ? grams : Int((-m * log1p(-Double(set) / m)).rounded(.up))
        let wordCount = max(1, (min(distinct, grams) * Self.bitsPerGram + 63) / 64)
        // Pass 2: insert.
        var words = [UInt64](repeating: 0, count: wordCount)
        words.withUnsafeMutableBufferPointer { filter in
            for line in lines where line.count >= Self.gramLength {
                line.withUnsafeBytes { raw in
                    for start in 0...(raw.count - Self.gramLength) {
                        let (word, mask) = Self.slot(raw.loadUnaligned(fromByteOffset: start, as: UInt32.self), words: wordCount, probes: Self.hashCount)
                        filter[word] |= mask
                    }
                }
            }
        }
        self.words = words
        probes = Self.hashCount
    }

    var byteCount: Int { words.count * 8 }

    /// A 64-bit mix of the gram (SplitMix64's finalizer).
    @inline(__always)
    static func hash(_ gram: UInt32) -> UInt64 {
        var z = UInt64(gram) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The gram's word (high 32 bits of the hash scaled to the word count) and its `probes` bits
    /// (6 bits of the low 32 each).
    @inline(__always)
    static func slot(_ gram: UInt32, words: Int, probes: Int) -> (Int, UInt64) {
        let hash = Self.hash(gram)
        let word = Int(truncatingIfNeeded: ((hash >> 32) &* UInt64(words)) >> 32)
        var mask: UInt64 = 0
        var bits = hash
        for _ in 0..<probes {
            mask |= 1 << (bits & 63)
            bits >>= 6
        }
        return (word, mask)
    }

    func mayContain(gram: UInt32) -> Bool {
        let (word, mask) = Self.slot(gram, words: words.count, probes: probes)
        return words[word] & mask == mask
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
