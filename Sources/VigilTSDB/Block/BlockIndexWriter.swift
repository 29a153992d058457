import VigilModel

/// One chunk as the index describes it: its time range and where its record is.
struct BlockChunkMeta: Sendable, Equatable {
    var minTime: Int64
    var maxTime: Int64
    var ref: UInt64
}

/// The index file's shared constants (layout in `docs/formats/index.md`).
enum BlockIndex {
    static let magic: UInt32 = 0x5649_4458  // "VIDX"
    static let version: UInt8 = 1
    static let headerSize = 8
    static let sectionCount = 5
    static let tocSize = sectionCount * 8 + 4
}

/// Writes a block's `index` file from series sorted by labels.
enum BlockIndexWriter {
    /// Writes the index for `series` (sorted by labels, unique; series id = position) to `path`
    /// and returns its size in bytes.
    static func write(path: String, series: [(labels: Labels, chunks: [BlockChunkMeta])]) throws(TSDBError) -> Int {
        // Symbols: every name and value, sorted bytewise; a symbol's ref is its position.
        var symbolSet = Set<String>()
        for entry in series {
            for label in entry.labels {
                symbolSet.insert(label.name)
                symbolSet.insert(label.value)
            }
        }
        let symbols = symbolSet.sorted { ByteOrder.less($0, $1) }
        var symbolRefs: [String: UInt64] = [:]
        symbolRefs.reserveCapacity(symbols.count)
        for (position, symbol) in symbols.enumerated() { symbolRefs[symbol] = UInt64(position) }

        let file = try BlockOutputFile(path: path)
        var toc: [UInt64] = []
        var header = BlockByteWriter()
        header.putU32(BlockIndex.magic)
        header.putU8(BlockIndex.version)
        header.bytes.append(contentsOf: [0, 0, 0])
        try file.append(header.bytes)

        /// `checksummed: false` for sections whose entries carry their own CRCs: the section's
        /// CRC field is then zero, so readers need not scan the whole section at open.
        func writeSection(_ content: BlockByteWriter, checksummed: Bool = true) throws(TSDBError) {
            toc.append(UInt64(file.offset))
            var framed = BlockByteWriter(reservingCapacity: 8)
            framed.putU32(UInt32(truncatingIfNeeded: content.bytes.count))
            try file.append(framed.bytes)
            try file.append(content.bytes)
            let crc = checksummed ? content.bytes.withUnsafeBytes { CRC32C.update(0, $0) } : 0
            var trailer = BlockByteWriter()
            trailer.putU32(crc)
            try file.append(trailer.bytes)
        }
        func checkSize(_ content: BlockByteWriter, _ what: String) throws(TSDBError) {
            guard content.bytes.count <= Int(UInt32.max) else { throw TSDBError(.limitExceeded, "\(path): \(what) section exceeds 4 GiB") }
        }

        var symbolSection = BlockByteWriter(reservingCapacity: symbols.count * 16)
        symbolSection.putUvarint(UInt64(symbols.count))
        for symbol in symbols { symbolSection.putString(symbol) }
        try checkSize(symbolSection, "symbol")
        try writeSection(symbolSection)

        // Series entries, and postings gathered on the way.
        var postings: [String: [String: [SeriesRef]]] = [:]
        var seriesSection = BlockByteWriter(reservingCapacity: series.count * 64)
        var seriesOffsets: [Int] = []
        seriesOffsets.reserveCapacity(series.count)
        var body = BlockByteWriter(reservingCapacity: 256)
        for (id, entry) in series.enumerated() {
            body.bytes.removeAll(keepingCapacity: true)
            body.putUvarint(UInt64(entry.labels.count))
            for label in entry.labels {
                body.putUvarint(symbolRefs[label.name]!)
                body.putUvarint(symbolRefs[label.value]!)
                postings[label.name, default: [:]][label.value, default: []].append(SeriesRef(id))
            }
            body.putUvarint(UInt64(entry.chunks.count))
            var previous: BlockChunkMeta?
            for chunk in entry.chunks {
                if let previous {
                    body.putVarint(chunk.minTime &- previous.maxTime)
                    body.putUvarint(UInt64(bitPattern: chunk.maxTime &- chunk.minTime))
                    body.putVarint(Int64(bitPattern: chunk.ref &- previous.ref))
                } else {
                    body.putVarint(chunk.minTime)
                    body.putUvarint(UInt64(bitPattern: chunk.maxTime &- chunk.minTime))
                    body.putUvarint(chunk.ref)
                }
                previous = chunk
            }
            seriesOffsets.append(seriesSection.bytes.count)
            seriesSection.putUvarint(UInt64(body.bytes.count))
            seriesSection.bytes.append(contentsOf: body.bytes)
            seriesSection.putU32(body.bytes.withUnsafeBytes { CRC32C.update(0, $0) })
        }
        try checkSize(seriesSection, "series")
        try writeSection(seriesSection, checksummed: false)

        var offsetSection = BlockByteWriter(reservingCapacity: 5 + series.count * 4)
        let wide = seriesSection.bytes.count > Int(UInt32.max)
        offsetSection.putU8(wide ? 8 : 4)
        offsetSection.putUvarint(UInt64(series.count))
        for offset in seriesOffsets {
            if wide { offsetSection.putU64(UInt64(offset)) } else { offsetSection.putU32(UInt32(offset)) }
        }
        try writeSection(offsetSection)

        // Postings lists in (name, value) order, then the label table pointing at them.
        let names = postings.keys.sorted { ByteOrder.less($0, $1) }
        var postingsSection = BlockByteWriter(reservingCapacity: series.count * 16)
        var labelTable = BlockByteWriter(reservingCapacity: symbols.count * 6)
        labelTable.putUvarint(UInt64(names.count))
        var lastPostingsOffset = 0
        for name in names {
            let values = postings[name]!
            let sortedValues = values.keys.sorted { ByteOrder.less($0, $1) }
            labelTable.putUvarint(symbolRefs[name]!)
            labelTable.putUvarint(UInt64(sortedValues.count))
            for value in sortedValues {
                let list = values[value]!
                let offset = postingsSection.bytes.count
                body.bytes.removeAll(keepingCapacity: true)
                body.putUvarint(UInt64(list.count))
                var previousRef: SeriesRef = 0
                for ref in list {
                    body.putUvarint(ref - previousRef)
                    previousRef = ref
                }
                postingsSection.putUvarint(UInt64(body.bytes.count))
                postingsSection.bytes.append(contentsOf: body.bytes)
                postingsSection.putU32(body.bytes.withUnsafeBytes { CRC32C.update(0, $0) })
                labelTable.putUvarint(symbolRefs[value]!)
                labelTable.putUvarint(UInt64(offset - lastPostingsOffset))
                lastPostingsOffset = offset
            }
        }
        try checkSize(postingsSection, "postings")
        try writeSection(postingsSection, checksummed: false)
        try checkSize(labelTable, "label table")
        try writeSection(labelTable)

        var tocBytes = BlockByteWriter()
        for offset in toc { tocBytes.putU64(offset) }
        tocBytes.putChecksum(from: 0)
        try file.append(tocBytes.bytes)
        let size = file.offset
        try file.finish()
        return size
    }
}
