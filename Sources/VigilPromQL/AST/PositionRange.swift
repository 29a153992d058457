/// A half-open range of UTF-8 byte offsets into the query text.
public struct PositionRange: Sendable, Hashable {
    /// The offset of the first byte.
    public var start: Int
    /// The offset just past the last byte.
    public var end: Int

    /// A range from `start` up to, not including, `end`.
    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// `line:column` of `start` in `query`, both 1-based, the column counted in bytes, as
    /// Prometheus prints it (`unknown position` for an empty query).
    public func startPosition(in query: String) -> (line: Int, column: Int)? {
        let bytes = query.utf8
        guard !bytes.isEmpty, start >= 0, start <= bytes.count else { return nil }
        var line = 1
        var lastLineBreak = -1
        var index = 0
        for byte in bytes.prefix(start) {
            if byte == UInt8(ascii: "\n") {
                lastLineBreak = index
                line += 1
            }
            index += 1
        }
        return (line, start - lastLineBreak)
    }
}
