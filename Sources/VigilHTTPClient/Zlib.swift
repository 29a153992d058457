import CZlib

/// gzip, zlib and raw DEFLATE over the system's zlib, in one call each way.
///
/// Unlike a streaming wrapper that stops when its input runs out, ``inflate(_:format:maxBytes:)``
/// insists on the stream's end marker, so a truncated body is an error rather than a silently
/// shortened one (Go's readers report `unexpected EOF` the same way).
public enum Zlib {
    /// The container around the DEFLATE data.
    public enum Format: Sendable {
        /// RFC 1952: header, data, CRC-32 and length. Concatenated members are read as one body.
        case gzip
        /// RFC 1950: two header bytes, data, Adler-32.
        case zlib
        /// RFC 1951 with no container, as Go's `compress/flate` writes it.
        case raw

        var windowBits: Int32 {
            switch self {
            case .gzip: 15 + 16
            case .zlib: 15
            case .raw: -15
            }
        }
    }

    /// Why inflating failed.
    public enum InflateError: Error, Equatable {
        /// More than `limit` bytes would come out.
        case tooLarge(limit: Int)
        /// Not valid data of the format; the reason is zlib's message or "unexpected end of data".
        case corrupt(String)
    }

    /// The decompressed bytes of `input`.
    ///
    /// - Throws: ``InflateError/tooLarge(limit:)`` past `maxBytes`, ``InflateError/corrupt(_:)`` for
    ///   bad or truncated data.
    public static func inflate(_ input: [UInt8], format: Format, maxBytes: Int) throws(InflateError) -> [UInt8] {
        guard !input.isEmpty else { throw .corrupt("unexpected end of data") }
        var stream = z_stream()
        guard inflateInit2_(&stream, format.windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corrupt("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: min(max(input.count * 4, 4096), 1 << 20))
        var consumed = 0
        while true {
            let (status, read, written) = input.withUnsafeBufferPointer { inBuffer in
                chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress! + consumed)
                    stream.avail_in = UInt32(clamping: inBuffer.count - consumed)
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = UInt32(outBuffer.count)
                    let before = stream.avail_in
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return (status, Int(before - stream.avail_in), outBuffer.count - Int(stream.avail_out))
                }
            }
            consumed += read
            guard output.count + written <= maxBytes else { throw .tooLarge(limit: maxBytes) }
            output.append(contentsOf: chunk.prefix(written))
            switch status {
            case Z_STREAM_END:
                // A gzip body may hold several members back to back (`cat a.gz b.gz`).
                guard format == .gzip, consumed < input.count else { return output }
                guard inflateReset(&stream) == Z_OK else { throw .corrupt("zlib could not restart") }
            case Z_OK:
                if read == 0 && written == 0 { throw .corrupt("unexpected end of data") }
            case Z_BUF_ERROR:
                // No progress possible: the input ran out before the end marker.
                if consumed >= input.count { throw .corrupt("unexpected end of data") }
            default:
                throw .corrupt(stream.msg.map { String(cString: $0) } ?? "zlib error \(status)")
            }
            if consumed >= input.count && status == Z_OK && written < chunk.count {
                // zlib consumed everything, wrote what it could and still has not seen the end.
                throw .corrupt("unexpected end of data")
            }
        }
    }

    /// `input` compressed into `format` at `level` (0–9; 6 is zlib's default balance).
    public static func deflate(_ input: [UInt8], format: Format, level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        let started = deflateInit2_(
            &stream, level, Z_DEFLATED, format.windowBits, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        // Only bad parameters or no memory fail here; neither can come from the input.
        precondition(started == Z_OK, "deflateInit2 failed: \(started)")
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 32)
        let written = input.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
                stream.avail_in = UInt32(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = UInt32(outBuffer.count)
                let status = CZlib.deflate(&stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "deflate into its own bound failed: \(status)")
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        output.removeSubrange(written...)
        return output
    }
}
