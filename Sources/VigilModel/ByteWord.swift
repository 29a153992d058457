/// Tests on eight bytes at once (a little-endian `UInt64` loaded from text), for scanners that
/// skip runs of ordinary bytes. Each test is exact when asked whether *any* byte matches: the
/// zero-byte trick's false positives only fall on bytes above a true match.
enum ByteWord {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Loads the eight bytes at `pointer`.
    @inline(__always)
    static func load(_ pointer: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
    }

    /// Whether a byte of `word` is `byte`.
    @inline(__always)
    static func contains(_ word: UInt64, _ byte: UInt8) -> Bool {
        let matched = word ^ (ones &* UInt64(byte))
        return (matched &- ones) & ~matched & highs != 0
    }

    /// Whether a byte of `word` is 0x80 or above (not ASCII).
    @inline(__always)
    static func containsNonASCII(_ word: UInt64) -> Bool {
        word & highs != 0
    }

    /// Whether a byte of `word` is below `limit` (at most 0x80).
    @inline(__always)
    static func containsByte(_ word: UInt64, below limit: UInt8) -> Bool {
        (word &- ones &* UInt64(limit)) & ~word & highs != 0
    }
}
