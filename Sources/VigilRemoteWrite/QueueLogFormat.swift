import VigilModel

/// The byte layout of a remote-write queue segment (see docs/formats/remote-write-queue.md).
///
/// A segment is a sequence of frames: `length u32 LE | CRC32C(payload) u32 LE | payload`. A
/// payload is a sequence of entries: `1 | ref uvarint | label count uvarint | (name, value)*`
/// defines a series for the rest of the segment; `2 | ref uvarint | timestamp varint | value
/// u64 LE` is a sample of a defined series. Every segment defines the series it uses, so any
/// segment can be read (or deleted) on its own.
enum QueueLogFormat {
    static let seriesEntry: UInt8 = 1
    static let sampleEntry: UInt8 = 2
    static let frameHeaderSize = 8
    /// A frame larger than this is corruption, not data.
    static let maximumFrameSize = 64 << 20

    static func appendUVarint(_ value: UInt64, to buffer: inout [UInt8]) {
        var remaining = value
        while remaining >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        buffer.append(UInt8(remaining))
    }

    static func appendVarint(_ value: Int64, to buffer: inout [UInt8]) {
        appendUVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)), to: &buffer)
    }

    static func appendString(_ string: String, to buffer: inout [UInt8]) {
        appendUVarint(UInt64(string.utf8.count), to: &buffer)
        buffer.append(contentsOf: string.utf8)
    }

    static func appendUInt32(_ value: UInt32, to buffer: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { buffer.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    static func appendUInt64(_ value: UInt64, to buffer: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { buffer.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// Wraps `payload` in a frame.
    static func frame(_ payload: [UInt8]) -> [UInt8] {
        var frame: [UInt8] = []
        frame.reserveCapacity(payload.count + frameHeaderSize)
        appendUInt32(UInt32(payload.count), to: &frame)
        appendUInt32(CRC32C.checksum(payload), to: &frame)
        frame.append(contentsOf: payload)
        return frame
    }
}

/// Reads the entries of a frame payload.
struct QueueLogReader {
    let bytes: [UInt8]
    var position = 0

    struct Malformed: Error {
        let offset: Int
    }

    var atEnd: Bool { position >= bytes.count }

    mutating func byte() throws(Malformed) -> UInt8 {
        guard position < bytes.count else { throw Malformed(offset: position) }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func uvarint() throws(Malformed) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw Malformed(offset: position) }
            result |= UInt64(next & 0x7f) << shift
            if next & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func varint() throws(Malformed) -> Int64 {
        let raw = try uvarint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func uint64() throws(Malformed) -> UInt64 {
        guard position + 8 <= bytes.count else { throw Malformed(offset: position) }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[position + index]) << UInt64(index * 8) }
        position += 8
        return value
    }

    mutating func string() throws(Malformed) -> String {
        let count = Int(clamping: try uvarint())
        guard count <= bytes.count - position else { throw Malformed(offset: position) }
        defer { position += count }
        return String(decoding: bytes[position..<(position + count)], as: UTF8.self)
    }
}
