/// The state of an XOR chunk decode, kept apart from the chunk's bytes so a scan can copy it into
/// locals and run over one `UnsafeRawPointer` for the whole chunk.
///
/// The only stream state is ``bit``, the absolute bit position. Each sample peeks one 64-bit
/// big-endian word at that position (at least 57 valid bits), which holds the whole
/// delta-of-delta and the value's control bits and window header; the value's payload is a second
/// peek whose result the next sample's position does not depend on, so it stays off the loop's
/// critical path. Peeks that would cross the end of the chunk read ``tailWord`` instead, so the
/// bytes after the chunk read as zero bits; a sample that ends past ``limitBits`` has overrun.
@usableFromInline
struct XORDecoder: Sendable {
    /// Bits consumed from the start of the chunk, header included.
    @usableFromInline var bit: Int
    /// The chunk's length in bits.
    @usableFromInline let limitBits: Int
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
    /// The current XOR window as `trailing` zeros and `significant` bits. Before any window is
    /// read both are those of Prometheus's reader (leading 0, trailing 0): a reuse reads 64 bits.
    @usableFromInline var trailing: Int
    @usableFromInline var significant: Int

    /// A decoder positioned after the 2-byte header.
    @usableFromInline
    init(bytes: UnsafeRawBufferPointer) {
        byteCount = bytes.count
        limitBits = bytes.count &* 8
        tailStart = Swift.max(0, bytes.count &- 8)
        var word: UInt64 = 0
        for index in 0..<8 {
            let byte = tailStart &+ index < bytes.count ? bytes[tailStart &+ index] : 0
            word = word &<< 8 | UInt64(byte)
        }
        tailWord = word
        bit = 16
        timestamp = 0
        delta = 0
        valueBits = 0
        trailing = 0
        significant = 64
    }

    /// The leading zeros of the current XOR window (what an appender continuing the chunk needs).
    @inlinable
    var leading: Int { 64 &- trailing &- significant }

    /// Whether the reads so far stayed inside the chunk.
    @inlinable
    var inBounds: Bool { bit <= limitBits }

    /// The last bit position from which a whole sample (at most 145 bits, and the 64-bit peeks
    /// that read it) lies at least 32 bytes before the end: ``step(_:inBounds:)`` may skip every
    /// end-of-chunk check there. Negative for chunks under 32 bytes.
    @inlinable
    var inBoundsLimitBits: Int { (byteCount &- 32) &* 8 }

    /// The 64 stream bits from bit `at`; at least the first 57 are valid (zeros past the end).
    /// `inBounds` promises that the 8 bytes at `at / 8` lie inside the chunk.
    @inlinable @inline(__always)
    func peek(_ base: UnsafeRawPointer, _ at: Int, inBounds: Bool = false) -> UInt64 {
        Self.peek(base, at, byteCount: byteCount, tailStart: tailStart, tailWord: tailWord, inBounds: inBounds)
    }

    /// ``peek(_:_:inBounds:)`` given the chunk's length and tail word instead of the whole state.
    @inlinable @inline(__always)
    static func peek(
        _ base: UnsafeRawPointer, _ at: Int, byteCount: Int, tailStart: Int, tailWord: UInt64, inBounds: Bool = false
    ) -> UInt64 {
        let offset = at &>> 3
        let word: UInt64
        if inBounds || _fastPath(offset &+ 8 <= byteCount) {
            word = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        } else {
            let shift = (offset &- tailStart) &* 8
            word = shift < 64 ? tailWord &<< UInt64(truncatingIfNeeded: shift) : 0
        }
        return word &<< UInt64(truncatingIfNeeded: at & 7)
    }

    /// Reads `count` (1...64) bits at ``bit`` as the low bits of the result and moves past them.
    @inlinable @inline(__always)
    mutating func read(_ base: UnsafeRawPointer, _ count: Int, inBounds: Bool = false) -> UInt64 {
        let result: UInt64
        if _fastPath(count <= 57) {
            result = peek(base, bit, inBounds: inBounds) &>> UInt64(truncatingIfNeeded: 64 &- count)
        } else {
            let high = peek(base, bit, inBounds: inBounds) &>> 32
            let rest = count &- 32
            result = high &<< UInt64(truncatingIfNeeded: rest)
                | peek(base, bit &+ 32, inBounds: inBounds) &>> UInt64(truncatingIfNeeded: 64 &- rest)
        }
        bit &+= count
        return result
    }

    /// Decodes sample `i ≥ 2`: a delta-of-delta timestamp and an XOR value. False when the chunk
    /// ends inside the sample or holds an impossible XOR window. `inBounds` (a constant at each
    /// call) promises ``bit`` ≤ ``inBoundsLimitBits``, which drops the end-of-chunk checks.
    ///
    /// `branchFree` (a constant at each call) drops the branch on whether the value changed, for
    /// chunks whose values change at random (counters, gauges), where that branch mispredicts at
    /// every other sample: an unchanged value then reads a payload of zero bits.
    @inlinable @inline(__always)
    mutating func step(_ base: UnsafeRawPointer, inBounds: Bool = false, branchFree: Bool = false) -> Bool {
        let word = peek(base, bit, inBounds: inBounds)
        if !branchFree && word &>> 62 == 0 {
            // The common case: same interval, same value.
            bit &+= 2
            timestamp &+= Int64(bitPattern: delta)
            return inBounds || bit <= limitBits
        }
        // Delta-of-delta: `0`, or 1-3 one bits, a zero and 14/17/20 bits (at most 24 bits, all
        // valid in `word`); four one bits take the rare 64-bit path.
        let dodLength: Int
        if word &>> 63 == 0 {
            // Same interval.
            timestamp &+= Int64(bitPattern: delta)
            dodLength = 1
        } else {
            let ones = (~word).leadingZeroBitCount
            if _slowPath(ones >= 4) { return stepWide(base, inBounds: inBounds) }
            // `10` + 14 bits, `110` + 17 bits, `1110` + 20 bits, packed one size per byte.
            let size = Int(truncatingIfNeeded: (UInt64(0x14_11_0E_00) &>> UInt64(truncatingIfNeeded: ones &* 8)) & 0xff)
            let payload = (word &<< UInt64(truncatingIfNeeded: ones &+ 1)) &>> UInt64(truncatingIfNeeded: 64 &- size)
            let half = UInt64(1) &<< UInt64(truncatingIfNeeded: size &- 1)
            // Prometheus's asymmetric bitRange: payloads above 2^(size-1) are negative.
            let negative = payload > half ? half &<< 1 : 0
            delta &+= payload &- negative
            timestamp &+= Int64(bitPattern: delta)
            dodLength = ones &+ 1 &+ size
        }
        // The value's control bits and window header follow in the same word (≤ 24 + 13 bits).
        let header = word &<< UInt64(truncatingIfNeeded: dodLength)
        return branchFree
            ? stepValueBranchless(base, header: header, at: bit &+ dodLength, inBounds: inBounds)
            : stepValue(base, header: header, at: bit &+ dodLength, inBounds: inBounds)
    }

    /// Decodes the value whose first bits are the high bits of `header`, starting at bit `at`,
    /// without branching on the control bits: `0` (unchanged), `10` (reuse the window) and `11`
    /// (new window: 5 bits of leading zeros, 6 of significant bits, 0 meaning 64).
    @inlinable @inline(__always)
    mutating func stepValue(_ base: UnsafeRawPointer, header: UInt64, at: Int, inBounds: Bool = false) -> Bool {
        if header &>> 63 == 0 {
            bit = at &+ 1
            return inBounds || bit <= limitBits
        }
        // `10` reuses the window, `11` sets a new one; chosen without a branch (irregular).
        let isNew = Int(truncatingIfNeeded: (header &<< 1) &>> 63)
        let fields = Int(truncatingIfNeeded: (header &<< 2) &>> 53)
        let newLeading = fields &>> 6
        let newSignificant = ((fields &- 1) & 0x3f) &+ 1  // 0 → 64
        let newTrailing = 64 &- newLeading &- newSignificant
        // Masks rather than conditions: a branch on `isNew` would mispredict at random.
        let newMask = 0 &- isNew
        if _slowPath(newTrailing & newMask < 0) { return false }
        significant ^= (significant ^ newSignificant) & newMask
        trailing ^= (trailing ^ newTrailing) & newMask
        return applyPayload(base, at: at &+ 2 &+ isNew &* 11, count: significant, inBounds: inBounds)
    }

    /// ``stepValue(_:header:at:inBounds:)`` with `0` (unchanged) handled as a zero-bit payload
    /// instead of a branch.
    @inlinable @inline(__always)
    mutating func stepValueBranchless(_ base: UnsafeRawPointer, header: UInt64, at: Int, inBounds: Bool = false) -> Bool {
        // The payload's length is on the loop's critical path (the next sample starts after it),
        // so it is chosen from values computed side by side: 0, the current window's width, or
        // the width the new window's header gives.
        let changed = Int(truncatingIfNeeded: header &>> 63)
        let isNew = Int(truncatingIfNeeded: (header &<< 1) &>> 63) & changed
        let widthField = Int(truncatingIfNeeded: (header &<< 7) &>> 58)
        let newSignificant = widthField == 0 ? 64 : widthField
        let reuseCount = significant & (0 &- changed)
        let count = isNew != 0 ? newSignificant : reuseCount
        let start = at &+ 1 &+ changed &+ isNew &* 11
        let newLeading = Int(truncatingIfNeeded: (header &<< 2) &>> 59)
        let newTrailing = 64 &- newLeading &- newSignificant
        // Masks rather than conditions: a branch on `isNew` would mispredict at random.
        let newMask = 0 &- isNew
        if _slowPath(newTrailing & newMask < 0) { return false }
        significant = isNew != 0 ? newSignificant : significant
        trailing ^= (trailing ^ newTrailing) & newMask
        return applyPayload(base, at: start, count: count, inBounds: inBounds)
    }

    /// XORs the `count` (0...64) payload bits at bit `at` into the value at the current window's
    /// trailing zeros and moves past them.
    @inlinable @inline(__always)
    mutating func applyPayload(_ base: UnsafeRawPointer, at start: Int, count: Int, inBounds: Bool) -> Bool {
        let bits: UInt64
        if _fastPath(count <= 57) {
            // Two shifts so that a count of 0 reads nothing (a shift by 64 would not).
            bits = (peek(base, start, inBounds: inBounds) &>> 1) &>> UInt64(truncatingIfNeeded: 63 &- count)
        } else {
            bits = Self.readWideValue(
                base, start, count, byteCount: byteCount, tailStart: tailStart, tailWord: tailWord)
        }
        valueBits ^= bits &<< UInt64(truncatingIfNeeded: trailing)
        bit = start &+ count
        return inBounds || bit <= limitBits
    }

    /// 58-64 significant bits: two peeks. Static, with the few fields it needs as arguments, so
    /// calling it out of line passes scalars in registers and does not pin the decoder's state in
    /// memory inside scan loops.
    @usableFromInline
    static func readWideValue(
        _ base: UnsafeRawPointer, _ start: Int, _ count: Int, byteCount: Int, tailStart: Int, tailWord: UInt64
    ) -> UInt64 {
        func peek(_ at: Int) -> UInt64 {
            Self.peek(base, at, byteCount: byteCount, tailStart: tailStart, tailWord: tailWord)
        }
        let rest = count &- 32
        return (peek(start) &>> 32) &<< UInt64(truncatingIfNeeded: rest)
            | peek(start &+ 32) &>> UInt64(truncatingIfNeeded: 64 &- rest)
    }

    /// The `1111` + 64-bit delta-of-delta bucket; rare.
    @inlinable @inline(__always)
    mutating func stepWide(_ base: UnsafeRawPointer, inBounds: Bool = false) -> Bool {
        bit &+= 4
        delta &+= read(base, 64, inBounds: inBounds)
        timestamp &+= Int64(bitPattern: delta)
        return stepValue(base, header: peek(base, bit, inBounds: inBounds), at: bit, inBounds: inBounds)
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
        return stepValue(base, header: peek(base, bit), at: bit)
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
