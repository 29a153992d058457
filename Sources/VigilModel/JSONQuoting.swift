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
}
