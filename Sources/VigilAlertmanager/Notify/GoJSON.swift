/// JSON text written the way Go's `encoding/json` writes it, so payloads are byte-compatible with
/// Alertmanager's: fields in the order given, `<`, `>`, `&`, U+2028 and U+2029 escaped as `\u003c`
/// and so on, other control characters as `\u00XX` except `\n`, `\r`, `\t`.
struct GoJSON {
    private(set) var text = ""
    private var needsComma: [Bool] = []

    /// A JSON value.
    indirect enum Value {
        case string(String)
        case int(Int64)
        /// A float64, written as Go writes one (integers without a fraction).
        case number(Double)
        case bool(Bool)
        case null
        case array([Value])
        /// An object whose members keep the given order.
        case object([(String, Value)])
        /// A Go `map[string]string`: keys sorted by bytes, as Go sorts map keys.
        case stringMap([String: String])
    }

    /// `value` encoded as Go's `json.Marshal` does.
    static func encode(_ value: Value) -> String {
        var writer = GoJSON()
        writer.write(value)
        return writer.text
    }

    private mutating func write(_ value: Value) {
        switch value {
        case .string(let string): Self.quote(string, into: &text)
        case .int(let number): text += String(number)
        case .number(let number):
            if number.isFinite, number == number.rounded(), abs(number) < 1e21 {
                text += String(Int64(number))
            } else {
                text += number.isFinite ? "\(number)" : "null"
            }
        case .bool(let flag): text += flag ? "true" : "false"
        case .null: text += "null"
        case .array(let items):
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += "," }
                write(item)
            }
            text += "]"
        case .object(let members):
            text += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { text += "," }
                Self.quote(member.0, into: &text)
                text += ":"
                write(member.1)
            }
            text += "}"
        case .stringMap(let map):
            let keys = map.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            write(.object(keys.map { ($0, .string(map[$0] ?? "")) }))
        }
    }

    private static let hex: [Character] = Array("0123456789abcdef")

    /// Appends `string` as a JSON string literal with Go's HTML-safe escaping.
    static func quote(_ string: String, into text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                text += unicodeEscape(scalar.value)
            default:
                if scalar.value < 0x20 {
                    text += unicodeEscape(scalar.value)
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        var out = "\\u"
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(hex[Int((value >> UInt32(shift)) & 0xF)])
        }
        return out
    }
}
