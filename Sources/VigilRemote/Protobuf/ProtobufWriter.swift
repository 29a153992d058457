/// Appends protobuf fields to a byte array; nested messages are written after their size is known.
///
/// Callers compute a nested message's size with the `size(...)` helpers first, so each message is
/// written once, straight into its final place.
struct ProtobufWriter {
    var bytes: [UInt8]

    init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    static func varintSize(_ value: UInt64) -> Int {
        // 1 + floor(bits / 7), with 0 taking one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    @inline(__always)
    static func tagSize(_ field: UInt32) -> Int {
        varintSize(UInt64(field) << 3)
    }

    /// The size of a length-delimited field holding `payload` bytes, key included.
    @inline(__always)
    static func lengthDelimitedSize(field: UInt32, payload: Int) -> Int {
        tagSize(field) + varintSize(UInt64(payload)) + payload
    }

    @inline(__always)
    mutating func writeVarint(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    @inline(__always)
    mutating func writeTag(_ field: UInt32, _ type: WireType) {
        writeVarint(UInt64(field) << 3 | UInt64(type.rawValue))
    }

    /// Writes a length-delimited field's key and length; the caller appends the payload next.
    @inline(__always)
    mutating func writeLengthPrefix(field: UInt32, length: Int) {
        writeTag(field, .lengthDelimited)
        writeVarint(UInt64(length))
    }

    @inline(__always)
    mutating func writeString(field: UInt32, _ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeLengthPrefix(field: field, length: utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    @inline(__always)
    mutating func writeBytes(field: UInt32, _ value: [UInt8]) {
        writeLengthPrefix(field: field, length: value.count)
        bytes.append(contentsOf: value)
    }

    @inline(__always)
    mutating func writeDouble(field: UInt32, _ value: Double) {
        writeTag(field, .fixed64)
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 64, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift)))
        }
    }

    @inline(__always)
    mutating func writeInt64(field: UInt32, _ value: Int64) {
        writeTag(field, .varint)
        writeVarint(UInt64(bitPattern: value))
    }

    @inline(__always)
    static func stringSize(field: UInt32, _ value: String) -> Int {
        lengthDelimitedSize(field: field, payload: value.utf8.count)
    }

    @inline(__always)
    static func int64Size(field: UInt32, _ value: Int64) -> Int {
        tagSize(field) + varintSize(UInt64(bitPattern: value))
    }
}
