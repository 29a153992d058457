/// Splits one line of a CRI container log: `<RFC3339Nano> <stdout|stderr> <tags> <message>`,
/// the first tag being `P` (partial: more of this line follows) or `F` (full).
enum CRIParser {
    /// One parsed line.
    struct Line {
        var timestamp: Int64
        var stream: LogRecord.Stream
        var isPartial: Bool
        /// Where the message starts in the line.
        var messageStart: Int
    }

    /// The parts of `bytes` (a line without its newline), or nil when it is not a CRI line.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Line? {
        let space = UInt8(ascii: " ")
        guard let firstSpace = bytes.firstIndex(of: space), firstSpace > 0 else { return nil }
        guard let timestamp = RFC3339Nano.parse(UnsafeRawBufferPointer(rebasing: bytes[0..<firstSpace])) else {
            return nil
        }
        let streamStart = firstSpace + 1
        guard let streamEnd = bytes[streamStart...].firstIndex(of: space) else { return nil }
        let stream: LogRecord.Stream
        switch streamEnd - streamStart {
        case 6 where matches(bytes, streamStart, "stdout"): stream = .stdout
        case 6 where matches(bytes, streamStart, "stderr"): stream = .stderr
        default: return nil
        }
        let tagsStart = streamEnd + 1
        let tagsEnd = bytes[tagsStart...].firstIndex(of: space) ?? bytes.count
        guard tagsEnd > tagsStart else { return nil }
        let firstTagEnd = bytes[tagsStart..<tagsEnd].firstIndex(of: UInt8(ascii: ":")) ?? tagsEnd
        guard firstTagEnd == tagsStart + 1 else { return nil }
        let isPartial: Bool
        switch bytes[tagsStart] {
        case UInt8(ascii: "P"): isPartial = true
        case UInt8(ascii: "F"): isPartial = false
        default: return nil
        }
        return Line(timestamp: timestamp, stream: stream, isPartial: isPartial, messageStart: min(tagsEnd + 1, bytes.count))
    }

    private static func matches(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard start + count <= bytes.count else { return false }
        let pointer = word.utf8Start
        for index in 0..<count where bytes[start + index] != pointer[index] {
            return false
        }
        return true
    }
}
