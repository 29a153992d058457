/// A pull reader over JSON bytes for the hot request paths (posted alerts, pushed logs), where
/// Foundation's `JSONSerialization` costs more than the work the request asks for: it reads
/// values in place, builds no intermediate tree, and fails with the byte offset of the problem.
///
/// Call the reading method for the value expected next; ``readArray(_:)`` and ``readObject(_:)``
/// call back once per element or member, and the callback must consume exactly one value (or
/// ``skipValue()`` it). Nesting deeper than ``maxDepth`` is refused, so hostile input cannot
/// exhaust the stack.
public struct JSONReader {
    /// A malformed document: what was expected and where.
    public struct Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong.
        public let message: String
        /// The byte offset it was found at.
        public let offset: Int

        /// An error at `offset`.
        public init(message: String, offset: Int) {
            self.message = message
            self.offset = offset
        }

        /// `message at byte N`.
        public var description: String { "\(message) at byte \(offset)" }
    }

    /// How deep arrays and objects may nest.
    public static let maxDepth = 256

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    /// A reader at the start of `bytes`.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// An error at the current position, for a caller that finds a well-formed value it
    /// cannot accept.
    public func failure(_ message: String) -> Error {
        Error(message: message, offset: index)
    }

    private func fail(_ message: String) -> Error {
        failure(message)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(Error) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { throw fail("expected \(what)") }
        index += 1
    }

    private mutating func consumeLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let matches = literal.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
        }
        if matches { index += count }
        return matches
    }

    /// Consumes a `null` if one comes next.
    public mutating func readNull() -> Bool {
        skipWhitespace()
        return consumeLiteral("null")
    }

    /// Reads `true` or `false`.
    public mutating func readBool() throws(Error) -> Bool {
        skipWhitespace()
        if consumeLiteral("true") { return true }
        if consumeLiteral("false") { return false }
        throw fail("expected true or false")
    }

    /// Reads an array, calling `element` once per element.
    public mutating func readArray(_ element: (inout JSONReader) throws(Error) -> Void) throws(Error) {
        try expect(UInt8(ascii: "["), "'['")
        try enter()
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return
        }
        while true {
            try element(&self)
            skipWhitespace()
            guard index < bytes.count else { throw fail("unterminated array") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return
            default: throw fail("expected ',' or ']'")
            }
        }
    }

    /// Reads an object, calling `member` once per member with its key.
    public mutating func readObject(_ member: (inout JSONReader, String) throws(Error) -> Void) throws(Error) {
        try readObject { (reader: inout JSONReader, key: Key) throws(Error) in
            try member(&reader, reader.text(of: key))
        }
    }

    /// A member's key as ``readObject(keys:)`` hands it over: where it is written when it holds no
    /// escapes (no string is made for a key the caller only compares), else its decoded text.
    public enum Key {
        /// The key's bytes, between its quotes.
        case written(Range<Int>)
        /// The key, its escapes decoded.
        case decoded(String)
    }

    /// The text of `key`.
    public func text(of key: Key) -> String {
        switch key {
        case .written(let range):
            bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
        case .decoded(let text): text
        }
    }

    /// The position in `candidates` (UTF-8 texts) of the first that `key` is, or nil; a written
    /// key is compared as written, without making a string. One call for the whole list:
    /// parsers that keep a few fields test every key of every line against it.
    public func index(of key: Key, in candidates: [[UInt8]]) -> Int? {
        switch key {
        case .written(let range):
            bytes.withUnsafeBufferPointer { buffer in
                let written = UnsafeBufferPointer(rebasing: buffer[range])
                for index in candidates.indices where candidates[index].count == written.count {
                    if candidates[index].withUnsafeBufferPointer({ $0.elementsEqual(written) }) { return index }
                }
                return nil
            }
        case .decoded(let text): candidates.firstIndex { text.utf8.elementsEqual($0) }
        }
    }

    /// Reads an object, calling `member` once per member with its ``Key``.
    public mutating func readObject(keys member: (inout JSONReader, Key) throws(Error) -> Void) throws(Error) {
        try expect(UInt8(ascii: "{"), "'{'")
        try enter()
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return
        }
        while true {
            let key = try readStringToken()
            try expect(UInt8(ascii: ":"), "':'")
            try member(&self, key)
            skipWhitespace()
            guard index < bytes.count else { throw fail("unterminated object") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return
            default: throw fail("expected ',' or '}'")
            }
        }
    }

    /// Reads a string as a ``Key``: where it is written when it holds no escapes (no string is
    /// made), else its decoded text.
    private mutating func readStringToken() throws(Error) -> Key {
        try expect(UInt8(ascii: "\""), "a string")
        let start = index
        index = plainEnd(from: start)
        guard index < bytes.count else { throw fail("unterminated string") }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            index += 1
            return .written(start..<(index - 1))
        case UInt8(ascii: "\\"): return .decoded(try readEscapedString(from: start))
        default: throw fail("control character in string")
        }
    }

    private mutating func enter() throws(Error) {
        depth += 1
        if depth > Self.maxDepth { throw fail("nesting deeper than \(Self.maxDepth)") }
    }

    /// Reads a string, decoding escapes (`\uXXXX` with surrogate pairs); invalid UTF-8 is replaced.
    public mutating func readString() throws(Error) -> String {
        text(of: try readStringToken())
    }

    /// Skips a string, checking it as ``readString()`` does, without making it.
    private mutating func skipString() throws(Error) {
        _ = try readStringToken()
    }

    /// The offset of the first quote, backslash or control character at or after `start` (the
    /// end of the input when there is none).
    private func plainEnd(from start: Int) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return start }
            var position = start
            // Eight bytes at a time while none is a quote, a backslash or below 0x20.
            while position + 8 <= buffer.count {
                let word = ByteWord.load(base + position)
                if ByteWord.containsByte(word, below: 0x20) || ByteWord.contains(word, 0x22) || ByteWord.contains(word, 0x5c) { break }
                position += 8
            }
            while position < buffer.count {
                let byte = buffer[position]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return position }
                position += 1
            }
            return position
        }
    }

    private mutating func readEscapedString(from start: Int) throws(Error) -> String {
        var out = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw fail("unterminated escape") }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escaped)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try readHex4()
                    if (0xD800..<0xDC00).contains(scalar), consumeLiteral("\\u") {
                        let low = try readHex4()
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            out.append(contentsOf: Array("\u{FFFD}".utf8))
                            scalar = low
                        }
                    }
                    let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(character).utf8))
                default:
                    index -= 1
                    throw fail("invalid escape")
                }
            default:
                if byte < 0x20 {
                    index -= 1
                    throw fail("control character in string")
                }
                out.append(byte)
            }
        }
        throw fail("unterminated string")
    }

    private mutating func readHex4() throws(Error) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail("invalid \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    /// The next value's first byte (after whitespace), without consuming it; nil at the end.
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    /// Skips one value and returns its text as written (for numbers, literals and arrays kept verbatim).
    public mutating func readRawValue() throws(Error) -> ArraySlice<UInt8> {
        skipWhitespace()
        let start = index
        try skipValue()
        return bytes[start..<index]
    }

    /// Skips one value of any kind.
    public mutating func skipValue() throws(Error) {
        skipWhitespace()
        guard index < bytes.count else { throw fail("expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "["): try readArray { (reader: inout JSONReader) throws(Error) in try reader.skipValue() }
        case UInt8(ascii: "{"): try readObject(keys: { (reader: inout JSONReader, _: Key) throws(Error) in try reader.skipValue() })
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try readBool()
        case UInt8(ascii: "n"):
            guard readNull() else { throw fail("expected a value") }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
        default: throw fail("expected a value")
        }
    }

    private mutating func skipNumber() throws(Error) {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        var digits = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
                 UInt8(ascii: "+"), UInt8(ascii: "-"):
                index += 1
                digits += 1
            default:
                if digits == 0 { throw Error(message: "invalid number", offset: start) }
                return
            }
        }
        if digits == 0 { throw Error(message: "invalid number", offset: start) }
    }

    /// Reads a number that must be an integer within `Int64` (a status code, a count).
    public mutating func readInteger() throws(Error) -> Int64 {
        skipWhitespace()
        let start = index
        guard index < bytes.count else { throw fail("expected an integer") }
        try skipNumber()
        guard let value = Int64(String(decoding: bytes[start..<index], as: UTF8.self)) else {
            throw Error(message: "expected an integer", offset: start)
        }
        return value
    }

    /// Checks nothing but whitespace follows the value just read.
    public mutating func expectEnd() throws(Error) {
        skipWhitespace()
        if index != bytes.count { throw fail("unexpected data after the value") }
    }
}
