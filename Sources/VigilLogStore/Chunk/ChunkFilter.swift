/// What a chunk's skip index holds, so a `|= "needle"` search can skip a chunk no line of which
/// contains the needle. Both kinds are a ``BlockedBloom``; case-sensitive, as `|=` is.
///
/// - ``tokens``: every token (``LogTokens``) of every line, 10 bits per distinct token. A needle
///   is ruled out when one of its whole tokens (``LogTokens/wholeTokens(of:)``) is absent; a
///   needle with none (a single word, or one token and its edges) cannot be ruled out. A JSON
///   line of ~200 bytes has 1–2 tokens not seen earlier in its chunk, so the filter costs ~2 bytes
///   a line, where every 4-gram cost ~19.
/// - ``grams``: every 4-byte sequence of every line, 8 bits per distinct gram: what version-1
///   chunks hold (read, and written only to test reading them).
enum ChunkFilter: Sendable, Hashable {
    case tokens(BlockedBloom)
    case grams(BlockedBloom)

    /// Which kind to build when sealing.
    enum Kind: Sendable {
        case tokens
        case grams
    }

    static let tokenBitsPerItem = 10
    static let tokenProbes = 5
    static let gramLength = 4
    static let gramBitsPerItem = 8
    static let gramProbes = 5

    /// A filter of `kind` over `lines`.
    init(_ kind: Kind, lines: some Collection<[UInt8]>) {
        var hashes: [UInt64] = []
        switch kind {
        case .tokens:
            for line in lines {
                line.withUnsafeBytes { raw in
                    LogTokens.forEach(in: raw) { range, _ in hashes.append(LogTokens.hash(raw, range)) }
                }
            }
            self.init(tokenHashes: hashes)
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
    init(tokenHashes: [UInt64]) {
        self = .tokens(BlockedBloom(hashes: tokenHashes, bitsPerItem: Self.tokenBitsPerItem, probes: Self.tokenProbes))
    }

    var bloom: BlockedBloom {
        switch self {
        case .tokens(let bloom), .grams(let bloom): bloom
        }
    }

    /// False when no line of the chunk can contain `needle`.
    func mayContain(substring needle: [UInt8]) -> Bool {
        switch self {
        case .tokens(let bloom):
            return needle.withUnsafeBytes { raw in
                for range in LogTokens.wholeTokens(of: needle) where !bloom.mayContain(LogTokens.hash(raw, range)) {
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
