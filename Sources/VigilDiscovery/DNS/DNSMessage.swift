/// DNS wire format (RFC 1035) for the queries DNS discovery makes: one question, with an EDNS0
/// OPT record offering 4096-byte UDP answers (RFC 6891), and the answer records it reads back.
public enum DNSMessage {
    /// A record type Vigil asks for.
    public enum RecordType: UInt16, Sendable {
        /// IPv4 address.
        case a = 1
        /// Name server.
        case ns = 2
        /// Canonical name (followed, not asked for).
        case cname = 5
        /// Mail exchanger.
        case mx = 15
        /// IPv6 address.
        case aaaa = 28
        /// Service locator.
        case srv = 33
    }

    /// The data of one answer record Vigil understands.
    public enum Record: Sendable, Hashable {
        /// An IPv4 address, dotted.
        case a(String)
        /// An IPv6 address, in Go's canonical text form.
        case aaaa(String)
        /// A service: target host (no trailing dot), port, priority, weight.
        case srv(target: String, port: Int, priority: Int, weight: Int)
        /// A mail exchanger host (no trailing dot).
        case mx(String)
        /// A name server host (no trailing dot).
        case ns(String)
    }

    /// What an answer said.
    public struct Response: Sendable {
        /// The query id it answers.
        public let id: UInt16
        /// RCODE: 0 no error, 3 NXDOMAIN, …
        public let responseCode: Int
        /// Whether the server cut the answer short.
        public let truncated: Bool
        /// The records of the asked type (in the answer section, any owner name).
        public let records: [Record]
    }

    /// A malformed answer, with the byte offset where reading failed.
    public struct Malformed: Error, Sendable, CustomStringConvertible {
        /// Byte offset in the message.
        public let offset: Int
        /// What was wrong.
        public let reason: String
        /// `malformed DNS message at byte N: reason`.
        public var description: String { "malformed DNS message at byte \(offset): \(reason)" }
    }

    /// A query for `name` (absolute or not; a trailing dot is added) of `type`.
    public static func query(id: UInt16, name: String, type: RecordType) -> [UInt8] {
        var bytes: [UInt8] = []
        append16(id, to: &bytes)
        append16(0x0100, to: &bytes)  // recursion desired
        append16(1, to: &bytes)  // one question
        append16(0, to: &bytes)
        append16(0, to: &bytes)
        append16(1, to: &bytes)  // one additional: the OPT record
        for label in name.split(separator: ".") where !label.isEmpty {
            let utf8 = Array(label.utf8.prefix(63))
            bytes.append(UInt8(utf8.count))
            bytes.append(contentsOf: utf8)
        }
        bytes.append(0)
        append16(type.rawValue, to: &bytes)
        append16(1, to: &bytes)  // class IN
        // OPT: root name, type 41, UDP payload size 4096, no extended flags, no options.
        bytes.append(0)
        append16(41, to: &bytes)
        append16(4096, to: &bytes)
        append16(0, to: &bytes)
        append16(0, to: &bytes)
        append16(0, to: &bytes)
        return bytes
    }

    /// Parses an answer, keeping the records of `type`.
    public static func parse(_ bytes: [UInt8], type: RecordType) throws(Malformed) -> Response {
        var reader = Reader(bytes: bytes)
        let id = try reader.u16()
        let flags = try reader.u16()
        let questions = try reader.u16()
        let answers = try reader.u16()
        _ = try reader.u16()
        _ = try reader.u16()
        for _ in 0..<questions {
            _ = try reader.name()
            _ = try reader.u16()
            _ = try reader.u16()
        }
        var records: [Record] = []
        for _ in 0..<answers {
            _ = try reader.name()
            let recordType = try reader.u16()
            _ = try reader.u16()
            _ = try reader.u32()
            let length = Int(try reader.u16())
            let end = reader.position + length
            guard end <= bytes.count else { throw Malformed(offset: reader.position, reason: "record data runs past the end") }
            if recordType == type.rawValue {
                switch type {
                case .a:
                    guard length == 4 else { throw Malformed(offset: reader.position, reason: "A record of \(length) bytes") }
                    records.append(.a(bytes[reader.position..<end].map(String.init).joined(separator: ".")))
                case .aaaa:
                    guard length == 16 else { throw Malformed(offset: reader.position, reason: "AAAA record of \(length) bytes") }
                    records.append(.aaaa(IPv6Text.format(Array(bytes[reader.position..<end]))))
                case .srv:
                    let priority = Int(try reader.u16())
                    let weight = Int(try reader.u16())
                    let port = Int(try reader.u16())
                    records.append(.srv(target: try reader.name(), port: port, priority: priority, weight: weight))
                case .mx:
                    _ = try reader.u16()
                    records.append(.mx(try reader.name()))
                case .ns:
                    records.append(.ns(try reader.name()))
                case .cname:
                    break
                }
            }
            reader.position = end
        }
        return Response(id: id, responseCode: Int(flags & 0x000F), truncated: flags & 0x0200 != 0, records: records)
    }

    static func append16(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    struct Reader {
        let bytes: [UInt8]
        var position = 0

        mutating func u16() throws(Malformed) -> UInt16 {
            guard position + 2 <= bytes.count else { throw Malformed(offset: position, reason: "message ends early") }
            defer { position += 2 }
            return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
        }

        mutating func u32() throws(Malformed) -> UInt32 {
            UInt32(try u16()) << 16 | UInt32(try u16())
        }

        /// A possibly compressed name, without the trailing dot; `position` moves past it.
        mutating func name() throws(Malformed) -> String {
            var labels: [String] = []
            var cursor = position
            var jumped = false
            var jumps = 0
            while true {
                guard cursor < bytes.count else { throw Malformed(offset: cursor, reason: "name runs past the end") }
                let length = Int(bytes[cursor])
                if length == 0 {
                    cursor += 1
                    break
                }
                if length & 0xC0 == 0xC0 {
                    guard cursor + 1 < bytes.count else { throw Malformed(offset: cursor, reason: "truncated name pointer") }
                    jumps += 1
                    guard jumps <= 32 else { throw Malformed(offset: cursor, reason: "name pointer loop") }
                    let target = (length & 0x3F) << 8 | Int(bytes[cursor + 1])
                    if !jumped { position = cursor + 2 }
                    jumped = true
                    cursor = target
                    continue
                }
                guard length <= 63, cursor + 1 + length <= bytes.count else {
                    throw Malformed(offset: cursor, reason: "bad label length \(length)")
                }
                labels.append(String(decoding: bytes[(cursor + 1)..<(cursor + 1 + length)], as: UTF8.self))
                cursor += 1 + length
            }
            if !jumped { position = cursor }
            return labels.joined(separator: ".")
        }
    }
}

/// IPv6 addresses as Go's `net.IP.String()` writes them (RFC 5952: lower case, the longest run
/// of zero groups as `::`, IPv4-mapped addresses dotted).
enum IPv6Text {
    static func format(_ bytes: [UInt8]) -> String {
        var groups = (0..<8).map { Int(bytes[$0 * 2]) << 8 | Int(bytes[$0 * 2 + 1]) }
        if groups[0..<5].allSatisfy({ $0 == 0 }) && groups[5] == 0xFFFF {
            return bytes[12..<16].map(String.init).joined(separator: ".")
        }
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < 8 {
            if groups[index] == 0 {
                var end = index
                while end < 8 && groups[end] == 0 { end += 1 }
                if end - index > bestLength && end - index >= 2 {
                    bestStart = index
                    bestLength = end - index
                }
                index = end
            } else {
                index += 1
            }
        }
        func hex(_ values: ArraySlice<Int>) -> String { values.map { String($0, radix: 16) }.joined(separator: ":") }
        guard bestStart >= 0 else { return hex(groups[...]) }
        let head = hex(groups[0..<bestStart])
        let tail = hex(groups[(bestStart + bestLength)...])
        groups = []
        return head + "::" + tail
    }
}
