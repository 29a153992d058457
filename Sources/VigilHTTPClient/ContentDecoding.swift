/// Undoes a request body's `Content-Encoding` the way Go's `net/http` receivers do: `gzip`
/// (and `x-gzip`) is the gzip format, `deflate` is raw DEFLATE as Go's `compress/flate` reads it
/// (Loki's push handler), and a zlib-wrapped body sent as `deflate` is accepted too, since
/// browsers and some clients send that.
///
/// The decoded size is bounded, so a small "zip bomb" cannot grow past the receiver's limit.
public enum ContentDecoding {
    /// Why a body could not be decoded.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The header names an encoding this receiver does not read.
        case unsupported(String)
        /// The decoded body would be larger than the limit.
        case tooLarge(limit: Int)
        /// The bytes are not valid data of the named encoding.
        case corrupt(encoding: String, reason: String)

        public var description: String {
            switch self {
            case .unsupported(let encoding): "Content-Encoding \"\(encoding)\" not supported"
            case .tooLarge(let limit): "decompressed body larger than \(limit) bytes"
            case .corrupt(let encoding, let reason): "invalid \(encoding) body: \(reason)"
            }
        }
    }

    /// Whether `contentEncoding` (the header's value, any case) is one ``decode(_:contentEncoding:maxBytes:)`` reads.
    public static func isSupported(_ contentEncoding: String) -> Bool {
        switch normalized(contentEncoding) {
        case "", "identity", "gzip", "x-gzip", "deflate": true
        default: false
        }
    }

    /// `body` decoded from `contentEncoding`; an empty or `identity` encoding returns it as is.
    ///
    /// - Throws: ``Failure`` for an unknown encoding, corrupt data, or more than `maxBytes` decoded.
    public static func decode(_ body: [UInt8], contentEncoding: String, maxBytes: Int) throws(Failure) -> [UInt8] {
        let encoding = normalized(contentEncoding)
        let format: Zlib.Format
        switch encoding {
        case "", "identity":
            return body
        case "gzip", "x-gzip":
            format = .gzip
        case "deflate":
            // A zlib header's first two bytes form a multiple of 31 with method 8 (RFC 1950 §2.2);
            // raw DEFLATE data rarely starts that way, and is tried again as raw when it does.
            let zlibHeader = body.count >= 2 && body[0] & 0x0F == 8 && (UInt16(body[0]) << 8 | UInt16(body[1])) % 31 == 0
            format = zlibHeader ? .zlib : .raw
        default:
            throw .unsupported(contentEncoding)
        }
        do throws(Zlib.InflateError) {
            return try inflate(body, format: format, maxBytes: maxBytes)
        } catch {
            switch error {
            case .tooLarge: throw .tooLarge(limit: maxBytes)
            case .corrupt(let reason): throw .corrupt(encoding: encoding, reason: reason)
            }
        }
    }

    private static func inflate(_ body: [UInt8], format: Zlib.Format, maxBytes: Int) throws(Zlib.InflateError) -> [UInt8] {
        do throws(Zlib.InflateError) {
            return try Zlib.inflate(body, format: format, maxBytes: maxBytes)
        } catch {
            // Raw data that happened to look like a zlib header.
            guard case .corrupt = error, format == .zlib else { throw error }
            return try Zlib.inflate(body, format: .raw, maxBytes: maxBytes)
        }
    }

    private static func normalized(_ value: String) -> String {
        var trimmed = Substring(value)
        while trimmed.first == " " { trimmed.removeFirst() }
        while trimmed.last == " " { trimmed.removeLast() }
        return trimmed.lowercased()
    }
}
