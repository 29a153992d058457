/// The wire types a protobuf field can have (groups are parsed only to be skipped).
package enum WireType: UInt8 {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5
}

/// Why bytes are not a well-formed protobuf message, and where.
package struct ProtobufError: Error, Sendable, Hashable {
    package enum Code: Sendable, Hashable {
        case truncated
        case varintTooLong
        case invalidWireType(UInt8)
        case invalidFieldNumber
        case lengthOutOfBounds(Int)
        case wrongWireType(field: UInt32, WireType)
        case unbalancedGroup
        case nestingTooDeep
        case invalidEnum(field: UInt32)
    }

    package let code: Code
    /// Offset from the start of the outermost message.
    package let offset: Int

    package var message: String {
        switch code {
        case .truncated: "unexpected end of message"
        case .varintTooLong: "varint longer than 10 bytes"
        case .invalidWireType(let type): "illegal wire type \(type)"
        case .invalidFieldNumber: "illegal field number 0"
        case .lengthOutOfBounds(let length): "length \(length) runs past the end of the message"
        case .wrongWireType(let field, let type): "field \(field) has wire type \(type.rawValue), which its type does not allow"
        case .unbalancedGroup: "unbalanced group"
        case .nestingTooDeep: "groups nested too deeply"
        case .invalidEnum(let field): "field \(field): enum value out of range"
        }
    }
}

/// A cursor over one protobuf message held in memory; every read is bounds-checked.
///
/// Nested messages are read with ``subReader(_:)``, which shares the base so error offsets stay
/// relative to the outermost buffer. Does not own the memory.
package struct ProtobufReader {
    let base: UnsafeRawPointer?
    package private(set) var position: Int
    let end: Int

    package init(_ bytes: UnsafeRawBufferPointer) {
        base = bytes.baseAddress
        position = 0
        end = bytes.count
    }

    init(base: UnsafeRawPointer?, position: Int, end: Int) {
        self.base = base
        self.position = position
        self.end = end
    }

    @inline(__always)
    package var isAtEnd: Bool { position >= end }

    @inline(__always)
    func error(_ code: ProtobufError.Code, at offset: Int? = nil) -> ProtobufError {
        ProtobufError(code: code, offset: offset ?? position)
    }

    @inline(__always)
    package mutating func readVarint() throws(ProtobufError) -> UInt64 {
        guard position < end, let base else { throw error(.truncated) }
        let first = base.load(fromByteOffset: position, as: UInt8.self)
        if first < 0x80 {
            position &+= 1
            return UInt64(first)
        }
        return try readVarintSlow(base)
    }

    mutating func readVarintSlow(_ base: UnsafeRawPointer) throws(ProtobufError) -> UInt64 {
        let start = position
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var index = position
        while true {
            guard index < end else { throw error(.truncated, at: start) }
            guard index - start < 10 else { throw error(.varintTooLong, at: start) }
            let byte = base.load(fromByteOffset: index, as: UInt8.self)
            value |= UInt64(byte & 0x7F) << shift
            index &+= 1
            if byte < 0x80 { break }
            shift &+= 7
        }
        position = index
        return value
    }

    /// Reads a field key; `nil` at the end of the message.
    @inline(__always)
    package mutating func readTag() throws(ProtobufError) -> (field: UInt32, type: WireType)? {
        if position >= end { return nil }
        let start = position
        let key = try readVarint()
        guard let type = WireType(rawValue: UInt8(key & 7)) else {
            throw error(.invalidWireType(UInt8(key & 7)), at: start)
        }
        let field = key >> 3
        guard field > 0, field <= 0x1FFF_FFFF else { throw error(.invalidFieldNumber, at: start) }
        return (UInt32(field), type)
    }

    @inline(__always)
    package mutating func readFixed64() throws(ProtobufError) -> UInt64 {
        guard end - position >= 8, let base else { throw error(.truncated) }
        let value = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
        position &+= 8
        return value
    }

    @inline(__always)
    mutating func readDouble() throws(ProtobufError) -> Double {
        Double(bitPattern: try readFixed64())
    }

    /// Reads a length prefix and returns the range of the payload, advancing past it.
    @inline(__always)
    package mutating func readLengthDelimited() throws(ProtobufError) -> Range<Int> {
        let start = position
        let length = try readVarint()
        guard length <= UInt64(end - position) else { throw error(.lengthOutOfBounds(Int(clamping: length)), at: start) }
        let payloadStart = position
        position &+= Int(length)
        return payloadStart..<position
    }

    /// A reader over a nested message's payload.
    @inline(__always)
    package func subReader(_ range: Range<Int>) -> ProtobufReader {
        ProtobufReader(base: base, position: range.lowerBound, end: range.upperBound)
    }

    /// The bytes of a payload range, valid while the underlying buffer is.
    @inline(__always)
    package func bytes(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        guard let base else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    /// Decodes a length-delimited field as a string, replacing invalid UTF-8 (non-validating paths).
    package mutating func readString() throws(ProtobufError) -> String {
        String(decoding: bytes(try readLengthDelimited()), as: UTF8.self)
    }

    /// Reads a varint as a signed 64-bit integer (protobuf `int64`).
    @inline(__always)
    package mutating func readInt64() throws(ProtobufError) -> Int64 {
        Int64(bitPattern: try readVarint())
    }

    /// Skips the value of a field of any wire type, including (deprecated) groups.
    package mutating func skip(_ type: WireType, field: UInt32) throws(ProtobufError) {
        switch type {
        case .varint: _ = try readVarint()
        case .fixed64:
            guard end - position >= 8 else { throw error(.truncated) }
            position &+= 8
        case .fixed32:
            guard end - position >= 4 else { throw error(.truncated) }
            position &+= 4
        case .lengthDelimited: _ = try readLengthDelimited()
        case .startGroup: try skipGroup(field: field, depth: 0)
        case .endGroup: throw error(.unbalancedGroup)
        }
    }

    private mutating func skipGroup(field: UInt32, depth: Int) throws(ProtobufError) {
        guard depth < 64 else { throw error(.nestingTooDeep) }
        while true {
            let start = position
            guard let (inner, type) = try readTag() else { throw error(.truncated) }
            switch type {
            case .endGroup:
                guard inner == field else { throw error(.unbalancedGroup, at: start) }
                return
            case .startGroup: try skipGroup(field: inner, depth: depth + 1)
            default: try skip(type, field: inner)
            }
        }
    }

    /// Throws unless the field has `expected` wire type.
    @inline(__always)
    package func expect(_ type: WireType, _ expected: WireType, field: UInt32, at start: Int) throws(ProtobufError) {
        if type != expected { throw error(.wrongWireType(field: field, type), at: start) }
    }
}
