#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// glibc's and Darwin's `memmem` (SIMD two-way search); Swift's Glibc module hides it behind
/// `_GNU_SOURCE`, so it is declared here. The signature is the C one: pointers and sizes only.
@_silgen_name("memmem")
func libcMemmem(
    _ haystack: UnsafeRawPointer, _ haystackLength: Int, _ needle: UnsafeRawPointer, _ needleLength: Int
) -> UnsafeMutableRawPointer?

/// Substring search over raw bytes, which is what keeps a `|=` filter near `grep -F` speed:
/// libc's vectorised `memchr` finds candidates for the needle's rarest-looking byte, and
/// `memcmp` confirms them.
enum ByteSearch {
    /// A needle prepared for repeated searches.
    struct Needle: Sendable {
        let bytes: [UInt8]
        /// The position of the byte `memchr` looks for.
        let anchor: Int

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            var best = 0
            var bestRank = Int.max
            for (index, byte) in bytes.enumerated() {
                let rank = ByteSearch.commonness(byte)
                if rank < bestRank {
                    best = index
                    bestRank = rank
                }
            }
            anchor = best
        }
    }

    /// How common a byte is in log text (lower is rarer): lowercase letters, digits and spaces
    /// are everywhere; punctuation and capitals are rarer.
    static func commonness(_ byte: UInt8) -> Int {
        switch byte {
        case UInt8(ascii: " "): return 100
        case UInt8(ascii: "e"), UInt8(ascii: "t"), UInt8(ascii: "a"), UInt8(ascii: "o"), UInt8(ascii: "i"),
            UInt8(ascii: "n"), UInt8(ascii: "s"), UInt8(ascii: "r"):
            return 90
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return 85
        case UInt8(ascii: "h"), UInt8(ascii: "l"), UInt8(ascii: "d"), UInt8(ascii: "c"), UInt8(ascii: "u"),
            UInt8(ascii: "m"), UInt8(ascii: "\""), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "="):
            return 80
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return 60
        case UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "_"): return 70
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return 40
        default: return 20
        }
    }

    /// Whether `haystack` contains `needle` (an empty needle is always contained).
    @inline(__always)
    static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: Needle) -> Bool {
        index(of: needle, in: haystack, from: 0) != nil
    }

    /// Index of the first occurrence of `needle` in `haystack` at or after `from`, or nil.
    static func index(of needle: Needle, in haystack: UnsafeRawBufferPointer, from: Int) -> Int? {
        let count = needle.bytes.count
        if count == 0 { return from }
        guard haystack.count - from >= count, let base = haystack.baseAddress else { return nil }
        return needle.bytes.withUnsafeBytes { pattern -> Int? in
            let patternBase = pattern.baseAddress!
            if count > 1 {
                guard let found = libcMemmem(base + from, haystack.count - from, patternBase, count) else { return nil }
                return base.distance(to: UnsafeRawPointer(found))
            }
            let anchor = needle.anchor
            let anchorByte = Int32(needle.bytes[anchor])
            // Candidate starts run from `from` to `haystack.count - count`; the anchor byte sits
            // `anchor` bytes after each.
            var position = from + anchor
            let lastPosition = haystack.count - count + anchor
            while position <= lastPosition {
                guard let found = memchr(base + position, anchorByte, lastPosition - position + 1) else { return nil }
                let hit = base.distance(to: UnsafeRawPointer(found))
                let start = hit - anchor
                if memcmp(base + start, patternBase, count) == 0 { return start }
                position = hit + 1
            }
            return nil
        }
    }

    /// Case-insensitive (ASCII letters) containment, for `|~ "(?i)literal"`.
    static func containsFoldingCase(_ haystack: UnsafeRawBufferPointer, _ loweredNeedle: [UInt8]) -> Bool {
        if loweredNeedle.isEmpty { return true }
        guard haystack.count >= loweredNeedle.count else { return false }
        let first = loweredNeedle[0]
        let last = haystack.count - loweredNeedle.count
        var start = 0
        while start <= last {
            if lower(haystack[start]) == first {
                var offset = 1
                while offset < loweredNeedle.count, lower(haystack[start + offset]) == loweredNeedle[offset] { offset += 1 }
                if offset == loweredNeedle.count { return true }
            }
            start += 1
        }
        return false
    }

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
}
