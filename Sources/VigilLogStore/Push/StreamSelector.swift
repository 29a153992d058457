public import VigilModel

/// A plain LogQL stream selector, `{app="api", env=~"prod|staging"}`: what a push's `labels`
/// string and the `match[]` of `/loki/api/v1/series` carry.
///
/// Only the selector itself: line filters and the rest of LogQL belong to `VigilLogQL`. Values
/// are Go string literals (double-quoted with Go escapes, or back-quoted raw). Errors name the
/// byte offset.
public enum StreamSelector {
    /// Parses `text` into matchers; at least one matcher must not match the empty string
    /// (Loki's rule), unless `allowEmpty` (for `{}` in a push, which Loki rejects separately).
    public static func parse(_ text: String) throws(LogStoreError) -> [LabelMatcher] {
        var parser = Parser(bytes: Array(text.utf8), text: text)
        let matchers = try parser.selector()
        guard matchers.contains(where: { !$0.matchesEmpty }) else {
            throw .badRequest(
                "parse error: queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will")
        }
        return matchers
    }

    /// Parses a push's `labels` string, `{a="b", c="d"}`, into a label set (equality only).
    public static func parseLabels(_ text: String) throws(LogStoreError) -> Labels {
        var parser = Parser(bytes: Array(text.utf8), text: text)
        let matchers = try parser.selector()
        var labels: [Label] = []
        labels.reserveCapacity(matchers.count)
        for matcher in matchers {
            guard matcher.type == .equal else {
                throw .badRequest("Error parsing labels '\(text)' with error: label \(matcher.name) uses \(matcher.type), only = is allowed")
            }
            labels.append(Label(name: matcher.name, value: matcher.value))
        }
        return try PushValidation.labels(labels, source: text)
    }

    struct Parser {
        let bytes: [UInt8]
        let text: String
        var index = 0

        func fail(_ message: String) -> LogStoreError {
            .badRequest("parse error at byte \(index) of \(GoQuote.quote(text)): \(message)")
        }

        mutating func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
                index += 1
            }
        }

        mutating func selector() throws(LogStoreError) -> [LabelMatcher] {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { throw fail("expected {") }
            index += 1
            var matchers: [LabelMatcher] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
            } else {
                while true {
                    matchers.append(try matcher())
                    skipSpace()
                    guard index < bytes.count else { throw fail("expected , or }") }
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        skipSpace()
                        // A trailing comma before } is accepted, as Prometheus does.
                        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; break }
                        continue
                    }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; break }
                    throw fail("expected , or }")
                }
            }
            skipSpace()
            guard index == bytes.count else { throw fail("unexpected text after }") }
            return matchers
        }

        mutating func matcher() throws(LogStoreError) -> LabelMatcher {
            skipSpace()
            let start = index
            while index < bytes.count, Self.isNameByte(bytes[index], first: index == start) { index += 1 }
            guard index > start else { throw fail("expected a label name") }
            let name = String(decoding: bytes[start..<index], as: UTF8.self)
            skipSpace()
            guard index < bytes.count else { throw fail("expected a match operator") }
            let type: LabelMatcher.MatchType
            switch bytes[index] {
            case UInt8(ascii: "="):
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "~") {
                    type = .regexMatch
                    index += 2
                } else {
                    type = .equal
                    index += 1
                }
            case UInt8(ascii: "!"):
                guard index + 1 < bytes.count else { throw fail("expected != or !~") }
                if bytes[index + 1] == UInt8(ascii: "=") {
                    type = .notEqual
                } else if bytes[index + 1] == UInt8(ascii: "~") {
                    type = .regexNoMatch
                } else {
                    throw fail("expected != or !~")
                }
                index += 2
            default: throw fail("expected =, !=, =~ or !~")
            }
            skipSpace()
            let valueStart = index
            let value = try string()
            do {
                return try LabelMatcher(type, name, value)
            } catch {
                index = valueStart
                throw fail("invalid matcher for \(name): \(error)")
            }
        }

        static func isNameByte(_ byte: UInt8, first: Bool) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): true
            case UInt8(ascii: "0")...UInt8(ascii: "9"): !first
            default: false
            }
        }

        /// A Go string literal: `"…"` with escapes or `` `…` `` raw.
        mutating func string() throws(LogStoreError) -> String {
            guard index < bytes.count else { throw fail("expected a quoted string") }
            let quote = bytes[index]
            if quote == UInt8(ascii: "`") {
                index += 1
                let start = index
                while index < bytes.count, bytes[index] != quote { index += 1 }
                guard index < bytes.count else { throw fail("unterminated raw string") }
                defer { index += 1 }
                return String(decoding: bytes[start..<index], as: UTF8.self)
            }
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { throw fail("expected a quoted string") }
            index += 1
            var out: [UInt8] = []
            while true {
                guard index < bytes.count else { throw fail("unterminated string") }
                let byte = bytes[index]
                if byte == quote { index += 1; break }
                if byte == 0x0A { throw fail("newline in string") }
                if byte != UInt8(ascii: "\\") {
                    out.append(byte)
                    index += 1
                    continue
                }
                index += 1
                guard index < bytes.count else { throw fail("unterminated escape") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "a"): out.append(0x07)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "v"): out.append(0x0B)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): out.append(escape)
                case UInt8(ascii: "x"): out.append(UInt8(try hex(2)))
                case UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let code = try hex(escape == UInt8(ascii: "u") ? 4 : 8)
                    guard let scalar = Unicode.Scalar(code) else { throw fail("invalid Unicode escape") }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                case UInt8(ascii: "0")...UInt8(ascii: "7"):
                    var value = UInt32(escape - UInt8(ascii: "0"))
                    for _ in 0..<2 {
                        guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[index]) else {
                            throw fail("invalid octal escape")
                        }
                        value = value * 8 + UInt32(bytes[index] - UInt8(ascii: "0"))
                        index += 1
                    }
                    guard value <= 255 else { throw fail("octal escape above \\377") }
                    out.append(UInt8(value))
                default: throw fail("unknown escape \\\(Character(Unicode.Scalar(escape)))")
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        mutating func hex(_ digits: Int) throws(LogStoreError) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<digits {
                guard index < bytes.count else { throw fail("short hex escape") }
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw fail("invalid hex digit")
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }
    }
}
