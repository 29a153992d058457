/// Cuts a watch body into newline-terminated JSON lines, refusing any line longer than a limit
/// so that a broken or hostile server cannot make the client buffer without bound.
struct WatchLineSplitter {
    let limit: Int
    private var pending: [UInt8] = []
    /// Bytes consumed before `pending`, for error offsets.
    private(set) var offset = 0

    init(limit: Int) {
        self.limit = limit
    }

    /// Adds `bytes` and returns the complete lines they finish (without the newline), each with
    /// the byte offset it starts at; throws when a line grows past the limit.
    mutating func append(_ bytes: some Collection<UInt8>, url: String) throws(KubernetesError) -> [(line: [UInt8], offset: Int)] {
        var lines: [(line: [UInt8], offset: Int)] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                let line = pending
                pending.removeAll(keepingCapacity: true)
                let start = offset
                offset += line.count + 1
                if !line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") }) {
                    lines.append((line, start))
                }
            } else {
                pending.append(byte)
                if pending.count > limit { throw .lineTooLong(limit: limit, url: url, offset: offset) }
            }
        }
        return lines
    }

    /// What is left at the end of the stream: a last line without its newline, if any.
    mutating func finish() -> (line: [UInt8], offset: Int)? {
        defer { pending = [] }
        let trimmed = pending.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\t") }
        return trimmed.isEmpty ? nil : (pending, offset)
    }
}
