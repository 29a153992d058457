import VigilConfig

/// Splits a syslog byte stream (TCP, unix stream) into messages: octet-counted frames
/// (`<length> <message>`, RFC 6587 §3.4.1) and LF-terminated ones (§3.4.2).
///
/// With `auto` framing each frame decides for itself: one starting with a digit 1-9 is
/// octet-counted (a syslog message starts with `<`), anything else ends at `\n`. Stray `\n`, `\r`
/// and NUL bytes between frames are skipped. Errors are fatal for the stream (the byte offset in
/// the stream is named), since after a bad length nothing later can be trusted.
struct SyslogFrameDecoder: Sendable {
    let framing: SyslogInputConfig.Framing
    let maxMessageSize: Int
    private var buffer: [UInt8] = []
    private var start = 0
    /// Stream offset of `buffer[0]`.
    private var consumedBefore = 0

    init(framing: SyslogInputConfig.Framing, maxMessageSize: Int) {
        self.framing = framing
        self.maxMessageSize = maxMessageSize
    }

    /// Bytes held for an unfinished frame.
    var pendingBytes: Int { buffer.count - start }

    mutating func append<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            consumedBefore += start
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next whole message, or nil when more bytes are needed.
    mutating func next() throws(SyslogParseError) -> [UInt8]? {
        while start < buffer.count, buffer[start] == 0x0a || buffer[start] == 0x0d || buffer[start] == 0 { start += 1 }
        guard start < buffer.count else { return nil }
        let first = buffer[start]
        let octetCounted: Bool
        switch framing {
        case .octetCounted: octetCounted = true
        case .newline: octetCounted = false
        case .auto: octetCounted = first >= 0x31 && first <= 0x39
        }
        if octetCounted {
            var index = start
            var length = 0
            while index < buffer.count, buffer[index] >= 0x30, buffer[index] <= 0x39 {
                length = length * 10 + Int(buffer[index] - 0x30)
                index += 1
                guard length <= maxMessageSize else {
                    throw SyslogParseError(
                        message: "octet count exceeds max_message_size (\(maxMessageSize))", offset: consumedBefore + start)
                }
            }
            guard index < buffer.count else { return nil }
            guard index > start, buffer[start] != 0x30, buffer[index] == 0x20 else {
                throw SyslogParseError(message: "expected <length> <message> (octet-counted framing)", offset: consumedBefore + index)
            }
            guard buffer.count - (index + 1) >= length else { return nil }
            let message = Array(buffer[(index + 1)..<(index + 1 + length)])
            start = index + 1 + length
            return message
        }
        guard let newline = buffer[start...].firstIndex(of: 0x0a) else {
            if buffer.count - start > maxMessageSize {
                throw SyslogParseError(
                    message: "a line runs past max_message_size (\(maxMessageSize)) without a newline",
                    offset: consumedBefore + start)
            }
            return nil
        }
        guard newline - start <= maxMessageSize else {
            throw SyslogParseError(
                message: "a line is longer than max_message_size (\(maxMessageSize))", offset: consumedBefore + start)
        }
        let message = Array(buffer[start..<newline])
        start = newline + 1
        return message
    }

    /// At the end of the stream: an unterminated last line is a message (non-transparent framing
    /// ends a message at the connection's close too); a cut octet-counted frame is not.
    mutating func finish() -> [UInt8]? {
        guard start < buffer.count else { return nil }
        let rest = Array(buffer[start...])
        start = buffer.count
        let first = rest[0]
        let octetCounted = framing == .octetCounted || (framing == .auto && first >= 0x31 && first <= 0x39)
        return octetCounted ? nil : rest
    }
}
