import VigilLogQL
import VigilModel
import VigilRemote

/// How a chunk's blocks are compressed: the file's codec byte (docs/formats/log-chunks.md).
enum ChunkCodec: UInt8, Sendable {
    /// Snappy over entries written one after the other: version-1 chunks. Read; written only to
    /// test reading them.
    case snappy = 1
    /// Brotli over the ``TemplateColumns`` form, one stream a block: version-2 chunks before
    /// codec 3. Read; written only to test reading them.
    case brotliColumns = 2
    /// Brotli over the ``TemplateColumns`` form, one stream for the head and one per column, so a
    /// query that needs a few fields decompresses only their columns: what sealing writes.
    case brotliSections = 3

    /// Brotli's quality and window for sealed blocks. Sealing runs on the ingest path: quality 2
    /// reached 1/9.8 on the benchmark's lines at ingest ≥ the snappy store's; 3 and 4 gained 1–3%
    /// of size for 8–10% of ingest, and 5 cost a third of it (docs/PERFORMANCE.md).
    static let brotliQuality: Int32 = 2
    static let brotliWindowBits: Int32 = 22
    /// Largest decoded block accepted when reading: a block holds whole lines, and a line can be as
    /// long as a push (`max_push_size`, 100 MiB by default), so this only bounds what a corrupt
    /// length can make a reader allocate.
    static let maxDecodedBlock = 256 << 20

    /// Uncompressed bytes per block (line and metadata bytes): a query decodes whole blocks, and
    /// brotli finds more repeats in a bigger one.
    var blockSize: Int {
        switch self {
        case .snappy: 256 << 10
        case .brotliColumns, .brotliSections: 1 << 20
        }
    }

    /// The compressed bytes of `entries` (sorted by time, the first at `mint`). The column codec
    /// also appends the hashes of the lines' tokens to `tokenHashes`; snappy leaves it alone.
    func encode(_ entries: ArraySlice<LogEntry>, mint: Int64, tokenHashes: inout [UInt64]) -> [UInt8] {
        switch self {
        case .snappy:
            var raw = ByteSink()
            var previous = mint
            for entry in entries {
                raw.varint(entry.timestamp &- previous)
                previous = entry.timestamp
                raw.bytes(entry.line)
                raw.labels(entry.metadata)
            }
            return Snappy.compress(raw.bytes)
        case .brotliColumns:
            let (head, columns) = TemplateColumns.encode(entries, mint: mint, tokenHashes: &tokenHashes)
            let plain = head + columns.joined()
            var out = ByteSink()
            out.uvarint(UInt64(plain.count))
            out.bytes.append(contentsOf: Brotli.compress(plain, quality: Self.brotliQuality, windowBits: Self.brotliWindowBits))
            return out.bytes
        case .brotliSections:
            let (head, columns) = TemplateColumns.encode(entries, mint: mint, tokenHashes: &tokenHashes)
            let compressedHead = Brotli.compress(head, quality: Self.brotliQuality, windowBits: Self.brotliWindowBits)
            let compressedColumns = columns.map { Brotli.compress($0, quality: Self.brotliQuality, windowBits: Self.brotliWindowBits) }
            var out = ByteSink()
            out.uvarint(UInt64(head.count))
            out.uvarint(UInt64(compressedHead.count))
            out.uvarint(UInt64(columns.count))
            for (column, compressed) in zip(columns, compressedColumns) {
                out.uvarint(UInt64(column.count))
                out.uvarint(UInt64(compressed.count))
                out.bytes.append(TemplateColumns.isDigitsOnly(column) ? 1 : 0)
            }
            out.bytes.append(contentsOf: compressedHead)
            for compressed in compressedColumns { out.bytes.append(contentsOf: compressed) }
            return out.bytes
        }
    }

    /// The decoded block of a codec-2 block: its length, then one brotli stream.
    static func singleStream(_ compressed: UnsafeRawBufferPointer, context: String) throws(LogStoreError) -> [UInt8] {
        var source = ByteSource(compressed, context: context)
        let length = try source.count("decoded length", limit: maxDecodedBlock)
        do {
            return try Brotli.decompress(UnsafeRawBufferPointer(rebasing: compressed[source.offset...]), length: length)
        } catch {
            throw .io("\(context): \(error)")
        }
    }

    /// The section layout of a codec-3 block: where each stream lies in the block and how long it
    /// decodes.
    struct Sections {
        struct Stream {
            var range: Range<Int>
            var decodedLength: Int
        }

        var head: Stream
        var columns: [Stream] = []
        var digitsOnly: [Bool] = []

        var decodedLength: Int { columns.reduce(head.decodedLength) { $0 + $1.decodedLength } }

        init(_ compressed: UnsafeRawBufferPointer, context: String) throws(LogStoreError) {
            var source = ByteSource(compressed, context: context)
            let headLength = try source.count("head length", limit: ChunkCodec.maxDecodedBlock)
            let headStream = try source.count("head stream length", limit: compressed.count)
            let columnCount = try source.count("column count", limit: TemplateColumns.maxVariables)
            var descriptors: [(decoded: Int, stream: Int)] = []
            var total = headLength
            for _ in 0..<columnCount {
                let decoded = try source.count("column length", limit: ChunkCodec.maxDecodedBlock)
                let stream = try source.count("column stream length", limit: compressed.count)
                guard source.offset < compressed.count else { throw source.corrupt("column flags") }
                digitsOnly.append(compressed[source.offset] & 1 != 0)
                source.offset += 1
                descriptors.append((decoded, stream))
                total += decoded
                guard total <= ChunkCodec.maxDecodedBlock else { throw source.corrupt("column length") }
            }
            var position = source.offset
            func stream(_ length: Int, decoded: Int) throws(LogStoreError) -> Stream {
                guard length <= compressed.count - position else {
                    throw .io("\(context): corrupt block: a stream of \(length) bytes at byte \(position) runs past its end")
                }
                defer { position += length }
                return Stream(range: position..<position + length, decodedLength: decoded)
            }
            head = try stream(headStream, decoded: headLength)
            for descriptor in descriptors { columns.append(try stream(descriptor.stream, decoded: descriptor.decoded)) }
            guard position == compressed.count else {
                throw .io("\(context): corrupt block: \(compressed.count - position) bytes after its last stream")
            }
        }

        /// Decompresses `stream` of `compressed` into `output` (exactly its decoded length).
        static func inflate(
            _ compressed: UnsafeRawBufferPointer, _ stream: Stream, into output: UnsafeMutableRawBufferPointer, context: String
        ) throws(LogStoreError) {
            do {
                try Brotli.decompress(UnsafeRawBufferPointer(rebasing: compressed[stream.range]), into: output)
            } catch {
                throw .io("\(context): stream at byte \(stream.range.lowerBound): \(error)")
            }
        }

        static func inflate(_ compressed: UnsafeRawBufferPointer, _ stream: Stream, context: String) throws(LogStoreError) -> [UInt8] {
            var failure: LogStoreError?
            let bytes = [UInt8](unsafeUninitializedCapacity: stream.decodedLength) { buffer, count in
                do throws(LogStoreError) {
                    try inflate(compressed, stream, into: UnsafeMutableRawBufferPointer(buffer), context: context)
                    count = stream.decodedLength
                } catch {
                    failure = error
                    count = 0
                }
            }
            if let failure { throw failure }
            return bytes
        }
    }

    /// Appends the entries of the compressed block `compressed` (described by `block`) whose time is
    /// in [`start`, `end`) to `out`. Errors name `context` (the file and the block's offset).
    func decode(
        _ compressed: UnsafeRawBufferPointer, block: BlockMeta, start: Int64, end: Int64, context: String,
        into out: inout [LogEntry]
    ) throws(LogStoreError) {
        switch self {
        case .snappy:
            let raw: [UInt8]
            do {
                raw = try Snappy.decompress(compressed, maxDecodedLength: Self.maxDecodedBlock)
            } catch {
                throw .io("\(context): \(error)")
            }
            try withBytes(raw) { bytes throws(LogStoreError) in
                var source = ByteSource(bytes, context: context + " (decoded)")
                var timestamp = block.mint
                for _ in 0..<block.entries {
                    timestamp &+= try source.varint("timestamp")
                    let line = try source.slice("line")
                    let metadata = try source.labels(count: "metadata count", name: "metadata name", value: "metadata value")
                    if timestamp >= start && timestamp < end {
                        out.append(LogEntry(timestamp: timestamp, line: Array(line), metadata: metadata))
                    }
                }
            }
        case .brotliColumns:
            let plain = try Self.singleStream(compressed, context: context)
            try withBytes(plain) { bytes throws(LogStoreError) in
                try TemplateColumns.decode(
                    bytes, entries: block.entries, mint: block.mint, start: start, end: end, context: context + " (decoded)", into: &out)
            }
        case .brotliSections:
            // The streams decode one after the other into one buffer: the codec-2 plain form.
            let sections = try Sections(compressed, context: context)
            var failure: LogStoreError?
            let plain = [UInt8](unsafeUninitializedCapacity: sections.decodedLength) { buffer, count in
                count = 0
                do throws(LogStoreError) {
                    var position = 0
                    for stream in [sections.head] + sections.columns {
                        let target = UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[position..<position + stream.decodedLength])
                        try Sections.inflate(compressed, stream, into: target, context: context)
                        position += stream.decodedLength
                    }
                    count = position
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            try withBytes(plain) { bytes throws(LogStoreError) in
                try TemplateColumns.decode(
                    bytes, entries: block.entries, mint: block.mint, start: start, end: end, context: context + " (decoded)", into: &out)
            }
        }
    }

    /// The block at `range` of `data` (its compressed bytes) as the head and column loader of a
    /// ``TemplatedLines``, its lines in [`start`, `end`) marked; columns stay compressed until
    /// asked for (codec 3). Nil for snappy blocks, which hold lines.
    func templated(
        _ data: [UInt8], range: Range<Int>, block: BlockMeta, start: Int64, end: Int64, context: String
    ) throws(LogStoreError) -> TemplatedLines.Decoded? {
        let headBytes: [UInt8]
        let columnBytes: Int
        let digitsOnly: [Bool]?
        var streamLengths: [Int]?
        // Codec 3 decompresses a column's stream; codec 2's columns follow the head in its buffer.
        var load: (@Sendable (Int) throws -> [UInt8])?
        switch self {
        case .snappy:
            return nil
        case .brotliColumns:
            let plain = try withBytes(data) { raw throws(LogStoreError) in
                try Self.singleStream(UnsafeRawBufferPointer(rebasing: raw[range]), context: context)
            }
            headBytes = plain
            columnBytes = -1
            digitsOnly = nil
        case .brotliSections:
            let sections = try withBytes(data) { raw throws(LogStoreError) in try Sections(UnsafeRawBufferPointer(rebasing: raw[range]), context: context) }
            headBytes = try withBytes(data) { raw throws(LogStoreError) in
                try Sections.inflate(UnsafeRawBufferPointer(rebasing: raw[range]), sections.head, context: context)
            }
            columnBytes = sections.columns.reduce(0) { $0 + $1.decodedLength }
            digitsOnly = sections.digitsOnly
            streamLengths = sections.columns.map(\.decodedLength)
            load = { column in
                try data.withUnsafeBytes { raw in
                    try Sections.inflate(UnsafeRawBufferPointer(rebasing: raw[range]), sections.columns[column], context: context)
                }
            }
        }
        let head = try withBytes(headBytes) { raw throws(LogStoreError) in
            try TemplateColumns.head(
                raw, entries: block.entries, mint: block.mint, columnBytes: columnBytes < 0 ? nil : columnBytes,
                context: context + " (decoded)")
        }
        if let streamLengths, streamLengths != head.columnLengths {
            throw .io("\(context): corrupt block: its streams' lengths differ from its columns'")
        }
        let first = head.timestamps.firstIndex { $0 >= start } ?? head.timestamps.count
        let last = head.timestamps.firstIndex { $0 >= end } ?? head.timestamps.count
        // Where each column starts after the head (codec 2 keeps them in the same buffer).
        var columnStarts: [Int] = []
        var position = head.end
        for length in head.columnLengths {
            columnStarts.append(position)
            position += length
        }
        let lengths = head.columnLengths
        let templated = TemplatedLines.Head(
            timestamps: head.timestamps, metadata: head.metadata, lines: first..<max(first, last), lineTemplates: head.lineTemplates,
            templateBytes: headBytes, segments: head.segments, firstSegment: head.firstSegment, columnLengths: lengths,
            digitsOnly: digitsOnly ?? [Bool](repeating: false, count: lengths.count))
        if let load { return TemplatedLines.Decoded(head: templated, loadColumn: load) }
        let starts = columnStarts
        return TemplatedLines.Decoded(head: templated, loadColumn: { column in Array(headBytes[starts[column]..<starts[column] + lengths[column]]) })
    }
}
