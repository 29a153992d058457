/// Reads one line of Docker's json-file log driver: `{"log":"hey!\n","stream":"stdout","time":"…Z"}`.
///
/// Only the three string fields are taken; other fields (`attrs`) are skipped whatever their type.
/// A `log` without a trailing newline is a piece of a longer line (Docker splits at 16 KB).
enum DockerJSONParser {
    /// One parsed line.
    struct Line {
        var timestamp: Int64?
        var stream: LogRecord.Stream
        /// The message without its trailing newline.
        var log: [UInt8]
        var isPartial: Bool
    }

    /// The fields of `bytes`, or nil when it is not a json-file line.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Line? {
        var scanner = JSONScanner(bytes: bytes)
        guard scanner.consume(UInt8(ascii: "{")) else { return nil }
        var log: [UInt8]?
        var stream = LogRecord.Stream.none
        var timestamp: Int64?
        if !scanner.consume(UInt8(ascii: "}")) {
            repeat {
                guard let key = scanner.string(), scanner.consume(UInt8(ascii: ":")) else { return nil }
                switch key {
                case Array("log".utf8):
                    guard let value = scanner.string() else { return nil }
                    log = value
                case Array("stream".utf8):
                    guard let value = scanner.string() else { return nil }
                    stream = value == Array("stderr".utf8) ? .stderr : .stdout
                case Array("time".utf8):
                    guard let value = scanner.string() else { return nil }
                    timestamp = value.withUnsafeBytes { RFC3339Nano.parse($0) }
                default:
                    guard scanner.skipValue(depth: 0) else { return nil }
                }
            } while scanner.consume(UInt8(ascii: ","))
            guard scanner.consume(UInt8(ascii: "}")) else { return nil }
        }
        guard scanner.atEnd, var log else { return nil }
        let isPartial = log.last != UInt8(ascii: "\n")
        if !isPartial { log.removeLast() }
        return Line(timestamp: timestamp, stream: stream == .none ? .stdout : stream, log: log, isPartial: isPartial)
    }
}

/// A bounded JSON tokenizer over bytes: strings (with every escape) and skipping of any value.
struct JSONScanner {
    let bytes: UnsafeRawBufferPointer
    var index = 0
    /// Nesting deeper than this is rejected rather than recursed into.
    static let maximumDepth = 64

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var atEnd: Bool {
        mutating get {
            skipSpace()
            return index == bytes.count
        }
    }

    mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[index]) { index += 1 }
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// A string's decoded UTF-8 bytes.
    mutating func string() -> [UInt8]? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        var out: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return out
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0c)
                case UInt8(ascii: "n"): out.append(0x0a)
                case UInt8(ascii: "r"): out.append(0x0d)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(scalar), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                       bytes[index + 1] == UInt8(ascii: "u")
                    {
                        index += 2
                        guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    out.append(contentsOf: String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
                default:
                    return nil
                }
            default:
                out.append(byte)
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            index += 1
            let digit: UInt8
            switch byte {
            case 48...57: digit = byte - 48
            case 65...70: digit = byte - 55
            case 97...102: digit = byte - 87
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Skips any value; false when it is malformed or nested deeper than ``maximumDepth``.
    mutating func skipValue(depth: Int) -> Bool {
        guard depth < Self.maximumDepth else { return false }
        skipSpace()
        guard index < bytes.count else { return false }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            return string() != nil
        case UInt8(ascii: "{"):
            index += 1
            if consume(UInt8(ascii: "}")) { return true }
            repeat {
                guard string() != nil, consume(UInt8(ascii: ":")), skipValue(depth: depth + 1) else { return false }
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            index += 1
            if consume(UInt8(ascii: "]")) { return true }
            repeat {
                guard skipValue(depth: depth + 1) else { return false }
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "]"))
        default:
            let start = index
            while index < bytes.count, !([0x2c, 0x7d, 0x5d, 0x20, 0x09, 0x0a, 0x0d] as [UInt8]).contains(bytes[index]) {
                index += 1
            }
            return index > start
        }
    }
}
