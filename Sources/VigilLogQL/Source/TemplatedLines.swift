import Synchronization
public import VigilModel

/// One stored block of a stream's lines in the form the log store keeps them: each line a
/// *template* (its fixed text, in segments) with *variables* between the segments, the variables
/// kept column by column (variable `j` of every line in column `j`).
///
/// A source hands these over instead of lines when the selection asks for them
/// (``LogSelection/templatedBlocks``), so a query that needs one field of each line reads that
/// field's column and never rebuilds the lines. Nothing is decoded until asked: ``head()``
/// decodes the block's head (checking it), ``column(_:)`` one column, ``line(_:)`` rebuilds a
/// whole line. So a reader may decode many blocks at once, each on its own thread.
public final class TemplatedLines: Sendable, Hashable {
    /// Everything of a block but its columns.
    public struct Head: Sendable {
        /// Timestamps of every line of the block, ascending.
        public let timestamps: [Int64]
        /// Structured metadata per line, or empty when no line of the block has any.
        let metadata: [Labels]
        /// The lines inside the selection's window (the others are still indexed, as columns
        /// hold the values of every line).
        public let lines: Range<Int>
        /// The template index of each line.
        public let lineTemplates: [Int]
        /// The templates' text: template t's segments are `templateBytes[segments[s]]` for s in
        /// `firstSegment[t]..<firstSegment[t + 1]`; a line is `segment₀ value₀ segment₁ … segmentₙ`.
        public let templateBytes: [UInt8]
        public let segments: [Range<Int>]
        public let firstSegment: [Int]
        /// Per column: its length in bytes (newlines included), and whether every value is ASCII
        /// digits only (a JSON number as it stands).
        public let columnLengths: [Int]
        public let digitsOnly: [Bool]
        /// Line bytes of every line of the block, what a query reports as processed.
        public let lineBytes: Int
        /// Number of variables of each template.
        let variableCounts: [Int]

        /// A head; `metadata` is one `Labels` per line, or empty when none has any.
        public init(
            timestamps: [Int64], metadata: [Labels], lines: Range<Int>, lineTemplates: [Int], templateBytes: [UInt8],
            segments: [Range<Int>], firstSegment: [Int], columnLengths: [Int], digitsOnly: [Bool]
        ) {
            self.timestamps = timestamps
            self.metadata = metadata
            self.lines = lines
            self.lineTemplates = lineTemplates
            self.templateBytes = templateBytes
            self.segments = segments
            self.firstSegment = firstSegment
            self.columnLengths = columnLengths
            self.digitsOnly = digitsOnly
            var bytes = columnLengths.reduce(0, +)
            var segmentBytes = [Int](repeating: 0, count: max(0, firstSegment.count - 1))
            for template in segmentBytes.indices {
                for segment in firstSegment[template]..<firstSegment[template + 1] { segmentBytes[template] += segments[segment].count }
            }
            // Each value's newline is not a line byte.
            for template in lineTemplates { bytes += segmentBytes[template] - (firstSegment[template + 1] - firstSegment[template] - 1) }
            lineBytes = bytes
            variableCounts = (0..<max(0, firstSegment.count - 1)).map { firstSegment[$0 + 1] - firstSegment[$0] - 1 }
        }

        public var templateCount: Int { firstSegment.count - 1 }
        public var columnCount: Int { columnLengths.count }
        /// Whether some line carries structured metadata.
        public var hasMetadata: Bool { !metadata.isEmpty }

        /// Line `line`'s structured metadata.
        @inline(__always)
        public func metadata(_ line: Int) -> Labels { metadata.isEmpty ? .empty : metadata[line] }

        /// Number of variables of `template`.
        @inline(__always)
        public func variables(_ template: Int) -> Int { variableCounts[template] }

        /// The segments of `template`, as arrays.
        public func segmentBytes(_ template: Int) -> [[UInt8]] {
            (firstSegment[template]..<firstSegment[template + 1]).map { Array(templateBytes[segments[$0]]) }
        }

        /// The bytes `template` spans in `templateBytes` (its segments and what separates them).
        public func span(_ template: Int) -> Range<Int> {
            segments[firstSegment[template]].lowerBound..<segments[firstSegment[template + 1] - 1].upperBound
        }
    }

    /// One column's bytes and where each line's value lies in them.
    public struct Column: Sendable {
        /// The values, each followed by a newline byte (which no value contains).
        public let bytes: [UInt8]
        /// Per line of the block: the start and end of its value in `bytes`, or -1 when the line
        /// has fewer variables than the column's index.
        public let starts: [Int32]
        public let ends: [Int32]

        /// The byte range of `line`'s value, nil when it has none.
        @inline(__always)
        public func value(_ line: Int) -> Range<Int>? {
            let start = starts[line]
            return start < 0 ? nil : Int(start)..<Int(ends[line])
        }
    }

    /// Why a block cannot be read: its column does not hold one value per line that uses it.
    public struct CorruptColumn: Error, CustomStringConvertible {
        public let description: String
    }

    /// What decoding the head gives: the head, and how to fetch column `j`'s bytes.
    public final class Decoded: Sendable {
        let head: Head
        let loadColumn: @Sendable (Int) throws -> [UInt8]

        /// The decoded `head`; `loadColumn(j)` returns column `j`'s bytes.
        public init(head: Head, loadColumn: @escaping @Sendable (Int) throws -> [UInt8]) {
            self.head = head
            self.loadColumn = loadColumn
        }
    }

    private struct State {
        var decoded: Decoded?
        var columns: [Column?] = []
    }

    private let decode: @Sendable () throws -> Decoded
    private let state = Mutex(State())

    /// A block whose head and column loader `decode` gives, called once, on first use.
    public init(decode: @escaping @Sendable () throws -> Decoded) {
        self.decode = decode
    }

    private func decoded() throws -> Decoded {
        if let decoded = state.withLock({ $0.decoded }) { return decoded }
        let decoded = try decode()
        return state.withLock { state in
            if let earlier = state.decoded { return earlier }
            state.decoded = decoded
            state.columns = [Column?](repeating: nil, count: decoded.head.columnCount)
            return decoded
        }
    }

    /// The block's head, decoded on first use.
    public func head() throws -> Head { try decoded().head }

    /// Column `index` (< the head's `columnCount`), loaded and indexed on first use.
    public func column(_ index: Int) throws -> Column {
        let decoded = try decoded()
        if let column = state.withLock({ $0.columns[index] }) { return column }
        let bytes = try decoded.loadColumn(index)
        let lineCount = decoded.head.lineTemplates.count
        var starts = [Int32](repeating: -1, count: lineCount)
        var ends = [Int32](repeating: -1, count: lineCount)
        try Self.forEachValue(of: index, in: bytes, head: decoded.head) { line, start, end in
            starts[line] = start
            ends[line] = end
        }
        let column = Column(bytes: bytes, starts: starts, ends: ends)
        state.withLock { $0.columns[index] = column }
        return column
    }

    /// Column `index`'s bytes, not kept or indexed: for a reader that indexes them itself with
    /// ``forEachValue(of:in:head:_:)``.
    public func columnBytes(_ index: Int) throws -> [UInt8] {
        let decoded = try decoded()
        if let column = state.withLock({ $0.columns[index] }) { return column.bytes }
        return try decoded.loadColumn(index)
    }

    /// Calls `visit(line, start, end)` for each value of column `index` (its bytes `bytes`), in
    /// line order; an error when the column does not hold one value per line that uses it.
    @inline(__always)
    public static func forEachValue(
        of index: Int, in bytes: [UInt8], head: Head, _ visit: (Int, Int32, Int32) -> Void
    ) throws(CorruptColumn) {
        var cursor = 0
        let variableCounts = head.variableCounts
        let lineTemplates = head.lineTemplates
        try bytes.withUnsafeBufferPointer { buffer throws(CorruptColumn) in
            for line in 0..<lineTemplates.count where variableCounts[lineTemplates[line]] > index {
                let start = cursor
                while cursor < buffer.count && buffer[cursor] != 0x0A { cursor += 1 }
                guard cursor < buffer.count else {
                    throw CorruptColumn(description: "column \(index): the value of line \(line) at byte \(start) has no end")
                }
                visit(line, Int32(start), Int32(cursor))
                cursor += 1
            }
        }
        guard cursor == bytes.count else {
            throw CorruptColumn(description: "column \(index): values left over at byte \(cursor)")
        }
    }

    /// The lines inside the selection's window as entries, in order: the block read as plain
    /// lines, for a reader that has no use for its templates.
    public func entries() throws -> [LogEntry] {
        let head = try head()
        return try head.lines.map { LogEntry(timestamp: head.timestamps[$0], line: try line($0), metadata: head.metadata($0)) }
    }

    /// The whole of line `index`.
    public func line(_ index: Int) throws -> [UInt8] {
        let head = try head()
        let template = head.lineTemplates[index]
        let first = head.firstSegment[template]
        var line = Array(head.templateBytes[head.segments[first]])
        for variable in 0..<head.variables(template) {
            let column = try column(variable)
            if let range = column.value(index) { line.append(contentsOf: column.bytes[range]) }
            line.append(contentsOf: head.templateBytes[head.segments[first + variable + 1]])
        }
        return line
    }

    public static func == (lhs: TemplatedLines, rhs: TemplatedLines) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
