/// Reads a JSON log line the way Loki's `json` parser does: nested objects flatten into
/// `a_b_c` labels, arrays are skipped, strings are unescaped, numbers and booleans keep their
/// text. Works on the line's bytes; builds Strings only for the fields it emits.
struct JSONFields {
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var offset: Int
        var description: String { "\(message) at byte \(offset)" }
    }

    let bytes: UnsafeRawBufferPointer
    var index = 0
    var depth = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Calls `emit(key, value)` for every scalar field; `wanted` (when non-nil) limits which
    /// flattened keys become Strings.
    mutating func flatten(wanted: Set<String>? = nil, _ emit: (String, String) -> Void) throws(Failure) {
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { throw fail("expected {") }
        try object(prefix: "", wanted: wanted, emit)
        skipSpace()
        guard index == bytes.count else { throw fail("unexpected data after the object") }
    }

    func fail(_ message: String) -> Failure { Failure(message: message, offset: index) }

    /// The index of the closing quote when the key starting at `start` is only ASCII letters,
    /// digits and `_` and does not start with a digit; nil otherwise.
    func plainKeyEnd(from start: Int) -> Int? {
        var position = start
        guard position < bytes.count, Lexer.isIdentifierStart(bytes[position]) else { return nil }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { return position }
            guard Lexer.isLetter(byte) || Lexer.isDigit(byte) || byte == UInt8(ascii: "_") else { return nil }
            position += 1
        }
        return nil
    }

    /// Whether `wanted` holds the name spelled by `key`'s bytes.
    static func contains(_ wanted: Set<String>, _ key: Slice<UnsafeRawBufferPointer>) -> Bool {
        for name in wanted where name.utf8.count == key.count && name.utf8.elementsEqual(key) { return true }
        return false
    }

    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func object(prefix: String, wanted: Set<String>?, _ emit: (String, String) -> Void) throws(Failure) {
        depth += 1
        guard depth < 128 else { throw fail("nesting too deep") }
        index += 1
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return
        }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key") }
            let keyStart = index + 1
            let plainKeyEnd = plainKeyEnd(from: keyStart)
            if let wanted, prefix.isEmpty, let plainKeyEnd {
                // A top-level key of letters, digits and `_` is its own label name: when a
                // scalar under it is not wanted, skip it without making Strings.
                index = plainKeyEnd + 1
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected :") }
                index += 1
                skipSpace()
                guard index < bytes.count else { throw fail("unexpected end") }
                if bytes[index] != UInt8(ascii: "{"), !Self.contains(wanted, bytes[keyStart..<plainKeyEnd]) {
                    try skipValue()
                    skipSpace()
                    guard index < bytes.count else { throw fail("unexpected end") }
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    guard bytes[index] == UInt8(ascii: "}") else { throw fail("expected , or }") }
                    index += 1
                    depth -= 1
                    return
                }
                index = keyStart - 1
            }
            let key = try string()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected :") }
            index += 1
            skipSpace()
            guard index < bytes.count else { throw fail("unexpected end") }
            let name = prefix.isEmpty ? Self.sanitize(key, prefix: true) : prefix + "_" + Self.sanitize(key, prefix: false)
            let isWanted = wanted?.contains(name) ?? true
            switch bytes[index] {
            case UInt8(ascii: "{"): try object(prefix: name, wanted: wanted, emit)
            case UInt8(ascii: "["): try skipValue()
            case UInt8(ascii: "\""):
                if isWanted { emit(name, try string()) } else { try skipValue() }
            case UInt8(ascii: "n"):
                try literal("null")
            default:
                let start = index
                try skipScalar()
                if isWanted { emit(name, String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)) }
            }
            skipSpace()
            guard index < bytes.count else { throw fail("unexpected end") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { throw fail("expected , or }") }
            index += 1
            depth -= 1
            return
        }
    }

    mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("unexpected end") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw fail("invalid literal") }
        index += count
    }

    /// A number, `true` or `false`.
    mutating func skipScalar() throws(Failure) {
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default:
            while index < bytes.count {
                let byte = bytes[index]
                if Lexer.isDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
                {
                    index += 1
                } else {
                    break
                }
            }
            guard index > start else { throw fail("invalid character") }
        }
    }

    /// Skips any value.
    mutating func skipValue() throws(Failure) {
        skipSpace()
        guard index < bytes.count else { throw fail("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            depth += 1
            guard depth < 128 else { throw fail("nesting too deep") }
            let close = bytes[index] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            let isObject = close == UInt8(ascii: "}")
            index += 1
            skipSpace()
            if index < bytes.count, bytes[index] == close {
                index += 1
                depth -= 1
                return
            }
            while true {
                if isObject {
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key") }
                    try skipString()
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected :") }
                    index += 1
                }
                try skipValue()
                skipSpace()
                guard index < bytes.count else { throw fail("unexpected end") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == close else { throw fail("expected , or closing bracket") }
                index += 1
                depth -= 1
                return
            }
        default: try skipScalar()
        }
    }

    /// Skips the string literal at `index` (at its opening quote), failing where ``string()`` would,
    /// without making it: a skipped field costs a scan, not an allocation.
    mutating func skipString() throws(Failure) {
        let open = index
        index += 1
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") { index += 1 }
        guard index < bytes.count else { throw fail("unterminated string") }
        if bytes[index] == UInt8(ascii: "\"") {
            index += 1
            return
        }
        // Escapes are rare: the decoding reader checks them.
        index = open
        _ = try string()
    }

    /// Reads a string literal at `index` (which is at the opening quote), unescaping it.
    mutating func string() throws(Failure) -> String {
        index += 1
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") { index += 1 }
        guard index < bytes.count else { throw fail("unterminated string") }
        if bytes[index] == UInt8(ascii: "\"") {
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            index += 1
            return text
        }
        var out = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: out, as: UTF8.self)
            }
            if byte != UInt8(ascii: "\\") {
                out.append(byte)
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { break }
            let escaped = bytes[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(escaped)
            case UInt8(ascii: "u"):
                guard var code = hex4() else { throw fail("invalid \\u escape") }
                if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                {
                    index += 2
                    guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { throw fail("invalid surrogate") }
                    code = 0x10000 + (code - 0xD800) << 10 + (low - 0xDC00)
                }
                let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: throw fail("invalid escape")
            }
        }
        throw fail("unterminated string")
    }

    mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[index + offset]
            guard Lexer.isHexDigit(byte) else { return nil }
            value = value * 16 + UInt32(Lexer.isDigit(byte) ? byte - 0x30 : (byte | 0x20) - 0x61 + 10)
        }
        index += 4
        return value
    }

    /// Loki's `sanitizeLabelKey`: anything outside `[a-zA-Z0-9_]` becomes `_`; a leading digit of
    /// a top-level key gets a `_` prefix.
    static func sanitize(_ key: String, prefix: Bool) -> String {
        var needsWork = key.isEmpty
        for byte in key.utf8 where !(Lexer.isLetter(byte) || Lexer.isDigit(byte) || byte == UInt8(ascii: "_")) {
            needsWork = true
            break
        }
        if let first = key.utf8.first, prefix, Lexer.isDigit(first) { needsWork = true }
        if !needsWork { return key }
        var out = ""
        for scalar in key.unicodeScalars {
            if scalar.isASCII, Lexer.isLetter(UInt8(scalar.value)) || Lexer.isDigit(UInt8(scalar.value)) || scalar == "_" {
                out.unicodeScalars.append(scalar)
            } else {
                out.append("_")
            }
        }
        if prefix, let first = out.utf8.first, Lexer.isDigit(first) { out = "_" + out }
        return out
    }
}

/// A path of `json a="b.c[0]"`: keys and array indexes.
struct JSONPath: Sendable, Hashable {
    enum Step: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    let steps: [Step]

    init?(_ text: String) {
        var steps: [Step] = []
        var characters = Substring(text)
        var current = ""
        func flush() {
            if !current.isEmpty { steps.append(.key(current)) }
            current = ""
        }
        while let character = characters.first {
            characters = characters.dropFirst()
            switch character {
            case ".": flush()
            case "[":
                flush()
                if let quote = characters.first, quote == "\"" || quote == "'" {
                    characters = characters.dropFirst()
                    guard let end = characters.firstIndex(of: quote) else { return nil }
                    steps.append(.key(String(characters[..<end])))
                    characters = characters[characters.index(after: end)...]
                    guard characters.first == "]" else { return nil }
                    characters = characters.dropFirst()
                } else {
                    guard let end = characters.firstIndex(of: "]"), let index = Int(characters[..<end]) else { return nil }
                    steps.append(.index(index))
                    characters = characters[characters.index(after: end)...]
                }
            default: current.append(character)
            }
        }
        flush()
        guard !steps.isEmpty else { return nil }
        self.steps = steps
    }

    /// The value at the path: a string unescaped, anything else as its JSON text; nil when absent.
    func extract(from bytes: UnsafeRawBufferPointer) -> String? {
        var reader = JSONFields(bytes)
        do {
            for step in steps {
                reader.skipSpace()
                guard reader.index < bytes.count else { return nil }
                switch step {
                case .key(let wanted):
                    guard bytes[reader.index] == UInt8(ascii: "{") else { return nil }
                    reader.index += 1
                    var found = false
                    while !found {
                        reader.skipSpace()
                        guard reader.index < bytes.count else { return nil }
                        if bytes[reader.index] == UInt8(ascii: "}") { return nil }
                        if bytes[reader.index] == UInt8(ascii: ",") { reader.index += 1; reader.skipSpace() }
                        guard reader.index < bytes.count, bytes[reader.index] == UInt8(ascii: "\"") else { return nil }
                        let key = try reader.string()
                        reader.skipSpace()
                        guard reader.index < bytes.count, bytes[reader.index] == UInt8(ascii: ":") else { return nil }
                        reader.index += 1
                        if key == wanted { found = true } else { try reader.skipValue() }
                    }
                case .index(let wanted):
                    guard bytes[reader.index] == UInt8(ascii: "[") else { return nil }
                    reader.index += 1
                    for position in 0... {
                        reader.skipSpace()
                        guard reader.index < bytes.count, bytes[reader.index] != UInt8(ascii: "]") else { return nil }
                        if position == wanted { break }
                        try reader.skipValue()
                        reader.skipSpace()
                        guard reader.index < bytes.count, bytes[reader.index] == UInt8(ascii: ",") else { return nil }
                        reader.index += 1
                    }
                }
            }
            reader.skipSpace()
            guard reader.index < bytes.count else { return nil }
            if bytes[reader.index] == UInt8(ascii: "\"") { return try reader.string() }
            let start = reader.index
            try reader.skipValue()
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<reader.index]), as: UTF8.self)
            return text == "null" ? "" : text
        } catch {
            return nil
        }
    }
}
