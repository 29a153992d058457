/// The part of MessagePack (msgpack.org spec) the forward protocol needs: a writer for every
/// type, and a reader into ``MessagePack/Value`` with limits, for acknowledgements and tests.
enum MessagePack {
    /// A decoded value.
    indirect enum Value: Sendable, Equatable {
        case nil_
        case bool(Bool)
        case int(Int64)
        case uint(UInt64)
        case float(Double)
        case string([UInt8])
        case binary([UInt8])
        case array([Value])
        case map([(Value, Value)])
        case ext(type: Int8, data: [UInt8])

        static func == (lhs: Value, rhs: Value) -> Bool {
            switch (lhs, rhs) {
            case (.nil_, .nil_): true
            case let (.bool(a), .bool(b)): a == b
            case let (.int(a), .int(b)): a == b
            case let (.uint(a), .uint(b)): a == b
            case let (.float(a), .float(b)): a == b || (a.isNaN && b.isNaN)
            case let (.string(a), .string(b)): a == b
            case let (.binary(a), .binary(b)): a == b
            case let (.array(a), .array(b)): a == b
            case let (.map(a), .map(b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
            case let (.ext(t1, d1), .ext(t2, d2)): t1 == t2 && d1 == d2
            default: false
            }
        }

        /// The text of a `.string`.
        var text: String? {
            if case .string(let bytes) = self { return String(decoding: bytes, as: UTF8.self) }
            return nil
        }

        /// The value at `key` of a `.map` whose keys are strings.
        subscript(key: String) -> Value? {
            guard case .map(let pairs) = self else { return nil }
            return pairs.first { $0.0.text == key }?.1
        }
    }

    /// Appends MessagePack encodings to a byte array.
    struct Writer {
        var bytes: [UInt8] = []

        mutating func writeNil() { bytes.append(0xc0) }

        mutating func write(_ value: Bool) { bytes.append(value ? 0xc3 : 0xc2) }

        mutating func write(_ value: Int64) {
            if value >= 0 {
                write(UInt64(value))
            } else if value >= -32 {
                bytes.append(UInt8(bitPattern: Int8(value)))
            } else if value >= Int64(Int8.min) {
                bytes.append(0xd0)
                bytes.append(UInt8(bitPattern: Int8(value)))
            } else if value >= Int64(Int16.min) {
                bytes.append(0xd1)
                bigEndian(UInt64(UInt16(bitPattern: Int16(value))), 2)
            } else if value >= Int64(Int32.min) {
                bytes.append(0xd2)
                bigEndian(UInt64(UInt32(bitPattern: Int32(value))), 4)
            } else {
                bytes.append(0xd3)
                bigEndian(UInt64(bitPattern: value), 8)
            }
        }

        mutating func write(_ value: UInt64) {
            switch value {
            case 0...0x7f: bytes.append(UInt8(value))
            case 0...0xff:
                bytes.append(0xcc)
                bytes.append(UInt8(value))
            case 0...0xffff:
                bytes.append(0xcd)
                bigEndian(value, 2)
            case 0...0xffff_ffff:
                bytes.append(0xce)
                bigEndian(value, 4)
            default:
                bytes.append(0xcf)
                bigEndian(value, 8)
            }
        }

        mutating func write(_ value: Double) {
            bytes.append(0xcb)
            bigEndian(value.bitPattern, 8)
        }

        /// A str (raw bytes; the forward protocol's strings are not checked for UTF-8).
        mutating func writeString<Bytes: Collection<UInt8>>(_ value: Bytes) {
            let count = value.count
            switch count {
            case 0..<32: bytes.append(0xa0 | UInt8(count))
            case 0...0xff:
                bytes.append(0xd9)
                bytes.append(UInt8(count))
            case 0...0xffff:
                bytes.append(0xda)
                bigEndian(UInt64(count), 2)
            default:
                bytes.append(0xdb)
                bigEndian(UInt64(count), 4)
            }
            bytes.append(contentsOf: value)
        }

        mutating func writeString(_ value: String) { writeString(value.utf8) }

        mutating func writeBinary(_ value: [UInt8]) {
            switch value.count {
            case 0...0xff:
                bytes.append(0xc4)
                bytes.append(UInt8(value.count))
            case 0...0xffff:
                bytes.append(0xc5)
                bigEndian(UInt64(value.count), 2)
            default:
                bytes.append(0xc6)
                bigEndian(UInt64(value.count), 4)
            }
            bytes.append(contentsOf: value)
        }

        mutating func writeArrayHeader(_ count: Int) {
            switch count {
            case 0..<16: bytes.append(0x90 | UInt8(count))
            case 0...0xffff:
                bytes.append(0xdc)
                bigEndian(UInt64(count), 2)
            default:
                bytes.append(0xdd)
                bigEndian(UInt64(count), 4)
            }
        }

        mutating func writeMapHeader(_ count: Int) {
            switch count {
            case 0..<16: bytes.append(0x80 | UInt8(count))
            case 0...0xffff:
                bytes.append(0xde)
                bigEndian(UInt64(count), 2)
            default:
                bytes.append(0xdf)
                bigEndian(UInt64(count), 4)
            }
        }

        mutating func writeExt(type: Int8, _ data: [UInt8]) {
            switch data.count {
            case 1: bytes.append(0xd4)
            case 2: bytes.append(0xd5)
            case 4: bytes.append(0xd6)
            case 8: bytes.append(0xd7)
            case 16: bytes.append(0xd8)
            case 0...0xff:
                bytes.append(0xc7)
                bytes.append(UInt8(data.count))
            case 0...0xffff:
                bytes.append(0xc8)
                bigEndian(UInt64(data.count), 2)
            default:
                bytes.append(0xc9)
                bigEndian(UInt64(data.count), 4)
            }
            bytes.append(UInt8(bitPattern: type))
            bytes.append(contentsOf: data)
        }

        /// Any decoded value, as it was (used by tests to round-trip).
        mutating func write(_ value: Value) {
            switch value {
            case .nil_: writeNil()
            case .bool(let flag): write(flag)
            case .int(let number): write(number)
            case .uint(let number): write(number)
            case .float(let number): write(number)
            case .string(let text): writeString(text)
            case .binary(let data): writeBinary(data)
            case .array(let elements):
                writeArrayHeader(elements.count)
                for element in elements { write(element) }
            case .map(let pairs):
                writeMapHeader(pairs.count)
                for (key, element) in pairs {
                    write(key)
                    write(element)
                }
            case .ext(let type, let data): writeExt(type: type, data)
            }
        }

        private mutating func bigEndian(_ value: UInt64, _ width: Int) {
            for shift in stride(from: (width - 1) * 8, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
            }
        }
    }

    /// Whether `bytes` received so far hold a whole value, or are malformed so that reading more
    /// will not help: where a reader of a stream stops waiting.
    static func holdsWholeValue(_ bytes: [UInt8]) -> Bool {
        var reader = Reader(bytes)
        do {
            _ = try reader.read()
            return true
        } catch {
            return !error.truncated
        }
    }

    /// Why bytes do not decode: truncated (more bytes may complete them) or malformed, at an offset.
    struct DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
        var truncated: Bool
        var message: String
        var offset: Int

        var description: String { "\(message) at byte \(offset)" }
    }

    /// Decodes MessagePack values, refusing nesting deeper than ``Reader/maxDepth`` and
    /// containers claiming more elements than bytes remain (so hostile lengths allocate nothing).
    struct Reader {
        static let maxDepth = 64
        let bytes: [UInt8]
        private(set) var offset = 0

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
        }

        var atEnd: Bool { offset == bytes.count }

        mutating func read() throws(DecodeError) -> Value {
            try read(depth: 0)
        }

        private mutating func read(depth: Int) throws(DecodeError) -> Value {
            guard depth < Self.maxDepth else { throw DecodeError(truncated: false, message: "nesting too deep", offset: offset) }
            let start = offset
            let byte = try take(1)[0]
            switch byte {
            case 0x00...0x7f: return .uint(UInt64(byte))
            case 0x80...0x8f: return try readMap(Int(byte & 0x0f), depth: depth)
            case 0x90...0x9f: return try readArray(Int(byte & 0x0f), depth: depth)
            case 0xa0...0xbf: return .string(try take(Int(byte & 0x1f)))
            case 0xc0: return .nil_
            case 0xc2: return .bool(false)
            case 0xc3: return .bool(true)
            case 0xc4: return .binary(try take(Int(try number(1))))
            case 0xc5: return .binary(try take(Int(try number(2))))
            case 0xc6: return .binary(try take(Int(try number(4))))
            case 0xc7: return try readExt(Int(try number(1)))
            case 0xc8: return try readExt(Int(try number(2)))
            case 0xc9: return try readExt(Int(try number(4)))
            case 0xca: return .float(Double(Float(bitPattern: UInt32(try number(4)))))
            case 0xcb: return .float(Double(bitPattern: try number(8)))
            case 0xcc: return .uint(try number(1))
            case 0xcd: return .uint(try number(2))
            case 0xce: return .uint(try number(4))
            case 0xcf: return .uint(try number(8))
            case 0xd0: return .int(Int64(Int8(truncatingIfNeeded: try number(1))))
            case 0xd1: return .int(Int64(Int16(truncatingIfNeeded: try number(2))))
            case 0xd2: return .int(Int64(Int32(truncatingIfNeeded: try number(4))))
            case 0xd3: return .int(Int64(bitPattern: try number(8)))
            case 0xd4: return try readExt(1)
            case 0xd5: return try readExt(2)
            case 0xd6: return try readExt(4)
            case 0xd7: return try readExt(8)
            case 0xd8: return try readExt(16)
            case 0xd9: return .string(try take(Int(try number(1))))
            case 0xda: return .string(try take(Int(try number(2))))
            case 0xdb: return .string(try take(Int(try number(4))))
            case 0xdc: return try readArray(Int(try number(2)), depth: depth)
            case 0xdd: return try readArray(Int(try number(4)), depth: depth)
            case 0xde: return try readMap(Int(try number(2)), depth: depth)
            case 0xdf: return try readMap(Int(try number(4)), depth: depth)
            case 0xe0...0xff: return .int(Int64(Int8(bitPattern: byte)))
            default: throw DecodeError(truncated: false, message: "reserved type byte 0xc1", offset: start)
            }
        }

        private mutating func take(_ count: Int) throws(DecodeError) -> [UInt8] {
            guard count <= bytes.count - offset else {
                throw DecodeError(truncated: true, message: "needs \(count) bytes, \(bytes.count - offset) left", offset: offset)
            }
            defer { offset += count }
            return Array(bytes[offset..<(offset + count)])
        }

        private mutating func number(_ width: Int) throws(DecodeError) -> UInt64 {
            try take(width).reduce(0) { $0 << 8 | UInt64($1) }
        }

        private mutating func readExt(_ count: Int) throws(DecodeError) -> Value {
            let type = Int8(bitPattern: try take(1)[0])
            return .ext(type: type, data: try take(count))
        }

        private mutating func checkCount(_ count: Int, minimumBytesEach: Int) throws(DecodeError) {
            guard count <= (bytes.count - offset) / minimumBytesEach else {
                throw DecodeError(truncated: true, message: "a container of \(count) elements exceeds the data", offset: offset)
            }
        }

        private mutating func readArray(_ count: Int, depth: Int) throws(DecodeError) -> Value {
            try checkCount(count, minimumBytesEach: 1)
            var elements: [Value] = []
            elements.reserveCapacity(count)
            for _ in 0..<count { elements.append(try read(depth: depth + 1)) }
            return .array(elements)
        }

        private mutating func readMap(_ count: Int, depth: Int) throws(DecodeError) -> Value {
            try checkCount(count, minimumBytesEach: 2)
            var pairs: [(Value, Value)] = []
            pairs.reserveCapacity(count)
            for _ in 0..<count {
                let key = try read(depth: depth + 1)
                pairs.append((key, try read(depth: depth + 1)))
            }
            return .map(pairs)
        }
    }
}
