/// What a chunk's skip index holds, so a `|= "needle"` search can skip a chunk no line of which
/// contains the needle. Both kinds are a ``BlockedBloom``; case-sensitive, as `|=` is.
///
/// - ``tokens``: every token (``LogTokens``) of every line, 12 bits per distinct token (about 1%
///   false positives per token, the blocked filter's k = 6 optimum). A needle
///   is ruled out when one of its whole tokens (``LogTokens/wholeTokens(of:)``) is absent; a
///   needle with none (a single word, or one token and its edges) cannot be ruled out. A JSON
///   line of ~200 bytes has 1–2 tokens not seen earlier in its chunk (the benchmark's: 1.75), so
///   the filter costs ~2.6 bytes a line, where every 4-gram cost ~19.
/// - ``grams``: every 4-byte sequence of every line, 8 bits per distinct gram: what version-1
///   chunks hold (read, and written only to test reading them).
///
/// Token hashes are salted with a per-chunk seed (the chunk's ID): chunks of one stream share most
/// tokens, so unsalted, a needle whose word collides with common tokens' in one chunk collided in
/// most of them (the benchmark's rare token was a false positive in 3 of 39 chunks at a 1% rate).
enum ChunkFilter: Sendable, Hashable {
    case tokens(BlockedBloom, seed: UInt64)
    case grams(BlockedBloom)

    /// Which kind to build when sealing.
    enum Kind: Sendable {
        case tokens
        case grams
    }

    static let tokenBitsPerItem = 12
    static let tokenProbes = 6
    static let gramLength = 4
    static let gramBitsPerItem = 8
    static let gramProbes = 5

    /// A filter of `kind` over `lines`; `seed` salts a token filter.
    init(_ kind: Kind, lines: some Collection<[UInt8]>, seed: UInt64) {
        var hashes: [UInt64] = []
        switch kind {
        case .tokens:
            for line in lines {
                line.withUnsafeBytes { raw in
                    LogTokens.forEach(in: raw) { range, _ in hashes.append(LogTokens.hash(raw, range)) }
                }
            }
            self.init(tokenHashes: hashes, seed: seed)
        case .grams:
            for line in lines where line.count >= Self.gramLength {
                line.withUnsafeBytes { raw in
                    for start in 0...(raw.count - Self.gramLength) {
                        hashes.append(BlockedBloom.mix(UInt64(raw.loadUnaligned(fromByteOffset: start, as: UInt32.self))))
                    }
                }
            }
            self = .grams(BlockedBloom(hashes: hashes, bitsPerItem: Self.gramBitsPerItem, probes: Self.gramProbes))
        }
    }

    /// A token filter over the hashes of every token (``LogTokens/hash(_:_:)``), as the column
    /// codec collects them while it tokenizes.
    init(tokenHashes: [UInt64], seed: UInt64) {
        let salted = tokenHashes.map { BlockedBloom.mix($0 ^ seed) }
        self = .tokens(BlockedBloom(hashes: salted, bitsPerItem: Self.tokenBitsPerItem, probes: Self.tokenProbes), seed: seed)
    }

    var bloom: BlockedBloom {
        switch self {
        case .tokens(let bloom, _), .grams(let bloom): bloom
        }
    }

    /// False when no line of the chunk can contain `needle`.
    func mayContain(substring needle: [UInt8]) -> Bool {
        switch self {
        case .tokens(let bloom, let seed):
            return needle.withUnsafeBytes { raw in
                for range in LogTokens.wholeTokens(of: needle) where !bloom.mayContain(BlockedBloom.mix(LogTokens.hash(raw, range) ^ seed)) {
                    return false
                }
                return true
            }
        case .grams(let bloom):
            guard needle.count >= Self.gramLength else { return true }
            return needle.withUnsafeBytes { raw in
                for start in 0...(raw.count - Self.gramLength)
                where !bloom.mayContain(BlockedBloom.mix(UInt64(raw.loadUnaligned(fromByteOffset: start, as: UInt32.self)))) {
                    return false
                }
                return true
            }
        }
    }
}
