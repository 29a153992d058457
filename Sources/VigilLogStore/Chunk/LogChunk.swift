import VigilLogQL
import VigilModel

/// One block of a chunk: about ``ChunkCodec/blockSize`` bytes of entries, compressed on its own
/// so a query decodes only the blocks its time range touches.
struct BlockMeta: Sendable, Hashable {
    var entries: Int
    var mint: Int64
    var maxt: Int64
    /// Offset and length of the compressed block (its CRC32C follows it) in the chunk's data.
    var offset: Int
    var length: Int
}

/// A sealed chunk of one stream: immutable entries sorted by time, in compressed blocks, with the
/// skip filter and the time range a query uses to skip it.
///
/// Until the next checkpoint its data lives in memory (the WAL still covers it); after, in
/// `chunks/<id>.chunk` under the store's directory (docs/formats/log-chunks.md).
struct LogChunk: Sendable {
    static let magic: [UInt8] = Array("VLC1".utf8)

    var id: UInt64
    var mint: Int64
    var maxt: Int64
    var entries: Int
    /// Line bytes (what Loki's stats count).
    var rawBytes: Int
    var codec: ChunkCodec
    var blocks: [BlockMeta]
    var filter: ChunkFilter
    /// The compressed blocks, while not yet written out.
    var data: [UInt8]?
    /// Its file once written, and where the data section starts in it (so errors give file offsets).
    var path: String?
    var dataOffset = 0
    /// Bytes of the file (or of `data` plus the header it will get).
    var storedBytes: Int

    /// Seals `entries` (sorted here, stably, so equal timestamps keep arrival order). The
    /// defaults are what the store writes; the others exist to test reading older chunks.
    init(id: UInt64, entries unsorted: [LogEntry], codec: ChunkCodec = .brotliSections, filter kind: ChunkFilter.Kind = .tokens) {
        let sorted = unsorted.sorted { $0.timestamp < $1.timestamp }
        self.id = id
        self.codec = codec
        mint = sorted.first?.timestamp ?? 0
        maxt = sorted.last?.timestamp ?? 0
        entries = sorted.count
        rawBytes = sorted.reduce(0) { $0 + $1.line.count }
        var tokenHashes: [UInt64] = []
        var data: [UInt8] = []
        var blocks: [BlockMeta] = []
        var blockStart = 0
        var blockBytes = 0
        func flush(_ range: Range<Int>) {
            guard !range.isEmpty else { return }
            let compressed = codec.encode(sorted[range], mint: sorted[range.lowerBound].timestamp, tokenHashes: &tokenHashes)
            blocks.append(BlockMeta(
                entries: range.count, mint: sorted[range.lowerBound].timestamp, maxt: sorted[range.upperBound - 1].timestamp,
                offset: data.count, length: compressed.count))
            data.append(contentsOf: compressed)
            var crc = ByteSink()
            crc.uint32(CRC32C.checksum(compressed))
            data.append(contentsOf: crc.bytes)
        }
        for (index, entry) in sorted.enumerated() {
            blockBytes += entry.line.count + 2
            for label in entry.metadata { blockBytes += label.name.utf8.count + label.value.utf8.count + 2 }
            if blockBytes >= codec.blockSize {
                flush(blockStart..<index + 1)
                blockStart = index + 1
                blockBytes = 0
            }
        }
        flush(blockStart..<sorted.count)
        filter = codec != .snappy && kind == .tokens
            ? ChunkFilter(tokenHashes: tokenHashes, seed: id) : ChunkFilter(kind, lines: sorted.lazy.map(\.line), seed: id)
        self.blocks = blocks
        self.data = data
        storedBytes = data.count + filter.bloom.byteCount + 64 + blocks.count * 24
    }

    init(
        id: UInt64, mint: Int64, maxt: Int64, entries: Int, rawBytes: Int, codec: ChunkCodec, blocks: [BlockMeta],
        filter: ChunkFilter, path: String, dataOffset: Int, storedBytes: Int
    ) {
        self.id = id
        self.mint = mint
        self.maxt = maxt
        self.entries = entries
        self.rawBytes = rawBytes
        self.codec = codec
        self.blocks = blocks
        self.filter = filter
        self.data = nil
        self.path = path
        self.dataOffset = dataOffset
        self.storedBytes = storedBytes
    }

    /// Whether some line may contain every one of `substrings`.
    func mayContain(all substrings: [[UInt8]]) -> Bool {
        substrings.allSatisfy { filter.mayContain(substring: $0) }
    }

    /// Decodes the entries in [`start`, `end`), in time order, from `data` (the whole data
    /// section), checking each block's CRC first. Errors name `context` and the block's offset in
    /// the file.
    func decode(data: UnsafeRawBufferPointer, start: Int64, end: Int64, context: String, into out: inout [LogEntry]) throws(LogStoreError) {
        for block in blocks where block.maxt >= start && block.mint < end {
            let (compressed, place) = try checkedBlock(block, data: data, context: context)
            try codec.decode(
                compressed, block: block, start: start, end: end, context: place, into: &out)
        }
    }

    /// The blocks meeting [`start`, `end`) as ``TemplatedLines``, in time order, each decoded
    /// (its CRC checked first) when the reader first asks; nil for a codec that stores lines
    /// (snappy). `data` is the whole data section.
    func templated(data: [UInt8], start: Int64, end: Int64, context: String) -> [TemplatedLines]? {
        guard codec != .snappy else { return nil }
        let codec = codec
        return blocks.filter { $0.maxt >= start && $0.mint < end }.map { block in
            TemplatedLines { () throws(LogStoreError) in
                let place = try withBytes(data) { raw throws(LogStoreError) in try checkedBlock(block, data: raw, context: context).1 }
                guard let decoded = try codec.templated(
                    data, range: block.offset..<block.offset + block.length, block: block, start: start, end: end, context: place)
                else { throw .io("\(place): not a templated block") }
                return decoded
            }
        }
    }

    /// Block `block`'s compressed bytes in `data`, its CRC checked, and its place for errors.
    private func checkedBlock(_ block: BlockMeta, data: UnsafeRawBufferPointer, context: String)
        throws(LogStoreError) -> (UnsafeRawBufferPointer, String)
    {
        let place = "\(context): block at byte \(dataOffset + block.offset)"
        guard block.offset >= 0, block.length >= 0, block.offset + block.length + 4 <= data.count else {
            throw .io("\(place) runs past the end of the chunk")
        }
        let compressed = UnsafeRawBufferPointer(rebasing: data[block.offset..<block.offset + block.length])
        var crcReader = ByteSource(data, offset: block.offset + block.length, context: context)
        let expected = try crcReader.uint32("block checksum")
        guard CRC32C.update(0, compressed) == expected else {
            throw .io("\(place) fails its checksum")
        }
        return (compressed, place)
    }
}
