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
            if buffer.allSatisfy({ $0 < 0x80 }) {
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

    /// Escapes `"`, `\\`, control characters and DEL; runs of other bytes (UTF-8 included) are
    /// copied whole, found eight bytes at a time.
    private static func escape(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        var run = 0
        var index = 0
        while index < count {
            while index + 8 <= count, !mayNeedEscape(ByteWord.load(base + index)) {
                index += 8
            }
            guard index < count else { break }
            let byte = base[index]
            index += 1
            if byte >= 0x20 && byte != 0x22 && byte != 0x5c && byte != 0x7f { continue }
            if run < index - 1 { out.append(contentsOf: UnsafeBufferPointer(start: base + run, count: index - 1 - run)) }
            run = index
            out.append(0x5c)
            switch byte {
            case 0x22, 0x5c: out.append(byte)
            case 0x0a: out.append(UInt8(ascii: "n"))
            case 0x0d: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x0c: out.append(UInt8(ascii: "f"))
            default:
                out.append(UInt8(ascii: "u"))
                out.append(UInt8(ascii: "0"))
                out.append(UInt8(ascii: "0"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0xf)])
            }
        }
        if run < count { out.append(contentsOf: UnsafeBufferPointer(start: base + run, count: count - run)) }
    }

    /// Whether one of the eight bytes of `word` is a control character, `"`, `\\` or DEL.
    @inline(__always)
    private static func mayNeedEscape(_ word: UInt64) -> Bool {
        ByteWord.containsByte(word, below: 0x20) || ByteWord.contains(word, 0x22) || ByteWord.contains(word, 0x5c)
            || ByteWord.contains(word, 0x7f)
    }
}
