/// Reads `key=value key2="quoted value"` lines as Loki's `logfmt` parser does.
enum LogfmtFields {
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var offset: Int
        var description: String { "logfmt syntax error at pos \(offset + 1) : \(message)" }
    }

    /// Calls `emit` for every pair. Non-strict mode skips malformed pairs; strict mode throws at
    /// the first. Keys without a value (`flag`) are emitted with "" only with `keepEmpty`.
    static func parse(
        _ bytes: UnsafeRawBufferPointer, strict: Bool, keepEmpty: Bool, _ emit: (String, String) -> Void
    ) throws(Failure) {
        var index = 0
        let count = bytes.count
        func isSpace(_ byte: UInt8) -> Bool { byte <= 0x20 }
        while index < count {
            while index < count, isSpace(bytes[index]) { index += 1 }
            guard index < count else { return }
            let keyStart = index
            while index < count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "="), bytes[index] != UInt8(ascii: "\"") {
                index += 1
            }
            if index == keyStart {
                // `=value` or a stray quote: no key.
                if strict { throw Failure(message: "unexpected '\(Character(Unicode.Scalar(bytes[index])))'", offset: index) }
                while index < count, !isSpace(bytes[index]) { index += 1 }
                continue
            }
            let key = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[keyStart..<index]), as: UTF8.self)
            if index < count, bytes[index] == UInt8(ascii: "\"") {
                if strict { throw Failure(message: "unexpected '\"'", offset: index) }
                while index < count, !isSpace(bytes[index]) { index += 1 }
                continue
            }
            guard index < count, bytes[index] == UInt8(ascii: "=") else {
                if keepEmpty { emit(key, "") }
                continue
            }
            index += 1
            guard index < count, !isSpace(bytes[index]) else {
                if keepEmpty { emit(key, "") }
                continue
            }
            if bytes[index] == UInt8(ascii: "\"") {
                let quoteStart = index
                index += 1
                var value: [UInt8] = []
                var closed = false
                while index < count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\"") {
                        closed = true
                        index += 1
                        break
                    }
                    if byte == UInt8(ascii: "\\"), index + 1 < count {
                        let escaped = bytes[index + 1]
                        switch escaped {
                        case UInt8(ascii: "n"): value.append(0x0A)
                        case UInt8(ascii: "t"): value.append(0x09)
                        case UInt8(ascii: "r"): value.append(0x0D)
                        default: value.append(escaped)
                        }
                        index += 2
                        continue
                    }
                    value.append(byte)
                    index += 1
                }
                guard closed else {
                    if strict { throw Failure(message: "unterminated quoted value", offset: quoteStart) }
                    return
                }
                if !value.isEmpty || keepEmpty { emit(key, String(decoding: value, as: UTF8.self)) }
            } else {
                let valueStart = index
                while index < count, !isSpace(bytes[index]) { index += 1 }
                let value = UnsafeRawBufferPointer(rebasing: bytes[valueStart..<index])
                if value.contains(UInt8(ascii: "\"")) || value.contains(UInt8(ascii: "=")) {
                    if strict { throw Failure(message: "unexpected character in value", offset: valueStart) }
                    continue
                }
                emit(key, String(decoding: value, as: UTF8.self))
            }
        }
    }
}
