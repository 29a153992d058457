/// The state of an XOR chunk decode, kept apart from the chunk's bytes so a scan can copy it into
/// locals and run over one `UnsafeRawPointer` for the whole chunk.
///
/// Bits are read with Giesen's branch-free refill: ``buffer`` holds unread bits left-aligned and
/// a refill tops it up to at least 56 valid bits with one unaligned big-endian 64-bit load. Loads
/// that would cross the end of the chunk read ``tailWord`` instead, shifted so zero bits follow
/// the last byte; a decode that consumes those padding bits has overrun, which ``step(_:)``
/// detects by comparing the consumed bit count with the chunk's length once per sample.
@usableFromInline
struct XORDecoder: Sendable {
    /// Index of the next byte a refill loads.
    @usableFromInline var position: Int
    /// Unread bits, left-aligned. Bits below ``valid`` are either zero or the following stream
    /// bits, so a refill may OR the same bits in again without masking.
    @usableFromInline var buffer: UInt64
    /// How many of ``buffer``'s high bits are unread (0...63 outside a read).
    @usableFromInline var valid: Int
    /// The chunk's length in bytes.
    @usableFromInline let byteCount: Int
    /// `max(0, byteCount - 8)`: where ``tailWord`` starts.
    @usableFromInline let tailStart: Int
    /// The bytes from ``tailStart`` to the end, big-endian, zero-padded on the right.
    @usableFromInline let tailWord: UInt64
    @usableFromInline var timestamp: Int64
    /// The previous timestamp delta, as Prometheus keeps it (unsigned, wrapping).
    @usableFromInline var delta: UInt64
    @usableFromInline var valueBits: UInt64
    /// The current XOR window: `leading + trailing < 64` once a window exists; both start at 0,
    /// which makes a window reuse before any window read 64 bits, as Prometheus does.
    @usableFromInline var leading: Int
    @usableFromInline var trailing: Int

    /// A decoder positioned after the 2-byte header.
    @usableFromInline
    init(bytes: UnsafeRawBufferPointer) {
        byteCount = bytes.count
        tailStart = Swift.max(0, bytes.count &- 8)
        var word: UInt64 = 0
        for index in 0..<8 {
            let byte = tailStart &+ index < bytes.count ? bytes[tailStart &+ index] : 0
            word = word &<< 8 | UInt64(byte)
        }
        tailWord = word
        position = 2
        buffer = 0
        valid = 0
        timestamp = 0
        delta = 0
        valueBits = 0
        leading = 0
        trailing = 0
    }

    /// Bits consumed from the start of the chunk (header included).
    @inlinable
    var consumedBits: Int { position &* 8 &- valid }

    /// Whether the reads so far stayed inside the chunk.
    @inlinable
    var inBounds: Bool { consumedBits <= byteCount &* 8 }

    @inlinable @inline(__always)
    func load(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        if _fastPath(offset &+ 8 <= byteCount) {
            return UInt64(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        let shift = (offset &- tailStart) &* 8
        return shift < 64 ? tailWord &<< UInt64(truncatingIfNeeded: shift) : 0
    }

    /// Leaves at least 56 valid bits in ``buffer`` (zeros past the end of the chunk).
    @inlinable @inline(__always)
    mutating func refill(_ base: UnsafeRawPointer) {
        buffer |= load(base, position) &>> UInt64(truncatingIfNeeded: valid)
        position &+= (63 &- valid) &>> 3
        valid |= 56
    }

    /// Drops `count` (1...64) bits that are already valid.
    @inlinable @inline(__always)
    mutating func consume(_ count: Int) {
        // Two shifts so that 64 empties the buffer (a single `&<<` would mask it to 0).
        buffer = (buffer &<< UInt64(truncatingIfNeeded: count &- 1)) &<< 1
        valid &-= count
    }

    /// Reads `count` (1...64) bits as the low bits of the result.
    @inlinable @inline(__always)
    mutating func read(_ base: UnsafeRawPointer, _ count: Int) -> UInt64 {
        if _slowPath(count > valid) {
            refill(base)
            if _slowPath(count > valid) { return readWide(base, count) }
        }
        let result = buffer &>> UInt64(truncatingIfNeeded: 64 &- count)
        consume(count)
        return result
    }

    /// Reads 57...64 bits, more than one refill guarantees. Inlined although rare: an out-of-line
    /// `mutating` call would pin the whole decoder state in memory inside scan loops.
    @inlinable @inline(__always)
    mutating func readWide(_ base: UnsafeRawPointer, _ count: Int) -> UInt64 {
        let high = buffer &>> 32
        consume(32)
        refill(base)
        let rest = count &- 32
        let low = buffer &>> UInt64(truncatingIfNeeded: 64 &- rest)
        consume(rest)
        return high &<< UInt64(truncatingIfNeeded: rest) | low
    }

    /// Decodes sample `i ≥ 2`: a delta-of-delta timestamp and an XOR value. False when the chunk
    /// ends inside the sample or holds an impossible XOR window.
    @inlinable @inline(__always)
    mutating func step(_ base: UnsafeRawPointer) -> Bool {
        refill(base)
        let top = buffer
        if top &>> 62 == 0 {
            // The common case: same interval, same value.
            consume(2)
            timestamp &+= Int64(bitPattern: delta)
            return inBounds
        }
        if top &>> 63 == 0 {
            consume(1)
        } else {
            stepDelta(base)
        }
        timestamp &+= Int64(bitPattern: delta)
        return stepValue(base) && inBounds
    }

    /// Reads a non-zero delta-of-delta (the buffer starts with `1` and holds at least 56 bits).
    @inlinable @inline(__always)
    mutating func stepDelta(_ base: UnsafeRawPointer) {
        let ones = (~buffer).leadingZeroBitCount
        guard _fastPath(ones < 4) else {
            delta &+= readWideDelta(base)
            return
        }
        // `10` + 14 bits, `110` + 17 bits, `1110` + 20 bits: at most 24 bits, all valid.
        let size = 11 &+ 3 &* ones
        let payload = (buffer &<< UInt64(truncatingIfNeeded: ones &+ 1)) &>> UInt64(truncatingIfNeeded: 64 &- size)
        consume(ones &+ 1 &+ size)
        let half = UInt64(1) &<< UInt64(truncatingIfNeeded: size &- 1)
        // Prometheus's asymmetric bitRange: payloads above 2^(size-1) are negative.
        delta &+= payload > half ? payload &- (half &<< 1) : payload
    }

    /// The `1111` + 64-bit bucket (inlined for the same reason as ``readWide(_:_:)``).
    @inlinable @inline(__always)
    mutating func readWideDelta(_ base: UnsafeRawPointer) -> UInt64 {
        consume(4)
        return read(base, 64)
    }

    /// Reads the XOR value field; false for a window that does not fit in 64 bits.
    @inlinable @inline(__always)
    mutating func stepValue(_ base: UnsafeRawPointer) -> Bool {
        if _slowPath(valid < 13) { refill(base) }
        let top = buffer
        if top &>> 63 == 0 {
            consume(1)
            return true
        }
        if (top &<< 1) &>> 63 == 0 {
            consume(2)
        } else {
            let header = Int(truncatingIfNeeded: (top &<< 2) &>> 53)
            consume(13)
            let newLeading = header &>> 6
            var significant = header & 0x3f
            if significant == 0 { significant = 64 }
            guard newLeading &+ significant <= 64 else { return false }
            leading = newLeading
            trailing = 64 &- newLeading &- significant
        }
        let bits = read(base, 64 &- leading &- trailing)
        valueBits ^= bits &<< UInt64(truncatingIfNeeded: trailing)
        return true
    }

    /// Decodes sample 0: the varint timestamp and the raw 64-bit value.
    @usableFromInline
    mutating func first(_ base: UnsafeRawPointer) -> Bool {
        guard let start = readUvarint(base) else { return false }
        let magnitude = Int64(bitPattern: start &>> 1)
        timestamp = start & 1 == 0 ? magnitude : ~magnitude
        valueBits = read(base, 64)
        return inBounds
    }

    /// Decodes sample 1: the uvarint delta and an XOR value.
    @usableFromInline
    mutating func second(_ base: UnsafeRawPointer) -> Bool {
        guard let first = readUvarint(base) else { return false }
        delta = first
        timestamp &+= Int64(bitPattern: delta)
        return stepValue(base) && inBounds
    }

    /// Reads a Go `binary.Uvarint` (at most 10 bytes); nil when malformed or past the end.
    @usableFromInline
    mutating func readUvarint(_ base: UnsafeRawPointer) -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        for index in 0..<10 {
            let byte = read(base, 8)
            guard inBounds else { return nil }
            if byte < 0x80 {
                if index == 9 && byte > 1 { return nil }
                return result | byte &<< shift
            }
            result |= (byte & 0x7f) &<< shift
            shift &+= 7
        }
        return nil
    }
}
