public import VigilModel

/// A pull parser for the Prometheus text exposition format 0.0.4.
///
/// Follows `exposition_formats.md`: tokens separated by blanks and tabs; `# HELP` text escapes only
/// `\\` and `\n`; label values escape `\\`, `\"` and `\n`; at most one HELP and one TYPE per
/// metric name, TYPE before that name's samples; values as Go's `ParseFloat`; timestamps int64
/// milliseconds; the last line must end with `\n`. Like Prometheus it accepts blank lines, blanks
/// around label tokens and a trailing comma in a label set, and keeps unknown backslash escapes in
/// label values and help text as written. With `goExpfmt` it reads as Go's `expfmt.TextParser`
/// (which the Pushgateway and client_golang use) where that differs: unknown escapes are errors,
/// `#HELP`/`#TYPE` need no blank after the `#`, a HELP or TYPE line without a value is a comment,
/// a type word is matched as Go matches it, blanks after a sample's value or timestamp are errors,
/// and blanks after the last newline end the input.
public struct TextParser: ExpositionParser {
    // Usable from inlinable code so the per-sample accessors below inline into scrape loops:
    // called through a getter, they copied the parser (a retain per buffer) for every sample.
    @usableFromInline var core: ParserCore
    private let goExpfmt: Bool
    /// Names that had a HELP line, a TYPE line, or a sample.
    private var helpSeen: SeriesCache<Void>
    private var typeSeen: SeriesCache<Void>
    private var sampleNamesSeen: SeriesCache<Void>
    /// Where the grown buffers go back at the end of the input; `nil` once given back.
    private var scratch: ExpositionScratch?
    private var lastSampleNameStart = 0
    private var lastSampleNameEnd = 0
    /// Whether the last entry read was a sample whose series was the one `next(expecting:)` named.
    public private(set) var matchedExpected = false

    /// Creates a parser over `bytes`, which must stay valid and unchanged while the parser and
    /// the byte views it returns are used. Pass the scrape loop's `scratch` so a warm scrape
    /// allocates nothing. With `goExpfmt`, a backslash escape other than `\\`, `\n` (and `\"` in
    /// label values) is a syntax error instead of being kept as written, `#HELP`/`#TYPE` are
    /// keywords as `# HELP`/`# TYPE` are, a HELP or TYPE line with no name or no value is a comment,
    /// blanks ending a sample line are errors, and blanks after the last newline end the input.
    public init(bytes: UnsafeRawBufferPointer, scratch: ExpositionScratch = ExpositionScratch(), goExpfmt: Bool = false) {
        self.goExpfmt = goExpfmt
        let buffers = scratch.take()
        core = ParserCore(bytes: bytes, labelOffsets: buffers.labelOffsets, exemplarOffsets: buffers.exemplarOffsets)
        helpSeen = buffers.firstNames
        typeSeen = buffers.secondNames
        sampleNamesSeen = buffers.thirdNames
        self.scratch = scratch
    }

    private mutating func giveBackScratch() {
        scratch?.giveBack(.init(
            labelOffsets: core.labelOffsets, exemplarOffsets: core.exemplarOffsets,
            firstNames: helpSeen, secondNames: typeSeen, thirdNames: sampleNamesSeen
        ))
        scratch = nil
    }

    /// Reads the next entry; `nil` at the end of the input (see ``ExpositionParser/next()``).
    public mutating func next() throws(ExpositionError) -> ExpositionEntry? {
        try read(expecting: nil)
    }

    /// Like ``next()``, but a sample line whose series is written exactly as `expected` (and then
    /// a blank) is not parsed again: ``matchedExpected`` is then true and the name and labels are
    /// taken as they are. A scrape loop passes the series that followed the previous one in its
    /// last scrape, since a target writes its series in the same order every time; a line that
    /// differs is parsed in full. `expected` must be a series this parser's rules accepted.
    public mutating func next(expecting expected: UnsafeRawBufferPointer) throws(ExpositionError) -> ExpositionEntry? {
        try read(expecting: expected)
    }

    private mutating func read(expecting expected: UnsafeRawBufferPointer?) throws(ExpositionError) -> ExpositionEntry? {
        matchedExpected = false
        while true {
            guard !core.atEnd else {
                giveBackScratch()
                return nil
            }
            core.beginLine()
            core.skipBlanks()
            guard !core.atEnd else {
                // Go's parser takes blanks after the last newline as the end of the input.
                if goExpfmt {
                    giveBackScratch()
                    return nil
                }
                throw missingNewline()
            }
            let byte = core.current
            if byte == UInt8(ascii: "\n") {
                core.position += 1
                continue
            }
            if byte == UInt8(ascii: "#") { return try parseComment() }
            if let expected, matchSeries(expected) {
                matchedExpected = true
            } else {
                try parseSeries()
            }
            try parseValueAndTimestamp()
            return .series
        }
    }

    /// Takes the series at the current position as `expected` when the line starts with exactly
    /// those bytes and a blank (and, for a series without labels, no label set follows). Parsing
    /// those bytes again would give the same name and labels, so only the name's end is found.
    private mutating func matchSeries(_ expected: UnsafeRawBufferPointer) -> Bool {
        let start = core.position
        let end = start + expected.count
        guard !expected.isEmpty, end < core.bytes.count,
              SeriesCacheHash.equal(core.slice(start, end), expected) else { return false }
        let after = core.bytes[end]
        guard after == UInt8(ascii: " ") || after == UInt8(ascii: "\t") else { return false }
        _ = core.scanMetricName()
        let nameEnd = core.position
        core.position = end
        core.skipBlanks()
        if nameEnd == end && !core.atEnd && core.current == UInt8(ascii: "{") {
            core.position = start
            return false
        }
        core.labelOffsets.removeAll(keepingCapacity: true)
        core.nameStart = start
        core.nameEnd = nameEnd
        core.seriesStart = start
        core.seriesEnd = end
        return true
    }

    private func missingNewline() -> ExpositionError {
        .unexpectedEnd("unexpected end of input: the last line must end with a newline",
                       line: core.line, column: core.position - core.lineStart + 1)
    }

    private mutating func parseComment() throws(ExpositionError) -> ExpositionEntry {
        let hashOffset = core.position
        core.position += 1
        let afterHash = core.position
        core.skipBlanks()
        if core.position > afterHash || goExpfmt, core.position + 4 < core.bytes.count {
            let keywordStart = core.position
            let next = core.bytes[keywordStart + 4]
            if (next == UInt8(ascii: " ") || next == UInt8(ascii: "\t")) && !(goExpfmt && lacksValue(from: keywordStart + 4)) {
                if core.bytesEqual(keywordStart, keywordStart + 4, "HELP") {
                    core.position += 4
                    try parseHelp()
                    return .help
                }
                if core.bytesEqual(keywordStart, keywordStart + 4, "TYPE") {
                    core.position += 4
                    try parseType()
                    return .type
                }
            }
        }
        while !core.atEnd && core.current != UInt8(ascii: "\n") { core.position += 1 }
        guard !core.atEnd else { throw missingNewline() }
        core.textStart = hashOffset + 1
        core.textEnd = core.position
        core.position += 1
        return .comment
    }

    /// The type word of a TYPE line and its newline, as Prometheus reads it: one lower-case word,
    /// blanks around it allowed.
    private mutating func typeWord() throws(ExpositionError) -> MetricType {
        let wordStart = core.position
        while !core.atEnd && core.current != UInt8(ascii: " ") && core.current != UInt8(ascii: "\t")
            && core.current != UInt8(ascii: "\n") { core.position += 1 }
        let wordEnd = core.position
        core.skipBlanks()
        guard !core.atEnd else { throw missingNewline() }
        guard core.current == UInt8(ascii: "\n") else {
            throw core.error("unexpected data after metric type", at: core.position)
        }
        core.position += 1
        if core.bytesEqual(wordStart, wordEnd, "counter") { return .counter }
        if core.bytesEqual(wordStart, wordEnd, "gauge") { return .gauge }
        if core.bytesEqual(wordStart, wordEnd, "histogram") { return .histogram }
        if core.bytesEqual(wordStart, wordEnd, "summary") { return .summary }
        if core.bytesEqual(wordStart, wordEnd, "untyped") { return .unknown }
        throw core.error("invalid metric type \"\(core.string(wordStart, wordEnd))\"", at: wordStart)
    }

    /// The type word as Go's `expfmt` reads it: the rest of the line (trailing blanks included),
    /// backslashes dropped, matched case-insensitively against client_model's type names.
    private mutating func goTypeWord() throws(ExpositionError) -> MetricType {
        let wordStart = core.position
        var word: [UInt8] = []
        while !core.atEnd && core.current != UInt8(ascii: "\n") {
            if core.current != UInt8(ascii: "\\") { word.append(core.current) }
            core.position += 1
        }
        guard !core.atEnd else { throw missingNewline() }
        core.position += 1
        let text = String(decoding: word, as: UTF8.self)
        switch text.uppercased() {
        case "COUNTER": return .counter
        case "GAUGE": return .gauge
        case "HISTOGRAM": return .histogram
        case "SUMMARY": return .summary
        case "UNTYPED": return .unknown
        case "GAUGE_HISTOGRAM": return .gaugehistogram
        default: throw core.error("unknown metric type \"\(text)\"", at: wordStart)
        }
    }

    /// Whether a HELP or TYPE line ends (only blanks left) before or right after its metric name:
    /// Go's parser ignores such a line instead of failing or recording an empty value.
    private func lacksValue(from start: Int) -> Bool {
        var index = start
        func skipBlanks() {
            while index < core.bytes.count && (core.bytes[index] == UInt8(ascii: " ") || core.bytes[index] == UInt8(ascii: "\t")) {
                index += 1
            }
        }
        skipBlanks()
        if index < core.bytes.count && ParserCore.isNameStart(core.bytes[index]) {
            while index < core.bytes.count && ParserCore.isNameChar(core.bytes[index]) { index += 1 }
            skipBlanks()
        }
        return index < core.bytes.count && core.bytes[index] == UInt8(ascii: "\n")
    }

    private mutating func parseMetadataName(after keyword: String) throws(ExpositionError) {
        core.skipBlanks()
        core.nameStart = core.position
        guard core.scanMetricName() else {
            if core.atEnd { throw missingNewline() }
            throw core.error("expected metric name after \(keyword)", at: core.position)
        }
        core.nameEnd = core.position
        guard !core.atEnd else { throw missingNewline() }
        let byte = core.current
        guard byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") else {
            throw core.error("invalid character in metric name", at: core.position)
        }
    }

    private mutating func parseHelp() throws(ExpositionError) {
        try parseMetadataName(after: "HELP")
        core.skipBlanks()
        core.textStart = core.position
        try core.scanEscaped(
            terminator: UInt8(ascii: "\n"), allowQuoteEscape: false, rejectRawQuote: false, keepUnknownEscapes: !goExpfmt,
            what: "help text"
        )
        core.textEnd = core.position
        core.position += 1
        let name = core.slice(core.nameStart, core.nameEnd)
        if helpSeen.entryIndex(forKey: name) != nil {
            throw core.semanticError("second HELP line for metric name \"\(core.string(core.nameStart, core.nameEnd))\"", at: core.nameStart)
        }
        helpSeen.updateValue((), forKey: name)
    }

    private mutating func parseType() throws(ExpositionError) {
        try parseMetadataName(after: "TYPE")
        core.skipBlanks()
        let type = goExpfmt ? try goTypeWord() : try typeWord()
        core.metricType = type
        let nameBytes = core.slice(core.nameStart, core.nameEnd)
        if typeSeen.entryIndex(forKey: nameBytes) != nil {
            throw core.semanticError("second TYPE line for metric name \"\(core.string(core.nameStart, core.nameEnd))\"", at: core.nameStart)
        }
        typeSeen.updateValue((), forKey: nameBytes)
        var sampledBefore = sampleNamesSeen.entryIndex(forKey: nameBytes) != nil
        switch type {
        case .histogram:
            sampledBefore = sampledBefore || seen(nameBytes, "_bucket") || seen(nameBytes, "_sum") || seen(nameBytes, "_count")
        case .summary:
            sampledBefore = sampledBefore || seen(nameBytes, "_sum") || seen(nameBytes, "_count")
        default:
            break
        }
        if sampledBefore {
            throw core.semanticError("TYPE line for \"\(core.string(core.nameStart, core.nameEnd))\" after its samples", at: core.nameStart)
        }
    }

    /// Whether a sample named `name` + `suffix` was seen; builds the key on the stack.
    private func seen(_ name: UnsafeRawBufferPointer, _ suffix: StaticString) -> Bool {
        let length = name.count + suffix.utf8CodeUnitCount
        return withUnsafeTemporaryAllocation(byteCount: length, alignment: 1) { key in
            key.copyMemory(from: name)
            UnsafeMutableRawBufferPointer(rebasing: key[name.count...])
                .copyMemory(from: UnsafeRawBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount))
            return sampleNamesSeen.entryIndex(forKey: UnsafeRawBufferPointer(key)) != nil
        }
    }

    /// The metric name and label set of a sample line, leaving the position at its value.
    private mutating func parseSeries() throws(ExpositionError) {
        core.labelOffsets.removeAll(keepingCapacity: true)
        core.seriesStart = core.position
        core.nameStart = core.position
        guard core.scanMetricName() else {
            throw core.error("expected metric name", at: core.position)
        }
        core.nameEnd = core.position
        core.seriesEnd = core.position
        core.skipBlanks()
        guard !core.atEnd else { throw missingNewline() }
        if core.current == UInt8(ascii: "{") {
            core.position += 1
            try parseLabels()
            core.seriesEnd = core.position
            core.skipBlanks()
        }
    }

    /// The value, optional timestamp and newline of a sample line.
    private mutating func parseValueAndTimestamp() throws(ExpositionError) {
        guard !core.atEnd else { throw missingNewline() }
        let valueStart = core.position
        while !core.atEnd {
            let byte = core.current
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") { break }
            core.position += 1
        }
        guard !core.atEnd else { throw missingNewline() }
        guard core.position > valueStart else {
            throw core.error("expected value after metric", at: valueStart)
        }
        guard let value = FloatParsing.parseNumber(core.bytes, valueStart, core.position) else {
            throw core.error("invalid value \"\(core.string(valueStart, core.position))\"", at: valueStart)
        }
        core.value = value
        core.hasTimestamp = false
        core.hasExemplar = false
        let valueEnd = core.position
        core.skipBlanks()
        guard !core.atEnd else { throw missingNewline() }
        if goExpfmt && core.position > valueEnd && core.current == UInt8(ascii: "\n") {
            // Go reads a blank after the value as the start of a timestamp.
            throw core.error("expected integer as timestamp, got \"\"", at: core.position)
        }
        if core.current != UInt8(ascii: "\n") {
            let timestampStart = core.position
            while !core.atEnd {
                let byte = core.current
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") { break }
                core.position += 1
            }
            guard let timestamp = FloatParsing.parseInteger(core.bytes, timestampStart, core.position) else {
                throw core.error("invalid timestamp \"\(core.string(timestampStart, core.position))\"", at: timestampStart)
            }
            core.timestampValue = timestamp
            core.hasTimestamp = true
            let timestampEnd = core.position
            core.skipBlanks()
            guard !core.atEnd else { throw missingNewline() }
            guard core.current == UInt8(ascii: "\n"), !(goExpfmt && core.position > timestampEnd) else {
                throw core.error("unexpected data after timestamp", at: core.position)
            }
        }
        core.position += 1
        if !core.bytesEqual(core.nameStart, core.nameEnd, lastSampleNameStart, lastSampleNameEnd) {
            lastSampleNameStart = core.nameStart
            lastSampleNameEnd = core.nameEnd
            let name = core.slice(core.nameStart, core.nameEnd)
            if sampleNamesSeen.entryIndex(forKey: name) == nil { sampleNamesSeen.updateValue((), forKey: name) }
        }
    }

    private mutating func parseLabels() throws(ExpositionError) {
        while true {
            core.skipBlanks()
            guard !core.atEnd else { throw missingNewline() }
            if core.current == UInt8(ascii: "}") {
                core.position += 1
                return
            }
            let labelStart = core.position
            guard core.scanLabelName() else {
                throw core.error("expected label name", at: core.position)
            }
            let labelEnd = core.position
            try core.checkDuplicateLabel(labelStart, labelEnd)
            core.skipBlanks()
            guard !core.atEnd else { throw missingNewline() }
            guard core.current == UInt8(ascii: "=") else {
                throw core.error("expected '=' after label name", at: core.position)
            }
            core.position += 1
            core.skipBlanks()
            guard !core.atEnd else { throw missingNewline() }
            guard core.current == UInt8(ascii: "\"") else {
                throw core.error("expected '\"' to start label value", at: core.position)
            }
            core.position += 1
            let valueStart = core.position
            try core.scanEscaped(
                terminator: UInt8(ascii: "\""), allowQuoteEscape: true, rejectRawQuote: false, keepUnknownEscapes: !goExpfmt,
                what: "label value"
            )
            core.labelOffsets.append(labelStart)
            core.labelOffsets.append(labelEnd)
            core.labelOffsets.append(valueStart)
            core.labelOffsets.append(core.position)
            core.position += 1
            core.skipBlanks()
            guard !core.atEnd else { throw missingNewline() }
            if core.current == UInt8(ascii: ",") {
                core.position += 1
            } else if core.current != UInt8(ascii: "}") {
                throw core.error("expected ',' or '}' after label value", at: core.position)
            }
        }
    }

    /// The 1-based line of the current entry.
    public var line: Int { core.line }
    /// The metric name of the current entry, as raw bytes.
    public var metricName: UnsafeRawBufferPointer { core.slice(core.nameStart, core.nameEnd) }
    /// The type of the current `# TYPE` entry.
    public var metricType: MetricType { core.metricType }
    /// The current comment's text, as raw bytes.
    public var comment: UnsafeRawBufferPointer { core.slice(core.textStart, core.textEnd) }
    /// The current series' name and labels exactly as written (the ``SeriesCache`` key).
    @inlinable public var series: UnsafeRawBufferPointer { core.slice(core.seriesStart, core.seriesEnd) }
    /// The current sample's value.
    @inlinable public var value: Double { core.value }
    /// The current sample's timestamp in milliseconds, if written.
    @inlinable public var timestamp: Timestamp? { core.hasTimestamp ? core.timestampValue : nil }
    /// Whether the current sample carries an exemplar.
    public var hasExemplar: Bool { false }
    /// The current help or unit text as written, escapes included.
    public var metadataText: UnsafeRawBufferPointer { core.slice(core.textStart, core.textEnd) }
    /// The current help text, unescaped (allocates).
    public func helpText() -> String { core.unescaped(core.textStart, core.textEnd, quoteEscape: false) }
    /// Text format 0.0.4 has no units; always empty.
    public func unit() -> String { "" }
    /// The current series' labels including `__name__` (allocates; call on cache miss).
    public func labels() -> Labels { labelsPending ? withLabelsRead.core.materialiseLabels() : core.materialiseLabels() }
    /// The current series' labels as written: in order, unescaped, empty values kept, without the
    /// metric name (allocates). For consumers that must tell `a=""` from a missing `a`, as the
    /// Pushgateway does.
    /// Whether the current series matched its expectation with a label set left unread.
    private var labelsPending: Bool { matchedExpected && core.nameEnd != core.seriesEnd }

    public func labelPairs() -> [Label] {
        labelsPending ? withLabelsRead.core.materialiseLabelPairs() : core.materialiseLabelPairs()
    }

    /// A copy of this parser with the label offsets of a series that matched its expectation.
    private var withLabelsRead: TextParser {
        var copy = self
        copy.core.position = core.nameEnd
        copy.core.skipBlanks()
        copy.core.position += 1
        // The bytes equal a series this parser's rules accepted before: they cannot fail now.
        try? copy.parseLabels()
        return copy
    }
    /// Text format 0.0.4 has no exemplars; always `nil`.
    public func exemplar() -> Exemplar? { nil }
}
