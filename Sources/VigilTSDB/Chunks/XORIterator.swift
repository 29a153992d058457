/// Decodes an ``XORChunk`` sample by sample without allocating.
///
/// Call ``next()`` until it returns false, reading ``timestamp`` and ``value`` after each true;
/// then ``failed`` tells a clean end from a truncated chunk.
public struct XORIterator: Sendable {
    @usableFromInline var reader: BitReader
    /// Samples the header promises.
    public let total: Int
    @usableFromInline var read: Int
    @usableFromInline var currentTimestamp: Int64
    @usableFromInline var valueBits: UInt64
    @usableFromInline var delta: UInt64
    @usableFromInline var leading: UInt8
    @usableFromInline var trailing: UInt8
    @usableFromInline var storedFailed: Bool
    /// True once the bit stream ended before ``total`` samples.
    @inlinable public var failed: Bool { storedFailed }

    /// An iterator over encoded chunk bytes (header included).
    public init(bytes: [UInt8]) {
        if bytes.count >= 2 {
            total = Int(bytes[0]) &<< 8 | Int(bytes[1])
            storedFailed = false
        } else {
            total = 0
            storedFailed = true
        }
        reader = BitReader(bytes: bytes, byteOffset: 2)
        read = 0
        currentTimestamp = 0
        valueBits = 0
        delta = 0
        leading = 0
        trailing = 0
    }

    /// The current sample's timestamp (ms).
    @inlinable
    public var timestamp: Int64 { currentTimestamp }

    /// The current sample's value, bit pattern intact (stale markers survive).
    @inlinable
    public var value: Double { Double(bitPattern: valueBits) }

    /// The current sample.
    @inlinable
    public var at: (t: Int64, v: Double) { (currentTimestamp, Double(bitPattern: valueBits)) }

    /// Advances to the next sample; false at the end or on a damaged chunk.
    @inlinable
    public mutating func next() -> Bool {
        guard read < total else { return false }
        if read >= 2 {
            // Fast path: an unchanged delta and value are the bits `00`.
            if reader.valid < 2 { reader.fill() }
            if reader.valid >= 2 && reader.buffer &>> 62 == 0 {
                reader.buffer = reader.buffer &<< 2
                reader.valid &-= 2
                currentTimestamp = currentTimestamp &+ Int64(bitPattern: delta)
                read &+= 1
                return true
            }
        }
        switch read {
        case 0:
            currentTimestamp = reader.readVarint()
            valueBits = reader.readBits(64)
        case 1:
            delta = reader.readUvarint()
            currentTimestamp = currentTimestamp &+ Int64(bitPattern: delta)
            readValue()
        default:
            readTimestamp()
            readValue()
        }
        if reader.overrun {
            storedFailed = true
            read = total
            return false
        }
        read &+= 1
        return true
    }

    /// Moves to the first sample at or after `target`; stays put if the current sample already
    /// qualifies. False when no such sample exists.
    @inlinable
    public mutating func seek(to target: Int64) -> Bool {
        if read > 0 && currentTimestamp >= target && !failed && read <= total { return true }
        while next() {
            if currentTimestamp >= target { return true }
        }
        return false
    }

    @inlinable
    mutating func readTimestamp() {
        // Fast path: a zero delta-of-delta is one 0 bit.
        if !reader.readBit() {
            currentTimestamp = currentTimestamp &+ Int64(bitPattern: delta)
            return
        }
        let size: Int
        if !reader.readBit() {
            size = 14
        } else if !reader.readBit() {
            size = 17
        } else if !reader.readBit() {
            size = 20
        } else {
            size = 64
        }
        var bits = reader.readBits(size)
        if size != 64 && bits > (UInt64(1) &<< UInt64(size &- 1)) {
            bits = bits &- (UInt64(1) &<< UInt64(size))
        }
        delta = delta &+ bits
        currentTimestamp = currentTimestamp &+ Int64(bitPattern: delta)
    }

    @inlinable
    mutating func readValue() {
        if !reader.readBit() { return }
        if reader.readBit() {
            leading = UInt8(truncatingIfNeeded: reader.readBits(5))
            var significant = UInt8(truncatingIfNeeded: reader.readBits(6))
            if significant == 0 { significant = 64 }
            guard Int(leading) &+ Int(significant) <= 64 else {
                reader.overrun = true
                return
            }
            trailing = 64 &- leading &- significant
        }
        let significant = 64 &- Int(leading) &- Int(trailing)
        let bits = reader.readBits(significant)
        valueBits ^= bits &<< UInt64(trailing)
    }
}
