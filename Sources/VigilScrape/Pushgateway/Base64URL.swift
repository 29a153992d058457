/// The "URL and filename safe" base64 alphabet (RFC 4648 §5) without padding, decoded as Go's
/// `base64.RawURLEncoding` does after the Pushgateway strips trailing `=`: `+` and `/` are not in
/// the alphabet, CR and LF are skipped, a lone final character is an error, and non-zero trailing
/// bits are accepted.
enum Base64URL {
    /// Where decoding failed: the offset of the offending byte, as Go reports it.
    struct CorruptInput: Error, Equatable {
        let offset: Int
        var description: String { "illegal base64 data at input byte \(offset)" }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    /// Decodes `text` after dropping trailing `=` (the Pushgateway's "padding is optional").
    static func decode(_ text: some Collection<UInt8>) throws(CorruptInput) -> [UInt8] {
        var input = Array(text)
        while input.last == UInt8(ascii: "=") { input.removeLast() }
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 3 / 4)
        var quantum: UInt32 = 0
        var count = 0
        var lastOffset = 0
        for (offset, byte) in input.enumerated() {
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { continue }
            let sextet = decodeTable[Int(byte)]
            guard sextet != 0xFF else { throw CorruptInput(offset: offset) }
            quantum = quantum << 6 | UInt32(sextet)
            count += 1
            lastOffset = offset
            if count == 4 {
                output.append(UInt8(truncatingIfNeeded: quantum >> 16))
                output.append(UInt8(truncatingIfNeeded: quantum >> 8))
                output.append(UInt8(truncatingIfNeeded: quantum))
                quantum = 0
                count = 0
            }
        }
        switch count {
        case 1:
            throw CorruptInput(offset: lastOffset)
        case 2:
            output.append(UInt8(truncatingIfNeeded: quantum >> 4))
        case 3:
            output.append(UInt8(truncatingIfNeeded: quantum >> 10))
            output.append(UInt8(truncatingIfNeeded: quantum >> 2))
        default:
            break
        }
        return output
    }

    /// Encodes `bytes` without padding (what `vigil push` and the tests send).
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt32(byte)
            bits += 8
            while bits >= 6 {
                bits -= 6
                output.append(alphabet[Int((buffer >> UInt32(bits)) & 0x3F)])
            }
        }
        if bits > 0 { output.append(alphabet[Int((buffer << UInt32(6 - bits)) & 0x3F)]) }
        return String(decoding: output, as: UTF8.self)
    }
}
