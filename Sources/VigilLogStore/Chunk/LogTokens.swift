/// The tokens of a log line: maximal runs of ASCII letters and digits and of non-ASCII bytes (so a
/// UTF-8 word stays whole). Every other byte separates tokens.
///
/// Shared by the token filter (``ChunkFilter``), which indexes every token, and the column codec
/// (``TemplateColumns``), which moves tokens holding a digit out of the line's template.
enum LogTokens {
    /// Token bytes below 0x80 as two 64-bit maps: digits in the first, letters in the second.
    private static let lowTokenBits: UInt64 = 0x03FF_0000_0000_0000
    private static let highTokenBits: UInt64 = 0x07FF_FFFE_07FF_FFFE

    /// Whether `byte` belongs to tokens: branch-free (JSON alternates tokens and punctuation too
    /// irregularly for a predictor).
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        let map = byte < 64 ? lowTokenBits : (byte < 128 ? highTokenBits : ~0)
        return (map >> UInt64(byte & 63)) & 1 != 0
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        (byte &- 0x30) < 10
    }

    /// Calls `visit` with the byte range of each token of `bytes`, in order, and whether it holds
    /// an ASCII digit.
    @inline(__always)
    static func forEach(in bytes: UnsafeRawBufferPointer, _ visit: (Range<Int>, _ hasDigit: Bool) -> Void) {
        let count = bytes.count
        var index = 0
        while index < count {
            while index < count && !isTokenByte(bytes[index]) { index += 1 }
            let start = index
            var digits: UInt8 = 0
            while index < count {
                let byte = bytes[index]
                guard isTokenByte(byte) else { break }
                digits |= isDigit(byte) ? 1 : 0
                index += 1
            }
            if index > start { visit(start..<index, digits != 0) }
        }
    }

    /// The tokens of a `|= needle` search that every matching line holds whole: those with a
    /// separator on both sides inside the needle. The first and last runs may continue past the
    /// needle's ends in a line ("rror" matches "error"), so they are left out unless a separator
    /// bounds them within the needle.
    static func wholeTokens(of needle: [UInt8]) -> [Range<Int>] {
        var tokens: [Range<Int>] = []
        needle.withUnsafeBytes { raw in
            forEach(in: raw) { range, _ in
                if range.lowerBound > 0 && range.upperBound < raw.count { tokens.append(range) }
            }
        }
        return tokens
    }

    /// The token's 64-bit hash, eight bytes a step (docs/formats/log-chunks.md): a byte at a time
    /// cost more than the rest of building the filter.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> UInt64 {
        var hash = UInt64(range.count) &* 0x9E37_79B9_7F4A_7C15
        var index = range.lowerBound
        while range.upperBound - index >= 8 {
            hash = (hash ^ UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 29
            index += 8
        }
        if index < range.upperBound {
            // The last 1–7 bytes as the low bytes of a little-endian word. Most tokens are this
            // short, so when the buffer has eight bytes from here, one load and a mask replace
            // the byte loop (same value).
            let remaining = range.upperBound - index
            var word: UInt64 = 0
            if bytes.count - index >= 8 {
                word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                    & (~UInt64(0) >> UInt64(64 - remaining * 8))
            } else {
                var shift: UInt64 = 0
                while index < range.upperBound {
                    word |= UInt64(bytes[index]) << shift
                    shift += 8
                    index += 1
                }
            }
            hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 29
        }
        return BlockedBloom.mix(hash)
    }
}
