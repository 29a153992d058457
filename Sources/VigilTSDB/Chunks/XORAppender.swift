/// Encodes samples into an ``XORChunk``: the exact bit layout of Prometheus's `xorAppender`.
///
/// Timestamps must strictly increase (the head checks this before appending). A value type; not
/// shared across threads while being appended to.
public struct XORAppender: Sendable {
    @usableFromInline var writer: BitWriter
    @usableFromInline var lastTimestamp: Int64
    @usableFromInline var lastValueBits: UInt64
    @usableFromInline var lastDelta: UInt64
    @usableFromInline var leading: UInt8
    @usableFromInline var trailing: UInt8
    @usableFromInline var storedCount: Int
    @usableFromInline var storedMinTime: Int64

    /// Samples appended so far.
    @inlinable public var count: Int { storedCount }
    /// The first timestamp appended (`Int64.max` while empty).
    @inlinable public var minTime: Int64 { storedMinTime }

    /// An appender for a new, empty chunk.
    public init() {
        writer = BitWriter(reservingCapacity: 192)
        writer.writeBits(0, 16)
        lastTimestamp = 0
        lastValueBits = 0
        lastDelta = 0
        leading = 0xff
        trailing = 0
        storedCount = 0
        storedMinTime = .max
    }

    /// An appender that continues `chunk` (Prometheus's `Appender()` on an existing chunk).
    public init(continuing chunk: XORChunk) {
        var iterator = chunk.makeIterator()
        _ = iterator.forEachRemaining { _, _ in }
        self.init()
        guard chunk.count > 0, !iterator.failed else { return }
        let free = chunk.bytes.count &* 8 &- iterator.decoder.bit
        writer = BitWriter(bytes: chunk.bytes, freeBits: free)
        lastTimestamp = iterator.timestamp
        lastValueBits = iterator.valueBits
        lastDelta = iterator.decoder.delta
        // Like Prometheus's Appender(): the reader's window, 0/0 if none was read yet.
        leading = UInt8(iterator.decoder.leading)
        trailing = UInt8(iterator.decoder.trailing)
        storedCount = chunk.count
        storedMinTime = chunk.minTime
    }

    /// What continuing this chunk needs beyond its bytes, newest timestamp and value: kept in head
    /// snapshots so a restart resumes the appender without decoding the chunk.
    struct ResumeState: Sendable, Equatable {
        var lastDelta: UInt64
        var leading: UInt8
        var trailing: UInt8
        var freeBits: UInt8
    }

    var resumeState: ResumeState {
        ResumeState(lastDelta: lastDelta, leading: leading, trailing: trailing, freeBits: UInt8(truncatingIfNeeded: writer.freeBits))
    }

    /// The appender that wrote `chunk` (ending at `chunk.maxTime` with `lastValueBits`), from its
    /// ``resumeState``; nil when the state cannot belong to a non-empty chunk.
    init?(resuming chunk: XORChunk, lastValueBits: UInt64, state: ResumeState) {
        guard chunk.count > 0, chunk.bytes.count > 2, state.freeBits < 8,
              state.leading == 0xff || Int(state.leading) + Int(state.trailing) <= 64 else { return nil }
        self.init()
        writer = BitWriter(bytes: chunk.bytes, freeBits: Int(state.freeBits))
        lastTimestamp = chunk.maxTime
        self.lastValueBits = lastValueBits
        lastDelta = state.lastDelta
        leading = state.leading
        trailing = state.trailing
        storedCount = chunk.count
        storedMinTime = chunk.minTime
    }

    /// The last timestamp appended (meaningless while ``count`` is 0).
    @inlinable
    public var maxTime: Int64 { count == 0 ? .min : lastTimestamp }

    /// The last value appended, bit pattern intact.
    @inlinable
    public var lastValue: Double { Double(bitPattern: lastValueBits) }

    /// The chunk as encoded so far; shares storage until the next append.
    public var chunk: XORChunk {
        XORChunk(bytes: writer.bytes, minTime: minTime, maxTime: maxTime)
    }

    /// ``chunk`` in a buffer of its exact size, for a chunk that is done: the appender's buffer
    /// keeps room to grow (192 bytes reserved, then doubled), which a full chunk kept in memory
    /// for hours no longer needs.
    public var closedChunk: XORChunk {
        let bytes = writer.bytes
        let exact = [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: bytes)
        }
        return XORChunk(bytes: exact, minTime: minTime, maxTime: maxTime)
    }

    /// Encoded size so far, in bytes.
    @inlinable
    public var byteCount: Int { writer.bytes.count }

    /// Appends one sample; `timestamp` must be greater than the previous one.
    @inlinable
    public mutating func append(_ timestamp: Int64, _ value: Double) {
        let bits = value.bitPattern
        switch count {
        case 0:
            writer.writeVarint(timestamp)
            writer.writeBits(bits, 64)
            storedMinTime = timestamp
        case 1:
            let delta = UInt64(bitPattern: timestamp &- lastTimestamp)
            writer.writeUvarint(delta)
            writeValue(bits)
            lastDelta = delta
        default:
            let delta = UInt64(bitPattern: timestamp &- lastTimestamp)
            let dod = Int64(bitPattern: delta &- lastDelta)
            if dod == 0 {
                writer.writeBit(false)
            } else if XORAppender.fits(dod, 14) {
                writer.writeBits(0b10, 2)
                writer.writeBits(UInt64(bitPattern: dod), 14)
            } else if XORAppender.fits(dod, 17) {
                writer.writeBits(0b110, 3)
                writer.writeBits(UInt64(bitPattern: dod), 17)
            } else if XORAppender.fits(dod, 20) {
                writer.writeBits(0b1110, 4)
                writer.writeBits(UInt64(bitPattern: dod), 20)
            } else {
                writer.writeBits(0b1111, 4)
                writer.writeBits(UInt64(bitPattern: dod), 64)
            }
            writeValue(bits)
            lastDelta = delta
        }
        lastTimestamp = timestamp
        lastValueBits = bits
        storedCount &+= 1
        writer.bytes[0] = UInt8(truncatingIfNeeded: storedCount &>> 8)
        writer.bytes[1] = UInt8(truncatingIfNeeded: storedCount)
    }

    /// Prometheus's `bitRange`: `-(2^(n-1) - 1) <= x <= 2^(n-1)` (asymmetric on purpose; the
    /// reader maps `2^(n-1)` back to a positive value).
    @inlinable
    static func fits(_ value: Int64, _ bits: Int64) -> Bool {
        let half = Int64(1) &<< (bits &- 1)
        return -(half &- 1) <= value && value <= half
    }

    @inlinable
    mutating func writeValue(_ bits: UInt64) {
        let delta = bits ^ lastValueBits
        if delta == 0 {
            writer.writeBit(false)
            return
        }
        writer.writeBit(true)
        var newLeading = UInt8(delta.leadingZeroBitCount)
        let newTrailing = UInt8(delta.trailingZeroBitCount)
        // 5 bits hold the leading count, so clamp like Prometheus does.
        if newLeading >= 32 { newLeading = 31 }
        if leading != 0xff && newLeading >= leading && newTrailing >= trailing {
            writer.writeBit(false)
            writer.writeBits(delta &>> UInt64(trailing), 64 &- Int(leading) &- Int(trailing))
            return
        }
        leading = newLeading
        trailing = newTrailing
        writer.writeBit(true)
        writer.writeBits(UInt64(newLeading), 5)
        let significant = 64 &- Int(newLeading) &- Int(newTrailing)
        // 64 significant bits are written as 0 in the 6-bit field.
        writer.writeBits(UInt64(significant & 0x3f), 6)
        writer.writeBits(delta &>> UInt64(newTrailing), significant)
    }
}
