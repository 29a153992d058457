/// Appends bits most-significant first to a growing byte array, the way Prometheus's `bstream`
/// does; the unused low bits of the last byte stay zero.
@usableFromInline
struct BitWriter: Sendable {
    @usableFromInline var bytes: [UInt8]
    /// Unused bits left in the last byte (0 when the next bit needs a new byte).
    @usableFromInline var freeBits: Int

    @usableFromInline
    init(reservingCapacity capacity: Int = 128) {
        bytes = []
        bytes.reserveCapacity(capacity)
        freeBits = 0
    }

    @usableFromInline
    init(bytes: [UInt8], freeBits: Int) {
        self.bytes = bytes
        self.freeBits = freeBits
    }

    @inlinable
    mutating func writeBit(_ bit: Bool) {
        if freeBits == 0 {
            bytes.append(0)
            freeBits = 8
        }
        freeBits &-= 1
        if bit { bytes[bytes.count &- 1] |= UInt8(1) &<< UInt8(freeBits) }
    }

    /// Writes the low `count` bits of `value` (0...64), high bit first.
    @inlinable
    mutating func writeBits(_ value: UInt64, _ count: Int) {
        guard count > 0 else { return }
        var remaining = count
        var aligned = value &<< UInt64(64 &- count)  // count == 64 → shift by 0
        while remaining > 0 {
            if freeBits == 0 {
                if remaining >= 8 {
                    // Whole bytes while byte-aligned.
                    bytes.append(UInt8(truncatingIfNeeded: aligned &>> 56))
                    aligned = aligned &<< 8
                    remaining &-= 8
                    continue
                }
                bytes.append(0)
                freeBits = 8
            }
            let take = Swift.min(freeBits, remaining)
            let top = UInt8(truncatingIfNeeded: aligned &>> UInt64(64 &- take))
            bytes[bytes.count &- 1] |= top &<< UInt8(freeBits &- take)
            aligned = aligned &<< UInt64(take)
            remaining &-= take
            freeBits &-= take
        }
    }

    /// Writes a whole byte at the current bit position.
    @inlinable
    mutating func writeByte(_ byte: UInt8) {
        writeBits(UInt64(byte), 8)
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
