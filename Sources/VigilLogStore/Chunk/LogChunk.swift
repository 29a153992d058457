import VigilLogQL
import VigilModel
import VigilRemote

/// One block of a chunk: about ``LogChunk/blockSize`` bytes of entries, compressed on its own so a
/// query decodes only the blocks its time range touches.
struct BlockMeta: Sendable, Hashable {
    var entries: Int
    var mint: Int64
    var maxt: Int64
    /// Offset and length of the compressed block (its CRC32C follows it) in the chunk's data.
    var offset: Int
    var length: Int
}

/// A sealed chunk of one stream: immutable entries sorted by time, in snappy-compressed blocks,
/// with the n-gram bloom filter and the time range a query uses to skip it.
///
/// Until the next checkpoint its data lives in memory (the WAL still covers it); after, in
/// `chunks/<id>.chunk` under the store's directory (docs/formats/log-chunks.md).
struct LogChunk: Sendable {
    /// Uncompressed bytes per block.
    static let blockSize = 256 << 10
    static let magic: [UInt8] = Array("VLC1".utf8)
    static let codecSnappy: UInt8 = 1

    var id: UInt64
    var mint: Int64
    var maxt: Int64
    var entries: Int
    /// Line bytes (what Loki's stats count).
    var rawBytes: Int
    var blocks: [BlockMeta]
    var bloom: NGramBloom
    /// The compressed blocks, while not yet written out.
    var data: [UInt8]?
    /// Its file once written.
    var path: String?
    /// Bytes of the file (or of `data` plus the header it will get).
    var storedBytes: Int

    /// Seals `entries` (sorted here, stably, so equal timestamps keep arrival order).
    init(id: UInt64, entries unsorted: [LogEntry]) {
        let sorted = unsorted.sorted { $0.timestamp < $1.timestamp }
        self.id = id
        mint = sorted.first?.timestamp ?? 0
        maxt = sorted.last?.timestamp ?? 0
        entries = sorted.count
        rawBytes = sorted.reduce(0) { $0 + $1.line.count }
        bloom = NGramBloom(lines: sorted.lazy.map(\.line))
        var data: [UInt8] = []
        var blocks: [BlockMeta] = []
        var raw = ByteSink()
        raw.bytes.reserveCapacity(Self.blockSize + 4096)
        var blockStart = 0
        var previous: Int64 = 0
        func flush(_ range: Range<Int>) {
            guard !range.isEmpty else { return }
            let compressed = Snappy.compress(raw.bytes)
            blocks.append(BlockMeta(
                entries: range.count, mint: sorted[range.lowerBound].timestamp, maxt: sorted[range.upperBound - 1].timestamp,
                offset: data.count, length: compressed.count))
            data.append(contentsOf: compressed)
            var crc = ByteSink()
            crc.uint32(CRC32C.checksum(compressed))
            data.append(contentsOf: crc.bytes)
            raw.bytes.removeAll(keepingCapacity: true)
        }
        for (index, entry) in sorted.enumerated() {
            if raw.bytes.isEmpty { previous = entry.timestamp; blockStart = index }
            raw.varint(entry.timestamp &- previous)
            previous = entry.timestamp
            raw.bytes(entry.line)
            raw.uvarint(UInt64(entry.metadata.count))
            for label in entry.metadata {
                raw.string(label.name)
                raw.string(label.value)
            }
            if raw.bytes.count >= Self.blockSize {
                flush(blockStart..<index + 1)
            }
        }
        flush(blockStart..<sorted.count)
        self.blocks = blocks
        self.data = data
        storedBytes = data.count + bloom.byteCount + 64 + blocks.count * 24
    }

    init(id: UInt64, mint: Int64, maxt: Int64, entries: Int, rawBytes: Int, blocks: [BlockMeta], bloom: NGramBloom, path: String, storedBytes: Int) {
        self.id = id
        self.mint = mint
        self.maxt = maxt
        self.entries = entries
        self.rawBytes = rawBytes
        self.blocks = blocks
        self.bloom = bloom
        self.data = nil
        self.path = path
        self.storedBytes = storedBytes
    }

    /// Whether some line may contain every one of `substrings`.
    func mayContain(all substrings: [[UInt8]]) -> Bool {
        substrings.allSatisfy { bloom.mayContain(substring: $0) }
    }

    /// Decodes the entries in [`start`, `end`), in time order, from `data` (the whole data section).
    static func decode(
        blocks: [BlockMeta], data: UnsafeRawBufferPointer, start: Int64, end: Int64, context: String,
        into out: inout [LogEntry]
    ) throws(LogStoreError) {
        for block in blocks where block.maxt >= start && block.mint < end {
            guard block.offset >= 0, block.length >= 0, block.offset + block.length + 4 <= data.count else {
                throw .io("\(context): block at \(block.offset) runs past the end of the chunk")
            }
            let compressed = UnsafeRawBufferPointer(rebasing: data[block.offset..<block.offset + block.length])
            var crcReader = ByteSource(data, offset: block.offset + block.length, context: context)
            let expected = try crcReader.uint32("block checksum")
            guard CRC32C.update(0, compressed) == expected else {
                throw .io("\(context): block at byte \(block.offset) fails its checksum")
            }
            let raw: [UInt8]
            do {
                raw = try Snappy.decompress(compressed, maxDecodedLength: 64 << 20)
            } catch {
                throw .io("\(context): block at byte \(block.offset): \(error)")
            }
            try withBytes(raw) { bytes throws(LogStoreError) in
                var source = ByteSource(bytes, context: context)
                var timestamp = block.mint
                for _ in 0..<block.entries {
                    timestamp &+= try source.varint("timestamp")
                    let line = try source.slice("line")
                    let metadataCount = try source.count("metadata count", limit: bytes.count)
                    var metadata: [Label] = []
                    for _ in 0..<metadataCount {
                        let name = try source.string("metadata name")
                        metadata.append(Label(name: name, value: try source.string("metadata value")))
                    }
                    if timestamp >= start && timestamp < end {
                        out.append(LogEntry(timestamp: timestamp, line: Array(line), metadata: metadataCount == 0 ? Labels() : Labels(metadata)))
                    }
                }
            }
        }
    }
}
