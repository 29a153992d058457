import Synchronization
public import VigilModel

/// One stored block of a stream's lines in the form the log store keeps them: each line a
/// *template* (its fixed text, in segments) with *variables* between the segments, the variables
/// kept column by column (variable `j` of every line in column `j`).
///
/// A source hands these over instead of lines when the selection asks for them
/// (``LogSelection/templatedBlocks``), so a query that needs one field of each line reads that
/// field's column and never rebuilds the lines. Columns are fetched on first use through the
/// source's loader (the store decompresses them then); ``line(_:)`` rebuilds a whole line.
public final class TemplatedLines: Sendable, Hashable {
    /// One column's bytes and where each line's value lies in them.
    public struct Column: Sendable {
        /// The values, each followed by a newline byte (which no value contains).
        public let bytes: [UInt8]
        /// Per line of the block: the start of its value in `bytes`, or -1 when the line has
        /// fewer variables than the column's index.
        let starts: [Int32]
        let ends: [Int32]

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

    /// Timestamps of every line of the block, ascending.
    public let timestamps: [Int64]
    /// Structured metadata per line (empty `Labels` for most).
    public let metadata: [Labels]
    /// The lines inside the selection's window (the others are still indexed, as columns hold
    /// the values of every line).
    public let lines: Range<Int>
    /// The template index of each line.
    public let lineTemplates: [Int]
    /// Each template's segments: a line is `segment₀ value₀ segment₁ … segmentₙ`.
    public let templates: [[[UInt8]]]
    /// Per column: whether every value is ASCII digits only (a JSON number as it stands).
    public let digitsOnly: [Bool]
    /// Line bytes of every line of the block, what a query reports as processed.
    public let lineBytes: Int

    private let loader: @Sendable (Int) throws -> [UInt8]
    private let loaded: Mutex<[Column?]>

    /// A block of `timestamps.count` lines; `loadColumn(j)` returns column `j`'s bytes.
    /// `columnLengths` are the columns' byte lengths (newlines included).
    public init(
        timestamps: [Int64], metadata: [Labels], lines: Range<Int>, lineTemplates: [Int], templates: [[[UInt8]]],
        columnLengths: [Int], digitsOnly: [Bool], loadColumn: @escaping @Sendable (Int) throws -> [UInt8]
    ) {
        self.timestamps = timestamps
        self.metadata = metadata
        self.lines = lines
        self.lineTemplates = lineTemplates
        self.templates = templates
        self.digitsOnly = digitsOnly
        loader = loadColumn
        loaded = Mutex([Column?](repeating: nil, count: columnLengths.count))
        let segmentBytes = templates.map { $0.reduce(0) { $0 + $1.count } }
        var bytes = columnLengths.reduce(0, +)
        var values = 0
        for template in lineTemplates {
            bytes += segmentBytes[template]
            values += templates[template].count - 1
        }
        lineBytes = bytes - values
    }

    /// Number of columns.
    public var columnCount: Int { digitsOnly.count }

    /// Column `index`, loaded and indexed on first use.
    public func column(_ index: Int) throws -> Column {
        if let column = loaded.withLock({ $0[index] }) { return column }
        let bytes = try loader(index)
        var starts = [Int32](repeating: -1, count: lineTemplates.count)
        var ends = [Int32](repeating: -1, count: lineTemplates.count)
        var cursor = 0
        try bytes.withUnsafeBufferPointer { buffer throws(CorruptColumn) in
            for line in lineTemplates.indices where templates[lineTemplates[line]].count - 1 > index {
                let start = cursor
                while cursor < buffer.count && buffer[cursor] != 0x0A { cursor += 1 }
                guard cursor < buffer.count else {
                    throw CorruptColumn(description: "column \(index): the value of line \(line) at byte \(start) has no end")
                }
                starts[line] = Int32(start)
                ends[line] = Int32(cursor)
                cursor += 1
            }
        }
        guard cursor == bytes.count else {
            throw CorruptColumn(description: "column \(index): values left over at byte \(cursor)")
        }
        let column = Column(bytes: bytes, starts: starts, ends: ends)
        loaded.withLock { $0[index] = column }
        return column
    }

    /// The whole of line `index`.
    public func line(_ index: Int) throws -> [UInt8] {
        let segments = templates[lineTemplates[index]]
        var line = segments[0]
        for variable in 1..<segments.count {
            let column = try column(variable - 1)
            if let range = column.value(index) { line.append(contentsOf: column.bytes[range]) }
            line.append(contentsOf: segments[variable])
        }
        return line
    }

    public static func == (lhs: TemplatedLines, rhs: TemplatedLines) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
