import Foundation
import VigilTemplate

/// Builds the email Alertmanager sends: the headers (non-ASCII values Q-encoded), `Date`,
/// `Message-Id`, `MIME-Version`, then a `multipart/alternative` body with a plain-text part (when
/// there is text) and an HTML part (when there is HTML), each quoted-printable.
struct MIMEMessage {
    /// Header name and rendered value, in the order written.
    var headers: [(String, String)]
    var text: String
    var html: String
    /// Seconds since the epoch and the zone offset for `Date`.
    var date: Date
    var messageID: String
    var boundary: String

    var rendered: String {
        var out = ""
        for (name, value) in headers {
            out += "\(name): \(Self.qEncode(value))\r\n"
        }
        out += "Date: \(Self.rfc1123Z(date))\r\n"
        out += "Message-Id: \(messageID)\r\n"
        out += "MIME-Version: 1.0\r\n"
        out += "Content-Type: multipart/alternative;  boundary=\(boundary)\r\n\r\n"
        for (type, content) in [("text/plain", text), ("text/html", html)] where !content.isEmpty {
            out += "--\(boundary)\r\n"
            out += "Content-Transfer-Encoding: quoted-printable\r\n"
            out += "Content-Type: \(type); charset=UTF-8\r\n\r\n"
            out += Self.quotedPrintable(content) + "\r\n"
        }
        out += "--\(boundary)--\r\n"
        return out
    }

    /// Go's `mime.QEncoding.Encode("utf-8", value)`: unchanged when plain ASCII, else encoded words.
    static func qEncode(_ value: String) -> String {
        let needs = value.unicodeScalars.contains { $0.value >= 0x7f || ($0.value < 0x20 && $0 != "\t") }
        guard needs else { return value }
        var words: [String] = []
        var current = ""
        let limit = 75 - "=?utf-8?q?".count - "?=".count
        for character in value {
            var encoded = ""
            for byte in String(character).utf8 {
                switch byte {
                case UInt8(ascii: " "): encoded += "_"
                case 0x21...0x7e where byte != UInt8(ascii: "=") && byte != UInt8(ascii: "?") && byte != UInt8(ascii: "_"):
                    encoded.unicodeScalars.append(Unicode.Scalar(byte))
                default: encoded += String(format: "=%02X", byte)
                }
            }
            if current.count + encoded.count > limit {
                words.append(current)
                current = ""
            }
            current += encoded
        }
        words.append(current)
        return words.map { "=?utf-8?q?\($0)?=" }.joined(separator: " ")
    }

    /// Quoted-printable (RFC 2045) with soft breaks keeping lines within 76 characters; line ends
    /// become CRLF.
    static func quotedPrintable(_ content: String) -> String {
        var out = ""
        var lineLength = 0
        let bytes = Array(content.utf8)
        var index = 0
        func emit(_ piece: String) {
            if lineLength + piece.count > 75 {
                out += "=\r\n"
                lineLength = 0
            }
            out += piece
            lineLength += piece.count
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") {
                index += 1
                continue
            }
            if byte == UInt8(ascii: "\n") {
                out += "\r\n"
                lineLength = 0
            } else if (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")),
                index + 1 == bytes.count || bytes[index + 1] == UInt8(ascii: "\n") || bytes[index + 1] == UInt8(ascii: "\r")
            {
                emit(String(format: "=%02X", byte))
            } else if (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                emit(String(Character(Unicode.Scalar(byte))))
            } else {
                emit(String(format: "=%02X", byte))
            }
            index += 1
        }
        return out
    }

    /// Go's `time.RFC1123Z` in UTC: `Mon, 02 Jan 2006 15:04:05 +0000`.
    static func rfc1123Z(_ date: Date) -> String {
        GoTime(nanoseconds: Int64(date.timeIntervalSince1970 * 1e9)).format("Mon, 02 Jan 2006 15:04:05 -0700")
    }
}
