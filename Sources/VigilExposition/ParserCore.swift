import VigilModel

/// State and byte-level helpers shared by the two parsers.
///
/// Offsets index the caller's buffer. `labelOffsets` holds four offsets per label (name start,
/// name end, value start, value end; the value without quotes and still escaped); it is reused
/// between lines so it stops allocating once it has grown.
@usableFromInline
struct ParserCore {
    @usableFromInline let bytes: UnsafeRawBufferPointer
    var position = 0
    var line = 0
    var lineStart = 0

    var nameStart = 0
    var nameEnd = 0
    @usableFromInline var seriesStart = 0
    @usableFromInline var seriesEnd = 0
    var labelOffsets: ContiguousArray<Int> = []
    @usableFromInline var value = 0.0
    @usableFromInline var timestampValue: Int64 = 0
    @usableFromInline var hasTimestamp = false

    var hasExemplar = false
    var exemplarOffsets: ContiguousArray<Int> = []
    var exemplarValue = 0.0
    var exemplarTimestamp: Int64 = 0
    var exemplarHasTimestamp = false

    var textStart = 0
    var textEnd = 0
    var metricType = MetricType.unknown

    init(bytes: UnsafeRawBufferPointer, labelOffsets: ContiguousArray<Int>, exemplarOffsets: ContiguousArray<Int>) {
        self.bytes = bytes
        self.labelOffsets = labelOffsets
        self.exemplarOffsets = exemplarOffsets
    }

    @inline(__always)
    var atEnd: Bool { position >= bytes.count }

    @inline(__always)
    var current: UInt8 { bytes[position] }

    @inline(__always)
    func error(_ message: String, at offset: Int) -> ExpositionError {
        .syntax(message, line: line, column: offset - lineStart + 1)
    }

    @inline(__always)
    func semanticError(_ message: String, at offset: Int) -> ExpositionError {
        .semantic(message, line: line, column: offset - lineStart + 1)
    }

    @inline(__always)
    mutating func beginLine() {
        line += 1
        lineStart = position
    }

    @inline(__always)
    static func isNameStart(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
    }

    @inline(__always)
    static func isNameChar(_ byte: UInt8) -> Bool {
        isNameStart(byte) || byte &- UInt8(ascii: "0") < 10
    }

    @inline(__always)
    static func isLabelNameStart(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte == UInt8(ascii: "_")
    }

    @inline(__always)
    static func isLabelNameChar(_ byte: UInt8) -> Bool {
        isLabelNameStart(byte) || byte &- UInt8(ascii: "0") < 10
    }

    /// Advances over a metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`); returns false if none starts here.
    @inline(__always)
    mutating func scanMetricName() -> Bool {
        guard !atEnd, ParserCore.isNameStart(current) else { return false }
        position += 1
        while !atEnd && ParserCore.isNameChar(current) { position += 1 }
        return true
    }

    /// Advances over a label name (`[a-zA-Z_][a-zA-Z0-9_]*`); returns false if none starts here.
    @inline(__always)
    mutating func scanLabelName() -> Bool {
        guard !atEnd, ParserCore.isLabelNameStart(current) else { return false }
        position += 1
        while !atEnd && ParserCore.isLabelNameChar(current) { position += 1 }
        return true
    }

    @inline(__always)
    mutating func skipBlanks() {
        while !atEnd && (current == UInt8(ascii: " ") || current == UInt8(ascii: "\t")) { position += 1 }
    }

    /// Scans an escaped string up to (not including) `terminator` (`"` for label values, `\n` for
    /// help text). Escapes allowed: `\\`, `\n`, and `\"` when `allowQuoteEscape`; any other
    /// escape is an error unless `keepUnknownEscapes` (text format: Prometheus keeps them
    /// literally). A raw `"` is an error when `rejectRawQuote` (OpenMetrics help). Validates UTF-8.
    mutating func scanEscaped(
        terminator: UInt8, allowQuoteEscape: Bool, rejectRawQuote: Bool, keepUnknownEscapes: Bool = false, what: String
    ) throws(ExpositionError) {
        var sawNonASCII = false
        let start = position
        while true {
            guard !atEnd else {
                throw ExpositionError.unexpectedEnd("unexpected end of input in \(what)", line: line, column: position - lineStart + 1)
            }
            let byte = current
            if byte == terminator { break }
            if byte == UInt8(ascii: "\\") {
                let escapeStart = position
                position += 1
                guard !atEnd else { continue }
                let escaped = current
                guard keepUnknownEscapes || escaped == UInt8(ascii: "\\") || escaped == UInt8(ascii: "n")
                    || (allowQuoteEscape && escaped == UInt8(ascii: "\""))
                else {
                    throw error("invalid escape sequence in \(what)", at: escapeStart)
                }
            } else if byte == UInt8(ascii: "\n") {
                throw error("unexpected newline in \(what)", at: position)
            } else if byte == UInt8(ascii: "\"") && rejectRawQuote {
                throw error("unescaped '\"' in \(what)", at: position)
            } else if byte >= 0x80 {
                sawNonASCII = true
            }
            position += 1
        }
        if sawNonASCII, let bad = ParserCore.firstInvalidUTF8(bytes, start, position) {
            throw error("invalid UTF-8 in \(what)", at: bad)
        }
    }

    /// The offset of the first byte that breaks UTF-8 validity in `bytes[start..<end]`, or nil.
    static func firstInvalidUTF8(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int? {
        var index = start
        while index < end {
            let lead = bytes[index]
            if lead < 0x80 { index += 1; continue }
            let length: Int
            var minimum: UInt32
            var scalar: UInt32
            switch lead {
            case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(lead & 0x1F)
            case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(lead & 0x0F)
            case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(lead & 0x07)
            default: return index
            }
            guard index + length <= end else { return index }
            for offset in 1..<length {
                let continuation = bytes[index + offset]
                guard continuation & 0xC0 == 0x80 else { return index }
                scalar = scalar << 6 | UInt32(continuation & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (scalar >= 0xD800 && scalar <= 0xDFFF) { return index }
            index += length
        }
        return nil
    }

    @inlinable @inline(__always)
    func slice(_ start: Int, _ end: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    @inline(__always)
    func bytesEqual(_ aStart: Int, _ aEnd: Int, _ bStart: Int, _ bEnd: Int) -> Bool {
        guard aEnd - aStart == bEnd - bStart else { return false }
        var offset = 0
        while aStart + offset < aEnd {
            if bytes[aStart + offset] != bytes[bStart + offset] { return false }
            offset += 1
        }
        return true
    }

    @inline(__always)
    func bytesEqual(_ start: Int, _ end: Int, _ literal: StaticString) -> Bool {
        guard end - start == literal.utf8CodeUnitCount else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<literal.utf8CodeUnitCount where bytes[start + offset] != pointer[offset] { return false }
        return true
    }

    /// Whether the name `bytes[start..<end]` equals `prefix` bytes followed by `suffix`.
    @inline(__always)
    func nameEquals(_ start: Int, _ end: Int, prefixStart: Int, prefixEnd: Int, suffix: StaticString) -> Bool {
        let prefixLength = prefixEnd - prefixStart
        guard end - start == prefixLength + suffix.utf8CodeUnitCount else { return false }
        return bytesEqual(start, start + prefixLength, prefixStart, prefixEnd)
            && bytesEqual(start + prefixLength, end, suffix)
    }

    /// Error if the label name just scanned at `[start, end)` repeats one in `labelOffsets` or is
    /// the metric name label when a metric name was written outside the braces.
    mutating func checkDuplicateLabel(_ start: Int, _ end: Int) throws(ExpositionError) {
        // Mutating and reading the stored array in place: a copy of the core (or of the array as an
        // argument) cost a retain per label.
        var index = 0
        while index < labelOffsets.count {
            if bytesEqual(labelOffsets[index], labelOffsets[index + 1], start, end) {
                throw semanticError("duplicate label name \"\(String(decoding: slice(start, end), as: UTF8.self))\"", at: start)
            }
            index += 4
        }
        if bytesEqual(start, end, "__name__") {
            throw semanticError("label \"__name__\" is not allowed inside the label set", at: start)
        }
    }

    /// Whether the current series has a label called `name`.
    func hasLabel(_ name: StaticString) -> Bool {
        var index = 0
        while index < labelOffsets.count {
            if bytesEqual(labelOffsets[index], labelOffsets[index + 1], name) { return true }
            index += 4
        }
        return false
    }

    // MARK: - Materialisation (allocating; off the per-sample path)

    func string(_ start: Int, _ end: Int) -> String {
        String(decoding: slice(start, end), as: UTF8.self)
    }

    /// Decodes `\\`, `\n` and (when `quoteEscape`) `\"` escapes in `bytes[start..<end]`; any other
    /// backslash sequence is kept as written, as Prometheus does.
    func unescaped(_ start: Int, _ end: Int, quoteEscape: Bool = true) -> String {
        var hasBackslash = false
        for index in start..<end where bytes[index] == UInt8(ascii: "\\") {
            hasBackslash = true
            break
        }
        guard hasBackslash else { return string(start, end) }
        var result: [UInt8] = []
        result.reserveCapacity(end - start)
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") && index + 1 < end {
                let next = bytes[index + 1]
                switch next {
                case UInt8(ascii: "n"): result.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "\\"): result.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\"") where quoteEscape: result.append(UInt8(ascii: "\""))
                default: result.append(byte); result.append(next)
                }
                index += 2
            } else {
                result.append(byte)
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    func materialiseLabels() -> Labels {
        var builder = LabelsBuilder()
        builder.set(Labels.metricName, string(nameStart, nameEnd))
        var index = 0
        while index < labelOffsets.count {
            builder.set(string(labelOffsets[index], labelOffsets[index + 1]),
                        unescaped(labelOffsets[index + 2], labelOffsets[index + 3]))
            index += 4
        }
        return builder.build()
    }

    /// The labels of the current series in written order, empty values kept.
    func materialiseLabelPairs() -> [Label] {
        var pairs: [Label] = []
        pairs.reserveCapacity(labelOffsets.count / 4)
        var index = 0
        while index < labelOffsets.count {
            pairs.append(Label(
                name: string(labelOffsets[index], labelOffsets[index + 1]),
                value: unescaped(labelOffsets[index + 2], labelOffsets[index + 3])
            ))
            index += 4
        }
        return pairs
    }

    func materialiseExemplar() -> Exemplar? {
        guard hasExemplar else { return nil }
        var builder = LabelsBuilder()
        var index = 0
        while index < exemplarOffsets.count {
            builder.set(string(exemplarOffsets[index], exemplarOffsets[index + 1]),
                        unescaped(exemplarOffsets[index + 2], exemplarOffsets[index + 3]))
            index += 4
        }
        return Exemplar(labels: builder.build(), value: exemplarValue,
                        timestamp: exemplarHasTimestamp ? exemplarTimestamp : nil)
    }
}
