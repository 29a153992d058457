import VigilLogQL
import VigilModel

/// The plain form of a codec-2 block (docs/formats/log-chunks.md): each line split into a
/// *template* (the line with its variable tokens cut out) and its variables, the variables stored
/// column by column (the first variable of every line, then the second, …).
///
/// Application logs repeat a few templates with changing numbers, IDs and times in fixed places.
/// A plain LZ coder pays a match per fixed piece of every line; here a line's fixed text is one
/// small template index, and each column holds values of one kind (the status codes, then the
/// durations, then the trace IDs), which brotli's context modelling codes close to their entropy.
/// On the benchmark's JSON lines this halves the compressed size against brotli on the lines.
///
/// A *variable* is a token (``LogTokens``) holding an ASCII digit — as in CLP's log types — up to
/// ``maxVariables`` a line (the rest of a longer line stays in its template). Tokens never
/// contain a newline, so each value in a column ends with one.
enum TemplateColumns {
    static let maxVariables = 64

    /// A template's bytes keyed by a hash computed once (hashing an array feeds the hasher a
    /// byte at a time, which cost more than the rest of encoding).
    private struct TemplateKey: Hashable {
        let hash: UInt64
        let bytes: [UInt8]

        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
        static func == (a: TemplateKey, b: TemplateKey) -> Bool { a.hash == b.hash && a.bytes == b.bytes }
    }

    /// The plain form of `entries` in two parts: the head (everything before the columns' bytes)
    /// and the columns; head then columns is the codec-2 block. Timestamps are stored as deltas
    /// from `mint`. Appends the hash of every token of every line to `tokenHashes` (the chunk's
    /// filter), since it tokenizes them anyway.
    static func encode(_ entries: ArraySlice<LogEntry>, mint: Int64, tokenHashes: inout [UInt64]) -> (head: [UInt8], columns: [[UInt8]]) {
        var timestamps = ByteSink()
        var metadata = ByteSink()
        var lineTemplates = ByteSink()
        var templateList = ByteSink()
        var templates: [TemplateKey: Int] = [:]
        var columns: [[UInt8]] = []
        var template: [UInt8] = []
        var previous = mint
        for entry in entries {
            timestamps.varint(entry.timestamp &- previous)
            previous = entry.timestamp
            metadata.labels(entry.metadata)
            template.removeAll(keepingCapacity: true)
            var variables = 0
            entry.line.withUnsafeBytes { raw in
                var segmentStart = 0
                LogTokens.forEach(in: raw) { range, hasDigit in
                    tokenHashes.append(LogTokens.hash(raw, range))
                    guard hasDigit, variables < maxVariables else { return }
                    appendSegment(raw, segmentStart..<range.lowerBound, to: &template)
                    if columns.count == variables { columns.append([]) }
                    append(raw, range, to: &columns[variables])
                    columns[variables].append(0x0A)
                    variables += 1
                    segmentStart = range.upperBound
                }
                appendSegment(raw, segmentStart..<raw.count, to: &template)
            }
            let key = template.withUnsafeBytes { TemplateKey(hash: LogTokens.hash($0, 0..<$0.count), bytes: template) }
            let index: Int
            if let known = templates[key] {
                index = known
            } else {
                index = templates.count
                templates[key] = index
                templateList.uvarint(UInt64(variables + 1))
                templateList.bytes.append(contentsOf: template)
            }
            lineTemplates.uvarint(UInt64(index))
        }
        var out = timestamps
        out.bytes.append(contentsOf: metadata.bytes)
        out.uvarint(UInt64(templates.count))
        out.bytes.append(contentsOf: templateList.bytes)
        out.bytes.append(contentsOf: lineTemplates.bytes)
        out.uvarint(UInt64(columns.count))
        for column in columns { out.uvarint(UInt64(column.count)) }
        return (out.bytes, columns)
    }

    /// Whether every value of `column` is ASCII digits only.
    static func isDigitsOnly(_ column: [UInt8]) -> Bool {
        column.withUnsafeBytes { raw in
            for byte in raw where !LogTokens.isDigit(byte) && byte != 0x0A { return false }
            return true
        }
    }

    /// Appends `bytes[range]` through a typed buffer (a contiguous copy, not a byte-by-byte one).
    @inline(__always)
    private static func append(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, to out: inout [UInt8]) {
        guard !range.isEmpty, let base = bytes.baseAddress else { return }
        out.append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self) + range.lowerBound, count: range.count))
    }

    @inline(__always)
    private static func appendSegment(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, to template: inout [UInt8]) {
        var length = UInt64(range.count)
        while length >= 0x80 {
            template.append(UInt8(truncatingIfNeeded: length) | 0x80)
            length >>= 7
        }
        template.append(UInt8(length))
        append(bytes, range, to: &template)
    }

    /// The head of a plain form (see ``encode(_:mint:tokenHashes:)``), read: what the lines are
    /// made of, with the templates' segments as ranges of the buffer read.
    struct Head {
        var timestamps: [Int64] = []
        /// One per entry, or empty when no entry has metadata.
        var metadata: [Labels] = []
        /// Template t's segments are `segments[firstSegment[t]..<firstSegment[t + 1]]`.
        var segments: [Range<Int>] = []
        var firstSegment: [Int] = [0]
        var lineTemplates: [Int] = []
        var columnLengths: [Int] = []
        /// Where the head ends (the columns' bytes start).
        var end = 0

        var templateCount: Int { firstSegment.count - 1 }
    }

    /// Reads the head of the plain form `plain` of a block of `entries` entries starting at `mint`.
    /// `columnBytes` is how many column bytes follow the head in `plain` (all the rest, when nil).
    /// Errors name `context` and the offset in `plain`.
    static func head(
        _ plain: UnsafeRawBufferPointer, entries: Int, mint: Int64, columnBytes: Int? = nil, context: String
    ) throws(LogStoreError) -> Head {
        var source = ByteSource(plain, context: context)
        // Each entry takes a byte at least, so a larger count is corrupt (and reserving it could exhaust memory).
        guard entries <= plain.count else { throw .io("\(context): corrupt block: \(entries) entries in \(plain.count) bytes") }
        var head = Head()
        head.timestamps.reserveCapacity(entries)
        var timestamp = mint
        for _ in 0..<entries {
            timestamp &+= try source.varint("timestamp")
            head.timestamps.append(timestamp)
        }
        // Most blocks carry no metadata: a count of 0 is one zero byte, and `metadata` stays
        // empty until a line has some.
        for entry in 0..<entries {
            if source.offset < plain.count && plain[source.offset] == 0 {
                source.offset += 1
                if !head.metadata.isEmpty { head.metadata.append(.empty) }
                continue
            }
            let labels = try source.labels(count: "metadata count", name: "metadata name", value: "metadata value")
            if head.metadata.isEmpty {
                head.metadata.reserveCapacity(entries)
                head.metadata.append(contentsOf: repeatElement(Labels.empty, count: entry))
            }
            head.metadata.append(labels)
        }
        let templateCount = try source.count("template count", limit: plain.count)
        head.firstSegment.reserveCapacity(templateCount + 1)
        for _ in 0..<templateCount {
            let count = try source.count("template segment count", limit: maxVariables + 1)
            guard count >= 1 else { throw source.corrupt("template segment count") }
            for _ in 0..<count {
                let length = try source.count("template segment", limit: plain.count - source.offset)
                head.segments.append(source.offset..<source.offset + length)
                source.offset += length
            }
            head.firstSegment.append(head.segments.count)
        }
        head.lineTemplates.reserveCapacity(entries)
        for _ in 0..<entries {
            guard templateCount > 0 else { throw source.corrupt("line template") }
            head.lineTemplates.append(try source.count("line template", limit: templateCount - 1))
        }
        let columnCount = try source.count("column count", limit: maxVariables)
        var total = 0
        for _ in 0..<columnCount {
            let length = try source.count("column length", limit: columnBytes ?? plain.count)
            head.columnLengths.append(length)
            total += length
        }
        head.end = source.offset
        let present = columnBytes ?? (plain.count - source.offset)
        guard total == present else {
            throw .io("\(context): corrupt columns: \(total) bytes declared at byte \(source.offset), \(present) present")
        }
        for template in 0..<templateCount where head.firstSegment[template + 1] - head.firstSegment[template] - 1 > columnCount {
            throw .io("\(context): corrupt template \(template): more variables than the \(columnCount) columns")
        }
        return head
    }

    /// Appends the `entries` entries of the plain form `plain` whose time is in [`start`, `end`)
    /// to `out`. Errors name `context` and the offset in `plain`.
    static func decode(
        _ plain: UnsafeRawBufferPointer, entries: Int, mint: Int64, start: Int64, end: Int64, context: String,
        into out: inout [LogEntry]
    ) throws(LogStoreError) {
        let head = try Self.head(plain, entries: entries, mint: mint, context: context)
        let timestamps = head.timestamps
        let metadata = head.metadata.isEmpty ? [Labels](repeating: .empty, count: entries) : head.metadata
        let segments = head.segments
        let firstSegment = head.firstSegment
        let lineTemplates = head.lineTemplates
        let columnCount = head.columnLengths.count
        var cursors: [Int] = []
        var ends: [Int] = []
        var position = head.end
        for length in head.columnLengths {
            cursors.append(position)
            position += length
            ends.append(position)
        }

        // The line's values (ranges of `plain`), found before the line is built so it is
        // allocated once at its exact length and filled by copies.
        var values = [Range<Int>](repeating: 0..<0, count: columnCount)
        guard let base = plain.baseAddress else { return }
        for entry in 0..<entries {
            let template = lineTemplates[entry]
            let first = firstSegment[template]
            let variables = firstSegment[template + 1] - first - 1
            guard variables <= columnCount else {
                throw .io("\(context): corrupt line template \(template) of entry \(entry): \(variables) variables, \(columnCount) columns")
            }
            // Each variable's value: from its column's cursor to the next newline.
            var length = segments[first].count
            for variable in 0..<variables {
                var cursor = cursors[variable]
                let columnEnd = ends[variable]
                while cursor < columnEnd && plain[cursor] != 0x0A { cursor += 1 }
                guard cursor < columnEnd else {
                    throw .io("\(context): corrupt column \(variable): value at byte \(cursors[variable]) has no end")
                }
                values[variable] = cursors[variable]..<cursor
                cursors[variable] = cursor + 1
                length += cursor - values[variable].lowerBound + segments[first + variable + 1].count
            }
            guard timestamps[entry] >= start && timestamps[entry] < end else { continue }
            guard length > 0 else {
                out.append(LogEntry(timestamp: timestamps[entry], line: [], metadata: metadata[entry]))
                continue
            }
            let line = [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
                var written = 0
                func copy(_ range: Range<Int>) {
                    (buffer.baseAddress! + written).initialize(
                        from: (base + range.lowerBound).assumingMemoryBound(to: UInt8.self), count: range.count)
                    written += range.count
                }
                copy(segments[first])
                for variable in 0..<variables {
                    copy(values[variable])
                    copy(segments[first + variable + 1])
                }
                count = written
            }
            out.append(LogEntry(timestamp: timestamps[entry], line: line, metadata: metadata[entry]))
        }
        for column in 0..<columnCount where cursors[column] != ends[column] {
            throw .io("\(context): corrupt column \(column): values left over at byte \(cursors[column])")
        }
    }
}
