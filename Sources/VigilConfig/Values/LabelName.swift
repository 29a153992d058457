/// Label-name rules shared by every section that names labels.
public enum LabelName {
    /// Prometheus's (legacy, v2) rule: `[a-zA-Z_][a-zA-Z0-9_]*`.
    public static func isValid(_ name: String) -> Bool {
        var first = true
        for byte in name.utf8 {
            let isLetter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard isLetter || byte == UInt8(ascii: "_") || (isDigit && !first) else { return false }
            first = false
        }
        return !first
    }

    /// A relabel target that may hold `$1` / `${name}` references (Prometheus's `relabelTarget`).
    static func isValidTemplate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func isWord(_ byte: UInt8) -> Bool {
            let isLetter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            return isLetter || isDigit || byte == UInt8(ascii: "_")
        }
        guard let first = bytes.first, !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else {
            return false
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "$") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "{") {
                    let start = index + 1
                    var end = start
                    while end < bytes.count, isWord(bytes[end]) { end += 1 }
                    guard end > start, end < bytes.count, bytes[end] == UInt8(ascii: "}") else { return false }
                    index = end + 1
                } else {
                    let start = index
                    while index < bytes.count, isWord(bytes[index]) { index += 1 }
                    guard index > start else { return false }
                }
            } else if isWord(byte) {
                index += 1
            } else {
                return false
            }
        }
        return true
    }

    /// Checks every name of a label map, pointing the error at the offending key.
    static func validate(_ labels: [String: String], field: ConfigPathComponent) throws(ConfigValidationError) {
        for name in labels.keys.sorted() where !isValid(name) {
            throw ConfigValidationError("\"\(name)\" is not a valid label name", field: field, .key(name))
        }
    }
}
