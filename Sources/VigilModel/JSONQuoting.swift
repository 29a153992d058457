/// JSON string literals without Foundation, escaped as jq and Go's encoders do, for hand-written
/// JSON on hot or dependency-free paths (log lines, API responses, canonical dumps).
public enum JSONQuoting {
    /// `value` as a JSON string literal: `"`, `\`, and control characters (plus DEL) escaped.
    public static func quote(_ value: String) -> String {
        var out = ""
        append(value, to: &out)
        return out
    }

    /// Appends `labels` as a JSON object of string values, keys in the label set's (sorted) order:
    /// what Go's encoder writes for a label map.
    public static func append(_ labels: Labels, to out: inout String) {
        out.append("{")
        for (index, label) in labels.enumerated() {
            if index > 0 { out.append(",") }
            append(label.name, to: &out)
            out.append(":")
            append(label.value, to: &out)
        }
        out.append("}")
    }

    /// Whether `value` needs no escaping in a JSON string literal (the usual case).
    public static func isPlain(_ value: String) -> Bool {
        value.utf8.allSatisfy { byte in
            byte >= 0x20 && byte != 0x7f && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
        }
    }

    /// Appends `value` as a JSON string literal to `out`; a value with nothing to escape (the usual
    /// case) is copied whole rather than scalar by scalar.
    public static func append(_ value: String, to out: inout String) {
        if isPlain(value) {
            out.append("\"")
            out.append(value)
            out.append("\"")
            return
        }
        out.append("\"")
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
    }

    /// Appends the UTF-8 text `bytes` as a JSON string literal to `out`, byte for byte what
    /// ``append(_:to:)-(String,_)`` writes for `String(decoding: bytes, as: UTF8.self)`, without
    /// making the string: log lines are encoded this way at output speed. Bytes that are not
    /// valid UTF-8 are repaired (U+FFFD) as that decoding does.
    public static func append(utf8 bytes: [UInt8], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        bytes.withUnsafeBufferPointer { buffer in
            if isASCII(buffer) {
                escape(buffer, to: &out)
            } else {
                // Valid UTF-8 is copied through; repairing needs the decoder.
                var text = String(decoding: buffer, as: UTF8.self)
                text.withUTF8 { escape($0, to: &out) }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `string` as a JSON string literal appended to `out`.
    public static func append(_ string: String, to out: inout [UInt8]) {
        var string = string
        out.append(UInt8(ascii: "\""))
        string.withUTF8 { escape($0, to: &out) }
        out.append(UInt8(ascii: "\""))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Whether every byte is below 0x80: eight at a time with no early exit, so the loop stays
    /// short (a byte-by-byte test with an exit took a third of the escaping time on log lines).
    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var seen: UInt64 = 0
        var index = 0
        while index + 8 <= bytes.count {
            seen |= ByteWord.load(base + index)
            index += 8
        }
        while index < bytes.count {
            seen |= UInt64(base[index])
            index += 1
        }
        return !ByteWord.containsNonASCII(seen)
    }

    /// For each byte: 0 when it is copied as is, else the letter after the backslash of its
    /// escape (`u` for the `\u00XX` form).
    private static let escapeLetters: [UInt8] = (0...255).map { byte in
        switch byte {
        case 0x22, 0x5c: UInt8(byte)
        case 0x0a: UInt8(ascii: "n")
        case 0x0d: UInt8(ascii: "r")
        case 0x09: UInt8(ascii: "t")
        case 0x08: UInt8(ascii: "b")
        case 0x0c: UInt8(ascii: "f")
        case 0..<0x20, 0x7f: UInt8(ascii: "u")
        default: 0
        }
    }

    /// Input bytes escaped per block of output: a block of them takes at most six times as many.
    private static let escapeBlock = 1024

    /// Escapes `"`, `\\`, control characters and DEL; other bytes (UTF-8 included) are copied,
    /// eight at a time where none of the eight needs escaping. The output goes through a stack
    /// buffer appended to `out` once per block: appending byte by byte to the array cost a
    /// uniqueness and capacity check per byte, a third of a log output's encoding time on JSON
    /// lines (a quote every few bytes).
    private static func escape(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        let count = bytes.count
        escapeLetters.withUnsafeBufferPointer { letters in
            hexDigits.withUnsafeBufferPointer { hex in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: escapeBlock * 6) { buffer in
                    let target = buffer.baseAddress.unsafelyUnwrapped
                    var index = 0
                    while index < count {
                        let end = Swift.min(count, index + escapeBlock)
                        var written = 0
                        while index < end {
                            // Eight bytes at a time: copied whole when none needs escaping, else
                            // stepped one by one.
                            var steps = 1
                            if index + 8 <= end {
                                let word = ByteWord.load(base + index)
                                if !mayNeedEscape(word) {
                                    UnsafeMutableRawPointer(target + written).storeBytes(of: word.littleEndian, as: UInt64.self)
                                    written += 8
                                    index += 8
                                    continue
                                }
                                steps = 8
                            }
                            for _ in 0..<steps {
                                let byte = base[index]
                                index += 1
                                let letter = letters[Int(byte)]
                                if _slowPath(letter == UInt8(ascii: "u")) {
                                    target[written] = 0x5c
                                    target[written + 1] = letter
                                    target[written + 2] = UInt8(ascii: "0")
                                    target[written + 3] = UInt8(ascii: "0")
                                    target[written + 4] = hex[Int(byte >> 4)]
                                    target[written + 5] = hex[Int(byte & 0xf)]
                                    written += 6
                                    continue
                                }
                                // Without a branch on whether the byte is escaped: in JSON lines
                                // the quotes fall every few bytes, irregularly, and that branch
                                // mispredicted at most of them. The letter's slot is written
                                // either way; a plain byte's next write overwrites it.
                                let escaped = letter != 0
                                target[written] = escaped ? 0x5c : byte
                                target[written + 1] = letter
                                written += escaped ? 2 : 1
                            }
                        }
                        out.append(contentsOf: UnsafeBufferPointer(start: target, count: written))
                    }
                }
            }
        }
    }

    /// Whether one of the eight bytes of `word` is a control character, `"`, `\\` or DEL.
    @inline(__always)
    private static func mayNeedEscape(_ word: UInt64) -> Bool {
        ByteWord.containsByte(word, below: 0x20) || ByteWord.contains(word, 0x22) || ByteWord.contains(word, 0x5c)
            || ByteWord.contains(word, 0x7f)
    }
}
