#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A *blocked* bloom filter over 64-bit hashes: each item sets ``probes`` bits inside one 64-bit
/// word, so inserting costs one OR and a lookup one load. ``ChunkFilter`` feeds it 4-grams
/// (version 1 chunks) or tokens (version 2). Format: docs/formats/log-chunks.md.
struct BlockedBloom: Sendable, Hashable {
    /// Bits of the linear-counting sketch that estimates distinct items (128 KiB: accurate to
    /// about a million distinct items, ten times what a 1.5 MiB chunk holds).
    static let sketchBits = 1 << 20

    private(set) var words: [UInt64]
    let probes: Int

    init(words: [UInt64], probes: Int) {
        self.words = words.isEmpty ? [0] : words
        self.probes = min(max(probes, 1), 10)
    }

    /// A filter holding `hashes`, sized at `bitsPerItem` bits per distinct hash (estimated by
    /// linear counting, so sizing needs no set of the items).
    init(hashes: [UInt64], bitsPerItem: Int, probes: Int) {
        var sketch = [UInt64](repeating: 0, count: Self.sketchBits / 64)
        sketch.withUnsafeMutableBufferPointer { bits in
            for hash in hashes {
                let bit = Int(truncatingIfNeeded: hash >> 44)  // top 20 bits
                bits[bit >> 6] |= 1 << UInt64(bit & 63)
            }
        }
        let set = sketch.reduce(0) { $0 + $1.nonzeroBitCount }
        let m = Double(Self.sketchBits)
        let distinct = set >= Self.sketchBits ? hashes.count : Int((-m * log1p(-Double(set) / m)).rounded(.up))
        let wordCount = max(1, (min(distinct, hashes.count) * bitsPerItem + 63) / 64)
        var words = [UInt64](repeating: 0, count: wordCount)
        words.withUnsafeMutableBufferPointer { filter in
            for hash in hashes {
                let (word, mask) = Self.slot(hash, words: wordCount, probes: probes)
                filter[word] |= mask
            }
        }
        self.words = words
        self.probes = probes
    }

    var byteCount: Int { words.count * 8 }

    /// SplitMix64's finalizer: spreads a 64-bit value over all bits.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The hash's word (high 32 bits scaled to the word count) and its `probes` bits (6 bits each,
    /// from the lowest up).
    @inline(__always)
    static func slot(_ hash: UInt64, words: Int, probes: Int) -> (Int, UInt64) {
        let word = Int(truncatingIfNeeded: ((hash >> 32) &* UInt64(words)) >> 32)
        var mask: UInt64 = 0
        var bits = hash
        for _ in 0..<probes {
            mask |= 1 << (bits & 63)
            bits >>= 6
        }
        return (word, mask)
    }

    func mayContain(_ hash: UInt64) -> Bool {
        let (word, mask) = Self.slot(hash, words: words.count, probes: probes)
        return words[word] & mask == mask
    }
}
