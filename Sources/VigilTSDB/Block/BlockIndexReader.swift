import VigilModel

/// Reads a block's mmapped `index`: symbols, series offsets and the label table are checked and
/// loaded at open; series entries and postings lists are decoded (and their checksums verified)
/// on demand.
final class BlockIndexReader: Sendable {
    let file: BlockMappedFile
    let symbols: [String]
    let seriesCount: Int
    /// File offset where series entries start.
    let seriesStart: Int
    let seriesLength: Int
    /// File offset of the first series offset, and the offsets' width (4 or 8).
    let offsetsStart: Int
    let offsetWidth: Int
    let postingsStart: Int
    let postingsLength: Int
    /// Label names, sorted bytewise.
    let labelNames: [String]
    /// For each name: its values (sorted bytewise) and each value's postings offset.
    let labelTable: [String: LabelValues]

    struct LabelValues: Sendable {
        var values: [String] = []
        var postingsOffsets: [Int] = []
    }

    init(path: String) throws(TSDBError) {
        let file = try BlockMappedFile(path: path)
        self.file = file
        let bytes = file.bytes
        var reader = BlockByteReader(bytes, file: path)
        guard bytes.count >= BlockIndex.headerSize + BlockIndex.tocSize else { throw reader.corruption("index too short (\(bytes.count) bytes)", at: 0) }
        guard try reader.u32() == BlockIndex.magic else { throw reader.corruption("bad index magic", at: 0) }
        guard try reader.u8() == BlockIndex.version else { throw reader.corruption("unsupported index version", at: 4) }

        let tocStart = bytes.count - BlockIndex.tocSize
        reader.offset = tocStart
        var toc: [Int] = []
        for _ in 0..<BlockIndex.sectionCount {
            let offset = try reader.u64()
            guard offset >= UInt64(BlockIndex.headerSize), offset < UInt64(tocStart) else { throw reader.corruption("TOC points outside the file", at: tocStart) }
            toc.append(Int(offset))
        }
        try reader.verifyChecksum(from: tocStart, what: "TOC")

        /// The section at `offset`: its content range, CRC verified when `verify`.
        func section(_ index: Int, verify: Bool) throws(TSDBError) -> Range<Int> {
            var cursor = BlockByteReader(bytes, offset: toc[index], file: path)
            let length = Int(try cursor.u32())
            let start = cursor.offset
            // Sections are back to back, so each length must end exactly where the next begins.
            let next = index + 1 < toc.count ? toc[index + 1] : tocStart
            guard length == next - start - 4 else { throw cursor.corruption("section \(index) length \(length) does not match the TOC", at: toc[index]) }
            cursor.offset = start + length
            if verify {
                try cursor.verifyChecksum(from: start, what: "section \(index)")
            } else {
                guard try cursor.u32() == 0 else { throw cursor.corruption("section \(index) checksum field is not zero", at: start + length) }
            }
            return start..<(start + length)
        }

        let symbolRange = try section(0, verify: true)
        reader.offset = symbolRange.lowerBound
        let symbolCount = try reader.length(limit: symbolRange.count)
        var symbols: [String] = []
        symbols.reserveCapacity(symbolCount)
        for _ in 0..<symbolCount { symbols.append(try reader.string()) }
        guard reader.offset <= symbolRange.upperBound else { throw reader.corruption("symbols run past their section") }
        self.symbols = symbols

        let seriesRange = try section(1, verify: false)
        seriesStart = seriesRange.lowerBound
        seriesLength = seriesRange.count

        let offsetsRange = try section(2, verify: true)
        reader.offset = offsetsRange.lowerBound
        let width = Int(try reader.u8())
        guard width == 4 || width == 8 else { throw reader.corruption("bad series offset width \(width)") }
        let count = try reader.length(limit: offsetsRange.count)
        guard reader.offset + count * width == offsetsRange.upperBound else { throw reader.corruption("series offset table size mismatch") }
        offsetWidth = width
        offsetsStart = reader.offset
        seriesCount = count

        let postingsRange = try section(3, verify: false)
        postingsStart = postingsRange.lowerBound
        postingsLength = postingsRange.count

        let tableRange = try section(4, verify: true)
        reader.offset = tableRange.lowerBound
        func symbol(_ reader: inout BlockByteReader) throws(TSDBError) -> String {
            let at = reader.offset
            let ref = try reader.uvarint()
            guard ref < UInt64(symbols.count) else { throw reader.corruption("symbol ref \(ref) out of range", at: at) }
            return symbols[Int(ref)]
        }
        let nameCount = try reader.length(limit: tableRange.count)
        var names: [String] = []
        var table: [String: LabelValues] = [:]
        table.reserveCapacity(nameCount)
        var offset = 0
        for _ in 0..<nameCount {
            let name = try symbol(&reader)
            let valueCount = try reader.length(limit: tableRange.count)
            var entry = LabelValues()
            entry.values.reserveCapacity(valueCount)
            entry.postingsOffsets.reserveCapacity(valueCount)
            for _ in 0..<valueCount {
                entry.values.append(try symbol(&reader))
                offset += try reader.length(limit: postingsRange.count)
                guard offset < postingsRange.count else { throw reader.corruption("postings offset out of range") }
                entry.postingsOffsets.append(offset)
            }
            names.append(name)
            table[name] = entry
        }
        guard reader.offset <= tableRange.upperBound else { throw reader.corruption("label table runs past its section") }
        labelNames = names
        labelTable = table
    }

    /// The labels and chunk metas of series `id`.
    func series(_ id: SeriesRef) throws(TSDBError) -> (labels: Labels, chunks: [BlockChunkMeta]) {
        guard id < UInt64(seriesCount) else { throw TSDBError(.corruption, "\(file.path): series \(id) out of range") }
        var reader = BlockByteReader(file.bytes, offset: offsetsStart + Int(id) * offsetWidth, file: file.path)
        let relative = offsetWidth == 4 ? Int(try reader.u32()) : Int(try reader.u64())
        guard relative < seriesLength else { throw reader.corruption("series \(id) offset out of range") }
        reader.offset = seriesStart + relative
        let length = try reader.length(limit: seriesStart + seriesLength - reader.offset)
        let bodyStart = reader.offset
        reader.offset += length
        try reader.verifyChecksum(from: bodyStart, what: "series \(id)")
        reader.offset = bodyStart
        let labelCount = try reader.length(limit: length)
        var labels: [Label] = []
        labels.reserveCapacity(labelCount)
        for _ in 0..<labelCount {
            let nameRef = try reader.uvarint()
            let valueRef = try reader.uvarint()
            guard nameRef < UInt64(symbols.count), valueRef < UInt64(symbols.count) else { throw reader.corruption("symbol ref out of range in series \(id)") }
            labels.append(Label(name: symbols[Int(nameRef)], value: symbols[Int(valueRef)]))
        }
        let chunkCount = try reader.length(limit: length)
        var chunks: [BlockChunkMeta] = []
        chunks.reserveCapacity(chunkCount)
        for index in 0..<chunkCount {
            if index == 0 {
                let minTime = try reader.varint()
                let span = try reader.uvarint()
                let ref = try reader.uvarint()
                chunks.append(BlockChunkMeta(minTime: minTime, maxTime: minTime &+ Int64(bitPattern: span), ref: ref))
            } else {
                let previous = chunks[index - 1]
                let minTime = previous.maxTime &+ (try reader.varint())
                let span = try reader.uvarint()
                let ref = previous.ref &+ UInt64(bitPattern: try reader.varint())
                chunks.append(BlockChunkMeta(minTime: minTime, maxTime: minTime &+ Int64(bitPattern: span), ref: ref))
            }
        }
        guard reader.offset <= bodyStart + length else { throw reader.corruption("series \(id) entry overruns its length") }
        return (Labels(labels), chunks)
    }

    /// The postings list at `offset` (relative to the postings section).
    func postings(at offset: Int) throws(TSDBError) -> [SeriesRef] {
        var reader = BlockByteReader(file.bytes, offset: postingsStart + offset, file: file.path)
        let length = try reader.length(limit: postingsStart + postingsLength - reader.offset)
        let bodyStart = reader.offset
        reader.offset += length
        try reader.verifyChecksum(from: bodyStart, what: "postings list")
        reader.offset = bodyStart
        let count = try reader.length(limit: length)
        var result: [SeriesRef] = []
        result.reserveCapacity(count)
        var ref: SeriesRef = 0
        for _ in 0..<count {
            ref &+= try reader.uvarint()
            guard ref < UInt64(seriesCount) else { throw reader.corruption("postings ref \(ref) out of range") }
            result.append(ref)
        }
        return result
    }

    /// The postings of `name="value"`, empty when absent.
    func postings(name: String, value: String) throws(TSDBError) -> [SeriesRef] {
        guard let entry = labelTable[name], let position = BlockIndexReader.find(value, in: entry.values) else { return [] }
        return try postings(at: entry.postingsOffsets[position])
    }

    static func find(_ value: String, in values: [String]) -> Int? {
        var low = 0
        var high = values.count
        while low < high {
            let mid = (low + high) / 2
            if values[mid] == value { return mid }
            if ByteOrder.less(values[mid], value) { low = mid + 1 } else { high = mid }
        }
        return nil
    }

    /// Resolves matchers to sorted series ids exactly as the head does (``MemPostings/resolve``),
    /// but reads only the postings lists of values a matcher touches.
    func postings(for matchers: [LabelMatcher]) throws(TSDBError) -> [SeriesRef] {
        guard !matchers.isEmpty else { return [] }
        var intersecting: [[SeriesRef]] = []
        var subtracting: [[SeriesRef]] = []
        var hasIntersecting = false
        let empty = LabelValues()
        for matcher in matchers {
            if matcher.type == .regexMatch && matcher.value == ".*" { continue }
            if matcher.type == .regexNoMatch && matcher.value == ".*" { return [] }
            let entry = labelTable[matcher.name] ?? empty
            var lists: [[SeriesRef]] = []
            if matcher.matchesEmpty {
                // Series carrying a value the matcher rejects.
                let negative = matcher.type == .notEqual || matcher.type == .regexNoMatch
                if negative, let rejected = matcher.inverse.setMatches {
                    for value in rejected {
                        if let position = BlockIndexReader.find(value, in: entry.values) { lists.append(try postings(at: entry.postingsOffsets[position])) }
                    }
                } else {
                    for (position, value) in entry.values.enumerated() where !matcher.matches(value) {
                        lists.append(try postings(at: entry.postingsOffsets[position]))
                    }
                }
                if !lists.isEmpty { subtracting.append(Postings.union(lists)) }
            } else {
                hasIntersecting = true
                if let set = matcher.setMatches {
                    for value in set {
                        if let position = BlockIndexReader.find(value, in: entry.values) { lists.append(try postings(at: entry.postingsOffsets[position])) }
                    }
                } else {
                    for (position, value) in entry.values.enumerated() where matcher.matches(value) {
                        lists.append(try postings(at: entry.postingsOffsets[position]))
                    }
                }
                if lists.isEmpty { return [] }
                intersecting.append(Postings.union(lists))
            }
        }
        var result: [SeriesRef]
        if hasIntersecting {
            intersecting.sort { $0.count < $1.count }
            result = intersecting[0]
            for list in intersecting.dropFirst() {
                if result.isEmpty { return [] }
                result = Postings.intersect(result, list)
            }
        } else {
            result = (0..<UInt64(seriesCount)).map { $0 }
        }
        for list in subtracting {
            if result.isEmpty { break }
            result = Postings.subtract(result, list)
        }
        return result
    }
}
