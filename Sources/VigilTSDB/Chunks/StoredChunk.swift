/// A chunk as a block stores it: Prometheus's XOR encoding (1) or Vigil's compact encoding (2).
///
/// Block readers hand these out; the head only ever holds ``XORChunk``s. A value type: copies
/// share storage.
public enum StoredChunk: Sendable, Equatable {
    /// An XOR chunk (encoding 1).
    case xor(XORChunk)
    /// A compact chunk (encoding 2).
    case compact(CompactChunk)

    /// The chunk encoding byte of a block's chunk record.
    @inlinable
    public var encoding: UInt8 {
        switch self {
        case .xor: 1
        case .compact: CompactChunk.encoding
        }
    }

    /// The encoded chunk, header included.
    @inlinable
    public var bytes: [UInt8] {
        switch self {
        case .xor(let chunk): chunk.bytes
        case .compact(let chunk): chunk.bytes
        }
    }

    /// The first sample's timestamp (ms); `Int64.max` for an empty chunk.
    @inlinable
    public var minTime: Int64 {
        switch self {
        case .xor(let chunk): chunk.minTime
        case .compact(let chunk): chunk.minTime
        }
    }

    /// The last sample's timestamp (ms); `Int64.min` for an empty chunk.
    @inlinable
    public var maxTime: Int64 {
        switch self {
        case .xor(let chunk): chunk.maxTime
        case .compact(let chunk): chunk.maxTime
        }
    }

    /// The number of samples, from the header.
    @inlinable
    public var count: Int {
        switch self {
        case .xor(let chunk): chunk.bytes.count >= 2 ? chunk.count : 0
        case .compact(let chunk): chunk.count
        }
    }

    /// Whether some sample may lie in `[mint, maxt]` (inclusive).
    @inlinable
    public func overlaps(mint: Int64, maxt: Int64) -> Bool {
        minTime <= maxt && mint <= maxTime
    }

    /// An iterator positioned before the first sample.
    public func makeIterator() -> StoredChunkIterator { StoredChunkIterator(self) }

    /// Appends every sample to `timestamps` (ms) and `values`; false when the chunk is damaged.
    @discardableResult
    public func decodeAll(into timestamps: inout [Int64], _ values: inout [Double]) -> Bool {
        switch self {
        case .xor(let chunk): chunk.decodeAll(into: &timestamps, &values)
        case .compact(let chunk): chunk.decodeAll(into: &timestamps, &values)
        }
    }

    /// The samples as an XOR chunk (remote read's `STREAMED_XOR_CHUNKS` only knows XOR); nil when
    /// a compact chunk is damaged.
    public func xorChunk() -> XORChunk? {
        switch self {
        case .xor(let chunk): chunk
        case .compact(let chunk): chunk.xorChunk()
        }
    }

    /// The form a block should store: the compact encoding when it is smaller, else the XOR chunk.
    public static func smallest(_ chunk: XORChunk) -> StoredChunk {
        if let compact = CompactChunk.compacting(chunk) { return .compact(compact) }
        return .xor(chunk)
    }
}

/// Iterates a ``StoredChunk`` with the shape of ``XORIterator``.
///
/// Holds both iterators side by side (the unused one empty) and branches on a flag, so a step
/// mutates the active iterator in place: no existential, no enum payload copied in and out.
public struct StoredChunkIterator: Sendable {
    @usableFromInline var xor: XORIterator
    @usableFromInline var compact: CompactIterator
    @usableFromInline let isCompact: Bool

    init(_ chunk: StoredChunk) {
        switch chunk {
        case .xor(let chunk):
            xor = chunk.makeIterator()
            compact = CompactIterator(bytes: [])
            isCompact = false
        case .compact(let chunk):
            xor = XORIterator(bytes: [])
            compact = chunk.makeIterator()
            isCompact = true
        }
    }

    /// An iterator over an XOR chunk.
    init(_ chunk: XORChunk) {
        xor = chunk.makeIterator()
        compact = CompactIterator(bytes: [])
        isCompact = false
    }

    /// The current sample's timestamp (ms).
    @inlinable
    public var timestamp: Int64 { isCompact ? compact.timestamp : xor.timestamp }

    /// The current sample's value, bit pattern intact.
    @inlinable
    public var value: Double { isCompact ? compact.value : xor.value }

    /// The current sample.
    @inlinable
    public var at: (t: Int64, v: Double) { (timestamp, value) }

    /// True when the chunk turned out damaged.
    @inlinable
    public var failed: Bool { isCompact ? compact.failed : xor.failed }

    /// Advances to the next sample; false at the end or on a damaged chunk.
    @inlinable @inline(__always)
    public mutating func next() -> Bool {
        isCompact ? compact.next() : xor.next()
    }

    /// Moves to the first sample at or after `target`; stays put if the current sample already
    /// qualifies. False when no such sample exists.
    @inlinable
    public mutating func seek(to target: Int64) -> Bool {
        isCompact ? compact.seek(to: target) : xor.seek(to: target)
    }
}
