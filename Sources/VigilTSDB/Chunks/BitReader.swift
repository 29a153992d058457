/// Reads bits most-significant first from a byte array, 64 bits at a time.
///
/// Reading past the end sets ``overrun`` and yields zero bits; callers check the flag once per
/// sample instead of per read, which keeps the fast path to a shift and a compare.
@usableFromInline
struct BitReader: Sendable {
    @usableFromInline let bytes: [UInt8]
    /// Index of the next byte to load into ``buffer``.
    @usableFromInline var position: Int
    /// Unread bits, left-aligned.
    @usableFromInline var buffer: UInt64
    /// How many of ``buffer``'s high bits are unread.
    @usableFromInline var valid: Int
    /// Set once a read asked for more bits than the stream holds.
    @usableFromInline var overrun: Bool

    @usableFromInline
    init(bytes: [UInt8], byteOffset: Int) {
        self.bytes = bytes
        self.position = byteOffset
        self.buffer = 0
        self.valid = 0
        self.overrun = false
    }

    /// Tops the buffer up with as many whole bytes as fit (at least 57 valid bits unless the
    /// stream ends). Bits below ``valid`` already hold the following stream bits or zeros, and a
    /// reload ORs identical bits onto them, so no masking is needed.
    @inlinable
    mutating func fill() {
        let room = (64 &- valid) &>> 3
        guard room > 0 else { return }
        let available = bytes.count &- position
        if available >= 8 {
            let word = bytes.withUnsafeBytes {
                UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            }
            buffer |= word &>> UInt64(valid)
            position &+= room
            valid &+= room &* 8
            return
        }
        fillTail(room: room, available: available)
    }

    @usableFromInline
    mutating func fillTail(room: Int, available: Int) {
        let take = Swift.min(room, available)
        guard take > 0 else { return }
        for index in 0..<take {
            buffer |= UInt64(bytes[position &+ index]) &<< UInt64(56 &- valid &- 8 &* index)
        }
        position &+= take
        valid &+= 8 &* take
    }

    @inlinable
    mutating func readBit() -> Bool {
        if valid == 0 {
            fill()
            if valid == 0 {
                overrun = true
                return false
            }
        }
        let bit = buffer &>> 63
        buffer = buffer &<< 1
        valid &-= 1
        return bit != 0
    }

    /// Reads `count` bits (1...64) as the low bits of the result.
    @inlinable
    mutating func readBits(_ count: Int) -> UInt64 {
        if count > valid {
            fill()
            if count > valid { return readBitsSlow(count) }
        }
        let result = buffer &>> UInt64(64 &- count)
        buffer = count == 64 ? 0 : buffer &<< UInt64(count)
        valid &-= count
        return result
    }

    /// Reads more bits than one fill provides (up to 64) or fails at the end of the stream.
    @usableFromInline
    mutating func readBitsSlow(_ count: Int) -> UInt64 {
        let first = valid
        guard first > 0 else {
            overrun = true
            return 0
        }
        let high = buffer &>> UInt64(64 &- first)
        buffer = 0
        valid = 0
        let rest = count &- first
        fill()
        if rest > valid {
            overrun = true
            valid = 0
            return 0
        }
        let low = buffer &>> UInt64(64 &- rest)
        buffer = buffer &<< UInt64(rest)
        valid &-= rest
        return high &<< UInt64(rest) | low
    }

    /// Reads 8 bits.
    @inlinable
    mutating func readByte() -> UInt8 {
        UInt8(truncatingIfNeeded: readBits(8))
    }

    /// Reads a Go `binary.Uvarint` (at most 10 bytes).
    @inlinable
    mutating func readUvarint() -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        for index in 0..<10 {
            let byte = readByte()
            if overrun { return 0 }
            if byte < 0x80 {
                if index == 9 && byte > 1 {
                    overrun = true
                    return 0
                }
                return result | UInt64(byte) &<< shift
            }
            result |= UInt64(byte & 0x7f) &<< shift
            shift &+= 7
        }
        overrun = true
        return 0
    }

    /// Reads a Go `binary.Varint` (zig-zag).
    @inlinable
    mutating func readVarint() -> Int64 {
        let zigzag = readUvarint()
        let magnitude = Int64(bitPattern: zigzag &>> 1)
        return zigzag & 1 == 0 ? magnitude : ~magnitude
    }
}

extension BitWriter {
    /// Writes a Go `binary.Uvarint`.
    @inlinable
    mutating func writeUvarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            writeByte(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest &>>= 7
        }
        writeByte(UInt8(truncatingIfNeeded: rest))
    }

    /// Writes a Go `binary.Varint` (zig-zag).
    @inlinable
    mutating func writeVarint(_ value: Int64) {
        let zigzag = UInt64(bitPattern: value &<< 1) ^ UInt64(bitPattern: value &>> 63)
        writeUvarint(zigzag)
    }
}
