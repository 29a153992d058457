/// What `| json` (without parameters) makes of every line of one line template
/// (``TemplatedLines``), worked out once from the template: which labels come out, and of which
/// template bytes and variables their values are made.
///
/// It holds only when the template's structure decides the parse: its braces, quotes, colons and
/// commas are all template bytes (variables are runs of letters and digits, so they never are),
/// no key holds a variable and no string an escape. A variable inside a string is then any
/// text; one in a number's place must be a number's characters, which ``numberChecks`` lists for
/// each line. A template that does not hold — or a line that fails a check — goes through
/// ``JSONFields`` as a whole line, so every answer equals the line parser's.
struct JSONTemplatePlan {
    /// A piece of a value: template bytes or variable `j` of the line.
    enum Part {
        case bytes([UInt8])
        case variable(Int)
    }

    /// The labels the parser would set, in its order (a later one of the same name wins), with
    /// the wanted ones' values.
    var fields: [(name: String, parts: [Part])] = []
    /// Variables in a number's place: the line parses as planned only if each is made of
    /// `0`–`9`, `e`, `E` (what ``JSONFields`` reads as part of a number).
    var numberChecks: [Int] = []

    /// An element of the template read as a stream: a byte, or a variable (`>= 256`, index
    /// `element - 256`).
    private typealias Element = Int

    /// The plan for `segments` (a template: fixed text between variables), keeping only the
    /// labels in `wanted`; nil when the structure does not decide the parse.
    init?(segments: [[UInt8]], wanted: Set<String>) {
        var elements: [Element] = []
        for (index, segment) in segments.enumerated() {
            if index > 0 { elements.append(256 + index - 1) }
            for byte in segment { elements.append(Int(byte)) }
        }
        var reader = Reader(elements: elements, wanted: wanted)
        guard reader.document() else { return nil }
        fields = reader.fields
        numberChecks = reader.numberChecks
    }

    /// Whether `value` (a variable's bytes) reads as part of a number the way ``JSONFields``
    /// reads one.
    @inline(__always)
    static func isNumberText(_ value: UnsafeRawBufferPointer) -> Bool {
        for byte in value where !((byte &- 0x30) < 10 || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")) { return false }
        return true
    }

    /// Mirrors ``JSONFields/flatten(wanted:_:)`` over template elements; every method returns
    /// false where the outcome would depend on a variable's text in a way the plan cannot check.
    private struct Reader {
        let elements: [Element]
        let wanted: Set<String>
        var index = 0
        var depth = 0
        var fields: [(name: String, parts: [Part])] = []
        var numberChecks: [Int] = []

        init(elements: [Element], wanted: Set<String>) {
            self.elements = elements
            self.wanted = wanted
        }

        func byte(_ value: UInt8) -> Bool { index < elements.count && elements[index] == Int(value) }

        mutating func skipSpace() {
            while index < elements.count {
                switch elements[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func document() -> Bool {
            skipSpace()
            guard byte(UInt8(ascii: "{")), object(prefix: "") else { return false }
            skipSpace()
            return index == elements.count
        }

        mutating func object(prefix: String) -> Bool {
            depth += 1
            guard depth < 128 else { return false }
            index += 1
            skipSpace()
            if byte(UInt8(ascii: "}")) {
                index += 1
                depth -= 1
                return true
            }
            while true {
                skipSpace()
                guard byte(UInt8(ascii: "\"")), let keyBytes = stringBytes() else { return false }
                var key: [UInt8] = []
                for part in keyBytes {
                    guard case .bytes(let bytes) = part else { return false }
                    key += bytes
                }
                skipSpace()
                guard byte(UInt8(ascii: ":")) else { return false }
                index += 1
                skipSpace()
                guard index < elements.count else { return false }
                let text = String(decoding: key, as: UTF8.self)
                let name = prefix.isEmpty ? JSONFields.sanitize(text, prefix: true) : prefix + "_" + JSONFields.sanitize(text, prefix: false)
                guard value(name: name) else { return false }
                skipSpace()
                if byte(UInt8(ascii: ",")) {
                    index += 1
                    continue
                }
                guard byte(UInt8(ascii: "}")) else { return false }
                index += 1
                depth -= 1
                return true
            }
        }

        /// A value under `name` (nil inside arrays, which the parser skips).
        mutating func value(name: String?) -> Bool {
            guard index < elements.count else { return false }
            switch elements[index] {
            case Int(UInt8(ascii: "{")):
                if let name { return object(prefix: name) }
                return skipContainer(close: UInt8(ascii: "}"))
            case Int(UInt8(ascii: "[")):
                return skipContainer(close: UInt8(ascii: "]"))
            case Int(UInt8(ascii: "\"")):
                guard let parts = stringBytes() else { return false }
                if let name, wanted.contains(name) { fields.append((name, parts)) }
                return true
            case Int(UInt8(ascii: "n")):
                return literal("null")
            case Int(UInt8(ascii: "t")), Int(UInt8(ascii: "f")):
                let start = index
                guard elements[index] == Int(UInt8(ascii: "t")) ? literal("true") : literal("false") else { return false }
                if let name, wanted.contains(name) { fields.append((name, [.bytes(elements[start..<index].map { UInt8($0) })])) }
                return true
            default:
                var parts: [Part] = []
                var pending: [UInt8] = []
                while index < elements.count {
                    let element = elements[index]
                    if element >= 256 {
                        if !pending.isEmpty { parts.append(.bytes(pending)) }
                        pending = []
                        parts.append(.variable(element - 256))
                        numberChecks.append(element - 256)
                    } else if (UInt8(element) &- 0x30) < 10 || element == Int(UInt8(ascii: "-")) || element == Int(UInt8(ascii: "+"))
                        || element == Int(UInt8(ascii: ".")) || element == Int(UInt8(ascii: "e")) || element == Int(UInt8(ascii: "E"))
                    {
                        pending.append(UInt8(element))
                    } else {
                        break
                    }
                    index += 1
                }
                if !pending.isEmpty { parts.append(.bytes(pending)) }
                guard !parts.isEmpty else { return false }
                if let name, wanted.contains(name) { fields.append((name, parts)) }
                return true
            }
        }

        /// An array, or an object inside an array: skipped, their variables still checked.
        mutating func skipContainer(close: UInt8) -> Bool {
            depth += 1
            guard depth < 128 else { return false }
            let isObject = close == UInt8(ascii: "}")
            index += 1
            skipSpace()
            if byte(close) {
                index += 1
                depth -= 1
                return true
            }
            while true {
                if isObject {
                    skipSpace()
                    guard byte(UInt8(ascii: "\"")), stringBytes() != nil else { return false }
                    skipSpace()
                    guard byte(UInt8(ascii: ":")) else { return false }
                    index += 1
                }
                skipSpace()
                guard value(name: nil) else { return false }
                skipSpace()
                if byte(UInt8(ascii: ",")) {
                    index += 1
                    continue
                }
                guard byte(close) else { return false }
                index += 1
                depth -= 1
                return true
            }
        }

        /// The string at `index` (its opening quote) as parts; nil when it holds a backslash or
        /// does not end.
        mutating func stringBytes() -> [Part]? {
            index += 1
            var parts: [Part] = []
            var pending: [UInt8] = []
            while index < elements.count {
                let element = elements[index]
                index += 1
                if element == Int(UInt8(ascii: "\"")) {
                    if !pending.isEmpty { parts.append(.bytes(pending)) }
                    return parts
                }
                if element == Int(UInt8(ascii: "\\")) { return nil }
                if element >= 256 {
                    if !pending.isEmpty { parts.append(.bytes(pending)) }
                    pending = []
                    parts.append(.variable(element - 256))
                } else {
                    pending.append(UInt8(element))
                }
            }
            return nil
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard index + count <= elements.count else { return false }
            for offset in 0..<count where elements[index + offset] != Int(word.utf8Start[offset]) { return false }
            index += count
            return true
        }
    }
}
