public import VigilModel

/// A pull parser for OpenMetrics 1.0 text, strict to the specification's ABNF and its MUSTs.
///
/// Enforced: single-space separators and LF line ends only; the exposition ends with `# EOF`
/// (optionally followed by one LF) and nothing after; only `# TYPE`, `# UNIT`, `# HELP` and
/// `# EOF` comment lines; at most one of each descriptor per family, all before its samples;
/// families not interleaved or repeated; sample names matching their family's type (`_total`
/// and `_created` for counters; `_bucket`, `_count`, `_sum`, `_created` for histograms;
/// `_bucket`, `_gcount`, `_gsum` for gauge histograms; `_info` for infos), `le` on buckets and
/// `quantile` on summary quantiles; a UNIT that is a `_`-separated suffix of the family name;
/// exemplars only on counter `_total` and `_bucket` samples, with at most 128 code points of
/// label names and values; timestamps as seconds, stored as milliseconds.
///
/// The descriptor order inside a family is not enforced: the Go and Python clients write
/// HELP, TYPE, UNIT, and the ABNF (`*metric-descriptor`) allows any order.
public struct OpenMetricsParser: ExpositionParser {
    // Usable from inlinable code so the per-sample accessors below inline into scrape loops:
    // called through a getter, they copied the parser (a retain per buffer) for every sample.
    @usableFromInline var core: ParserCore
    private var familyStart = 0
    private var familyEnd = 0
    private var hasFamily = false
    private var familyType = MetricType.unknown
    private var familyHasType = false
    private var familyHasHelp = false
    private var familyHasUnit = false
    private var familyHasSamples = false
    private var closedFamilies: SeriesCache<Void>
    /// Where the grown buffers go back at `# EOF`; `nil` once given back.
    private var scratch: ExpositionScratch?
    private var unusedNames: (SeriesCache<Void>, SeriesCache<Void>)
    private var finished = false

    /// Creates a parser over `bytes`, which must stay valid and unchanged while the parser and
    /// the byte views it returns are used. Pass the scrape loop's `scratch` so a warm scrape
    /// allocates nothing.
    public init(bytes: UnsafeRawBufferPointer, scratch: ExpositionScratch = ExpositionScratch()) {
        let buffers = scratch.take()
        core = ParserCore(bytes: bytes, labelOffsets: buffers.labelOffsets, exemplarOffsets: buffers.exemplarOffsets)
        closedFamilies = buffers.firstNames
        unusedNames = (buffers.secondNames, buffers.thirdNames)
        self.scratch = scratch
    }

    private mutating func giveBackScratch() {
        scratch?.giveBack(.init(
            labelOffsets: core.labelOffsets, exemplarOffsets: core.exemplarOffsets,
            firstNames: closedFamilies, secondNames: unusedNames.0, thirdNames: unusedNames.1
        ))
        scratch = nil
    }

    /// Reads the next entry; `nil` at the end of the input (see ``ExpositionParser/next()``).
    public mutating func next() throws(ExpositionError) -> ExpositionEntry? {
        if finished { return nil }
        guard !core.atEnd else {
            throw ExpositionError.unexpectedEnd("data does not end with # EOF",
                                                line: core.line + 1, column: 1)
        }
        core.beginLine()
        if core.current == UInt8(ascii: "#") { return try parseDescriptor() }
        try parseSample()
        return .series
    }

    private func unexpectedEnd() -> ExpositionError {
        .unexpectedEnd("data does not end with # EOF", line: core.line, column: core.position - core.lineStart + 1)
    }

    private mutating func expectSpace(_ context: String) throws(ExpositionError) {
        guard !core.atEnd else { throw unexpectedEnd() }
        guard core.current == UInt8(ascii: " ") else {
            throw core.error("expected a single space \(context)", at: core.position)
        }
        core.position += 1
    }

    private mutating func parseDescriptor() throws(ExpositionError) -> ExpositionEntry? {
        let hash = core.position
        core.position += 1
        guard !core.atEnd, core.current == UInt8(ascii: " ") else {
            throw core.error("comment lines other than # TYPE, # UNIT, # HELP and # EOF are not allowed", at: hash)
        }
        core.position += 1
        let keyword = core.position
        let bytes = core.bytes
        if keyword + 3 <= bytes.count && core.bytesEqual(keyword, keyword + 3, "EOF")
            && (keyword + 3 == bytes.count || bytes[keyword + 3] == UInt8(ascii: "\n")) {
            core.position = keyword + 3
            if !core.atEnd { core.position += 1 }
            guard core.atEnd else {
                core.beginLine()
                throw core.error("unexpected data after # EOF", at: core.position)
            }
            finished = true
            giveBackScratch()
            return nil
        }
        guard keyword + 5 <= bytes.count, bytes[keyword + 4] == UInt8(ascii: " ") else {
            throw core.error("comment lines other than # TYPE, # UNIT, # HELP and # EOF are not allowed", at: hash)
        }
        let entry: ExpositionEntry
        if core.bytesEqual(keyword, keyword + 4, "TYPE") { entry = .type }
        else if core.bytesEqual(keyword, keyword + 4, "HELP") { entry = .help }
        else if core.bytesEqual(keyword, keyword + 4, "UNIT") { entry = .unit }
        else {
            throw core.error("comment lines other than # TYPE, # UNIT, # HELP and # EOF are not allowed", at: hash)
        }
        core.position = keyword + 5
        core.nameStart = core.position
        guard core.scanMetricName() else {
            if core.atEnd { throw unexpectedEnd() }
            throw core.error("expected metric name", at: core.position)
        }
        core.nameEnd = core.position
        try expectSpace("after the metric name")
        core.textStart = core.position
        switch entry {
        case .help:
            try core.scanEscaped(terminator: UInt8(ascii: "\n"), allowQuoteEscape: true, rejectRawQuote: true, what: "help text")
        case .unit:
            while !core.atEnd && ParserCore.isNameChar(core.current) { core.position += 1 }
        default:
            while !core.atEnd && core.current != UInt8(ascii: " ") && core.current != UInt8(ascii: "\n") { core.position += 1 }
        }
        core.textEnd = core.position
        if entry == .type {
            let start = core.textStart
            let end = core.textEnd
            let type: MetricType
            if core.bytesEqual(start, end, "counter") { type = .counter }
            else if core.bytesEqual(start, end, "gauge") { type = .gauge }
            else if core.bytesEqual(start, end, "histogram") { type = .histogram }
            else if core.bytesEqual(start, end, "gaugehistogram") { type = .gaugehistogram }
            else if core.bytesEqual(start, end, "summary") { type = .summary }
            else if core.bytesEqual(start, end, "info") { type = .info }
            else if core.bytesEqual(start, end, "stateset") { type = .stateset }
            else if core.bytesEqual(start, end, "unknown") { type = .unknown }
            else { throw core.error("invalid metric type \"\(core.string(start, end))\"", at: start) }
            core.metricType = type
        }
        guard !core.atEnd else { throw unexpectedEnd() }
        guard core.current == UInt8(ascii: "\n") else {
            throw core.error(entry == .unit ? "invalid character in unit" : "unexpected data after metric type", at: core.position)
        }
        core.position += 1
        if entry == .unit && core.textEnd > core.textStart {
            let unitLength = core.textEnd - core.textStart
            let nameLength = core.nameEnd - core.nameStart
            guard nameLength > unitLength,
                  core.bytes[core.nameEnd - unitLength - 1] == UInt8(ascii: "_"),
                  core.bytesEqual(core.nameEnd - unitLength, core.nameEnd, core.textStart, core.textEnd)
            else {
                throw core.semanticError(
                    "unit \"\(core.string(core.textStart, core.textEnd))\" is not a suffix of metric \"\(core.string(core.nameStart, core.nameEnd))\"",
                    at: core.textStart)
            }
        }
        try enterFamily(core.nameStart, core.nameEnd, forDescriptor: true)
        let keywordName: String
        switch entry {
        case .type:
            if familyHasType { keywordName = "TYPE" } else { familyHasType = true; familyType = core.metricType; keywordName = "" }
        case .help:
            if familyHasHelp { keywordName = "HELP" } else { familyHasHelp = true; keywordName = "" }
        default:
            if familyHasUnit { keywordName = "UNIT" } else { familyHasUnit = true; keywordName = "" }
        }
        if !keywordName.isEmpty {
            throw core.semanticError("second \(keywordName) line for metric family \"\(core.string(core.nameStart, core.nameEnd))\"", at: core.nameStart)
        }
        return entry
    }

    /// Makes `[start, end)` the current family, closing the previous one; errors on interleaving.
    private mutating func enterFamily(_ start: Int, _ end: Int, forDescriptor: Bool) throws(ExpositionError) {
        if hasFamily && core.bytesEqual(start, end, familyStart, familyEnd) {
            if forDescriptor && familyHasSamples {
                throw core.semanticError("metadata for metric family \"\(core.string(start, end))\" must come before its samples", at: start)
            }
            return
        }
        if hasFamily { closedFamilies.updateValue((), forKey: core.slice(familyStart, familyEnd)) }
        if closedFamilies.entryIndex(forKey: core.slice(start, end)) != nil {
            throw core.semanticError("metric family \"\(core.string(start, end))\" appears more than once (families must not be interleaved)", at: start)
        }
        hasFamily = true
        familyStart = start
        familyEnd = end
        familyType = .unknown
        familyHasType = false
        familyHasHelp = false
        familyHasUnit = false
        familyHasSamples = false
    }

    /// What a sample name is within the current family.
    private enum SampleRole {
        case plain, total, created, bucket, count, sum, gcount, gsum, info, notInFamily
    }

    private func role(ofSample start: Int, _ end: Int) -> SampleRole {
        guard hasFamily else { return .notInFamily }
        let fs = familyStart
        let fe = familyEnd
        func named(_ suffix: StaticString) -> Bool {
            core.nameEquals(start, end, prefixStart: fs, prefixEnd: fe, suffix: suffix)
        }
        switch familyType {
        case .counter:
            if named("_total") { return .total }
            if named("_created") { return .created }
        case .histogram:
            if named("_bucket") { return .bucket }
            if named("_count") { return .count }
            if named("_sum") { return .sum }
            if named("_created") { return .created }
        case .gaugehistogram:
            if named("_bucket") { return .bucket }
            if named("_gcount") { return .gcount }
            if named("_gsum") { return .gsum }
        case .summary:
            if named("") { return .plain }
            if named("_count") { return .count }
            if named("_sum") { return .sum }
            if named("_created") { return .created }
        case .info:
            if named("_info") { return .info }
        case .gauge, .stateset, .unknown:
            if named("") { return .plain }
        }
        return .notInFamily
    }

    private func suffixHint() -> String {
        switch familyType {
        case .counter: "_total or _created"
        case .histogram: "_bucket, _count, _sum or _created"
        case .gaugehistogram: "_bucket, _gcount or _gsum"
        case .summary: "no suffix, _count, _sum or _created"
        case .info: "_info"
        case .gauge, .stateset, .unknown: "no suffix"
        }
    }

    private mutating func parseSample() throws(ExpositionError) {
        core.labelOffsets.removeAll(keepingCapacity: true)
        core.seriesStart = core.position
        core.nameStart = core.position
        guard core.scanMetricName() else {
            throw core.error("expected metric name", at: core.position)
        }
        core.nameEnd = core.position
        guard !core.atEnd else { throw unexpectedEnd() }
        if core.current == UInt8(ascii: "{") {
            core.position += 1
            try parseLabels(exemplar: false)
        }
        core.seriesEnd = core.position

        var role = role(ofSample: core.nameStart, core.nameEnd)
        if role == .notInFamily {
            if hasFamily && core.bytesEqual(core.nameStart, core.nameEnd, familyStart, familyEnd) {
                throw core.semanticError(
                    "sample name \"\(core.string(core.nameStart, core.nameEnd))\" is not valid for \(familyType.rawValue) family \"\(core.string(familyStart, familyEnd))\" (expected \(suffixHint()))",
                    at: core.nameStart)
            }
            try enterFamily(core.nameStart, core.nameEnd, forDescriptor: false)
            role = .plain
        }
        familyHasSamples = true
        if role == .bucket && !core.hasLabel("le") {
            throw core.semanticError("histogram bucket sample without an \"le\" label", at: core.nameStart)
        }
        if familyType == .summary && role == .plain && !core.hasLabel("quantile") {
            throw core.semanticError("summary sample without a \"quantile\" label", at: core.nameStart)
        }

        try expectSpace("before the value")
        let valueStart = core.position
        while !core.atEnd && core.current != UInt8(ascii: " ") && core.current != UInt8(ascii: "\n") { core.position += 1 }
        guard !core.atEnd else { throw unexpectedEnd() }
        guard let value = FloatParsing.parseNumber(core.bytes, valueStart, core.position) else {
            throw core.error(core.position == valueStart ? "expected value" : "invalid value \"\(core.string(valueStart, core.position))\"", at: valueStart)
        }
        core.value = value
        core.hasTimestamp = false
        core.hasExemplar = false
        if core.current == UInt8(ascii: " ") {
            core.position += 1
            guard !core.atEnd else { throw unexpectedEnd() }
            if core.current != UInt8(ascii: "#") {
                let timestampStart = core.position
                while !core.atEnd && core.current != UInt8(ascii: " ") && core.current != UInt8(ascii: "\n") { core.position += 1 }
                guard !core.atEnd else { throw unexpectedEnd() }
                guard let timestamp = FloatParsing.parseSecondsAsMilliseconds(core.bytes, timestampStart, core.position) else {
                    throw core.error(core.position == timestampStart ? "expected timestamp" : "invalid timestamp \"\(core.string(timestampStart, core.position))\"", at: timestampStart)
                }
                core.timestampValue = timestamp
                core.hasTimestamp = true
                if core.current == UInt8(ascii: " ") {
                    core.position += 1
                    guard !core.atEnd else { throw unexpectedEnd() }
                    guard core.current == UInt8(ascii: "#") else {
                        throw core.error("unexpected data after timestamp", at: core.position)
                    }
                }
            }
            if !core.atEnd && core.current == UInt8(ascii: "#") {
                let exemplarStart = core.position
                guard role == .total || role == .bucket else {
                    throw core.semanticError("exemplars are only allowed on counter _total and histogram _bucket samples", at: exemplarStart)
                }
                try parseExemplar()
            }
        }
        guard !core.atEnd else { throw unexpectedEnd() }
        guard core.current == UInt8(ascii: "\n") else {
            throw core.error("unexpected data after sample", at: core.position)
        }
        core.position += 1
    }

    private mutating func parseExemplar() throws(ExpositionError) {
        let start = core.position
        core.position += 1
        try expectSpace("after '#' of an exemplar")
        guard !core.atEnd else { throw unexpectedEnd() }
        guard core.current == UInt8(ascii: "{") else {
            throw core.error("expected '{' to start exemplar labels", at: core.position)
        }
        core.position += 1
        core.exemplarOffsets.removeAll(keepingCapacity: true)
        try parseLabels(exemplar: true)
        var codePoints = 0
        for offset in core.exemplarOffsets.indices where offset % 4 == 0 {
            codePoints += core.exemplarOffsets[offset + 1] - core.exemplarOffsets[offset]
            codePoints += OpenMetricsParser.codePointCount(core.bytes, core.exemplarOffsets[offset + 2], core.exemplarOffsets[offset + 3])
        }
        if codePoints > 128 {
            throw core.semanticError("exemplar labels have \(codePoints) code points, more than 128", at: start)
        }
        try expectSpace("before the exemplar value")
        let valueStart = core.position
        while !core.atEnd && core.current != UInt8(ascii: " ") && core.current != UInt8(ascii: "\n") { core.position += 1 }
        guard !core.atEnd else { throw unexpectedEnd() }
        guard let value = FloatParsing.parseNumber(core.bytes, valueStart, core.position) else {
            throw core.error(core.position == valueStart ? "expected exemplar value" : "invalid exemplar value \"\(core.string(valueStart, core.position))\"", at: valueStart)
        }
        core.exemplarValue = value
        core.exemplarHasTimestamp = false
        if core.current == UInt8(ascii: " ") {
            core.position += 1
            let timestampStart = core.position
            while !core.atEnd && core.current != UInt8(ascii: " ") && core.current != UInt8(ascii: "\n") { core.position += 1 }
            guard !core.atEnd else { throw unexpectedEnd() }
            guard let timestamp = FloatParsing.parseSecondsAsMilliseconds(core.bytes, timestampStart, core.position) else {
                throw core.error(core.position == timestampStart ? "expected exemplar timestamp" : "invalid exemplar timestamp \"\(core.string(timestampStart, core.position))\"", at: timestampStart)
            }
            core.exemplarTimestamp = timestamp
            core.exemplarHasTimestamp = true
        }
        core.hasExemplar = true
    }

    /// Code points in an escaped label value: escapes count as one, UTF-8 continuation bytes not.
    private static func codePointCount(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int {
        var count = 0
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") { index += 2; count += 1; continue }
            if byte & 0xC0 != 0x80 { count += 1 }
            index += 1
        }
        return count
    }

    private mutating func parseLabels(exemplar: Bool) throws(ExpositionError) {
        guard !core.atEnd else { throw unexpectedEnd() }
        if core.current == UInt8(ascii: "}") {
            core.position += 1
            return
        }
        while true {
            let labelStart = core.position
            guard core.scanLabelName() else {
                if core.atEnd { throw unexpectedEnd() }
                throw core.error("expected label name", at: core.position)
            }
            let labelEnd = core.position
            if exemplar {
                let offsets = core.exemplarOffsets
                var index = 0
                while index < offsets.count {
                    if core.bytesEqual(offsets[index], offsets[index + 1], labelStart, labelEnd) {
                        throw core.semanticError("duplicate label name \"\(core.string(labelStart, labelEnd))\"", at: labelStart)
                    }
                    index += 4
                }
            } else {
                try core.checkDuplicateLabel(labelStart, labelEnd)
            }
            guard !core.atEnd else { throw unexpectedEnd() }
            guard core.current == UInt8(ascii: "=") else {
                throw core.error("expected '=' after label name", at: core.position)
            }
            core.position += 1
            guard !core.atEnd else { throw unexpectedEnd() }
            guard core.current == UInt8(ascii: "\"") else {
                throw core.error("expected '\"' to start label value", at: core.position)
            }
            core.position += 1
            let valueStart = core.position
            try core.scanEscaped(terminator: UInt8(ascii: "\""), allowQuoteEscape: true, rejectRawQuote: false, what: "label value")
            if exemplar {
                core.exemplarOffsets.append(labelStart)
                core.exemplarOffsets.append(labelEnd)
                core.exemplarOffsets.append(valueStart)
                core.exemplarOffsets.append(core.position)
            } else {
                core.labelOffsets.append(labelStart)
                core.labelOffsets.append(labelEnd)
                core.labelOffsets.append(valueStart)
                core.labelOffsets.append(core.position)
            }
            core.position += 1
            guard !core.atEnd else { throw unexpectedEnd() }
            if core.current == UInt8(ascii: "}") {
                core.position += 1
                return
            }
            guard core.current == UInt8(ascii: ",") else {
                throw core.error("expected ',' or '}' after label value", at: core.position)
            }
            core.position += 1
        }
    }

    /// The metric name of the current entry, as raw bytes.
    public var metricName: UnsafeRawBufferPointer { core.slice(core.nameStart, core.nameEnd) }
    /// The type of the current `# TYPE` entry.
    public var metricType: MetricType { core.metricType }
    /// OpenMetrics has no free comments; always empty.
    public var comment: UnsafeRawBufferPointer { core.slice(0, 0) }
    /// The current series' name and labels exactly as written (the ``SeriesCache`` key).
    @inlinable public var series: UnsafeRawBufferPointer { core.slice(core.seriesStart, core.seriesEnd) }
    /// The current sample's value.
    @inlinable public var value: Double { core.value }
    /// The current sample's timestamp in milliseconds, if written.
    @inlinable public var timestamp: Timestamp? { core.hasTimestamp ? core.timestampValue : nil }
    /// Whether the current sample carries an exemplar.
    public var hasExemplar: Bool { core.hasExemplar }
    /// The current help or unit text as written, escapes included.
    public var metadataText: UnsafeRawBufferPointer { core.slice(core.textStart, core.textEnd) }
    /// The current help text, unescaped (allocates).
    public func helpText() -> String { core.unescaped(core.textStart, core.textEnd) }
    /// The current unit (allocates).
    public func unit() -> String { core.string(core.textStart, core.textEnd) }
    /// The current series' labels including `__name__` (allocates; call on cache miss).
    public func labels() -> Labels { core.materialiseLabels() }
    /// The current sample's exemplar (allocates).
    public func exemplar() -> Exemplar? { core.materialiseExemplar() }
}
