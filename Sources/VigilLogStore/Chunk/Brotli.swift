import CBrotli

/// Brotli (RFC 7932) over the system's libbrotli, one call each way: the entropy stage of sealed
/// chunks' blocks.
enum Brotli {
    /// Why decompressing failed.
    enum DecodeError: Error, Equatable {
        /// Not a valid brotli stream, or one that decodes to a length other than the expected one.
        case corrupt(String)
    }

    /// `input` compressed at `quality` (0–11) with a window of 2^`windowBits` bytes (10–24).
    static func compress(_ input: [UInt8], quality: Int32, windowBits: Int32) -> [UInt8] {
        var length = BrotliEncoderMaxCompressedSize(input.count)
        if length == 0 { length = input.count + (input.count >> 2) + 1024 }
        var output = [UInt8](repeating: 0, count: length)
        let succeeded = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                BrotliEncoderCompress(
                    quality, windowBits, BROTLI_MODE_GENERIC, source.count, source.baseAddress, &length, target.baseAddress)
            }
        }
        // Fails only for impossible parameters or an output bound brotli itself computed; neither
        // is input-dependent, so a failure here is a programming error.
        precondition(succeeded == BROTLI_TRUE, "brotli refused quality \(quality), window \(windowBits)")
        output.removeSubrange(length...)
        return output
    }

    /// Decompresses `input` into `output`, which it must fill exactly.
    static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(DecodeError) {
        var decoded = output.count
        let result = BrotliDecoderDecompress(
            input.count, input.baseAddress?.assumingMemoryBound(to: UInt8.self), &decoded,
            output.baseAddress?.assumingMemoryBound(to: UInt8.self))
        guard result == BROTLI_DECODER_RESULT_SUCCESS else {
            throw .corrupt(result == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT ? "decodes to more than \(output.count) bytes" : "invalid brotli stream")
        }
        guard decoded == output.count else { throw .corrupt("decodes to \(decoded) bytes, not \(output.count)") }
    }

    /// The `length` bytes `input` decompresses to; an error if it is not a complete brotli stream
    /// of exactly that length.
    static func decompress(_ input: UnsafeRawBufferPointer, length: Int) throws(DecodeError) -> [UInt8] {
        // One byte more than expected, so a stream that decodes to more is caught (and an empty
        // output still has a buffer). Not zero-filled: brotli writes what it decodes.
        var decoded = length + 1
        var result = BROTLI_DECODER_RESULT_ERROR
        let output = [UInt8](unsafeUninitializedCapacity: length + 1) { buffer, count in
            result = BrotliDecoderDecompress(
                input.count, input.baseAddress?.assumingMemoryBound(to: UInt8.self), &decoded, buffer.baseAddress)
            count = result == BROTLI_DECODER_RESULT_SUCCESS ? min(decoded, buffer.count) : 0
        }
        guard result == BROTLI_DECODER_RESULT_SUCCESS else { throw .corrupt("invalid brotli stream") }
        guard decoded == length else { throw .corrupt("decodes to \(decoded) bytes, not \(length)") }
        return output
    }
}
