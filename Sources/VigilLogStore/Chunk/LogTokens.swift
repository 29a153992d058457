/// The tokens of a log line: maximal runs of ASCII letters and digits and of non-ASCII bytes (so a
/// UTF-8 word stays whole). Every other byte separates tokens.
///
/// Shared by the token filter (``ChunkFilter``), which indexes every token, and the column codec
/// (``TemplateColumns``), which moves tokens holding a digit out of the line's template.
enum LogTokens {
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || (byte &- 0x30) < 10 || ((byte | 0x20) &- 0x61) < 26
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        (byte &- 0x30) < 10
    }

    /// Calls `visit` with the byte range of each token of `bytes`, in order.
    @inline(__always)
    static func forEach(in bytes: UnsafeRawBufferPointer, _ visit: (Range<Int>) -> Void) {
        let count = bytes.count
        var index = 0
        while index < count {
            while index < count && !isTokenByte(bytes[index]) { index += 1 }
            let start = index
            while index < count && isTokenByte(bytes[index]) { index += 1 }
            if index > start { visit(start..<index) }
        }
    }

    /// The tokens of a `|= needle` search that every matching line holds whole: those with a
    /// separator on both sides inside the needle. The first and last runs may continue past the
    /// needle's ends in a line ("rror" matches "error"), so they are left out unless a separator
    /// bounds them within the needle.
    static func wholeTokens(of needle: [UInt8]) -> [Range<Int>] {
        var tokens: [Range<Int>] = []
        needle.withUnsafeBytes { raw in
            forEach(in: raw) { range in
                if range.lowerBound > 0 && range.upperBound < raw.count { tokens.append(range) }
            }
        }
        return tokens
    }

    /// FNV-1a over the token's bytes, then SplitMix64's finalizer (docs/formats/log-chunks.md).
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for index in range { hash = (hash ^ UInt64(bytes[index])) &* 0x0000_0100_0000_01B3 }
        return BlockedBloom.mix(hash)
    }
}
