import VigilLogQL
import VigilModel
import VigilRemote

/// How a chunk's blocks are compressed: the file's codec byte (docs/formats/log-chunks.md).
enum ChunkCodec: UInt8, Sendable {
    /// Snappy over entries written one after the other: version-1 chunks. Read; written only to
    /// test reading them.
    case snappy = 1
    /// Brotli over the ``TemplateColumns`` form: what sealing writes.
    case brotliColumns = 2

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
        case .brotliColumns: 1 << 20
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
            let plain = TemplateColumns.encode(entries, mint: mint, tokenHashes: &tokenHashes)
            var out = ByteSink()
            out.uvarint(UInt64(plain.count))
            out.bytes.append(contentsOf: Brotli.compress(plain, quality: Self.brotliQuality, windowBits: Self.brotliWindowBits))
            return out.bytes
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
            var source = ByteSource(compressed, context: context)
            let length = try source.count("decoded length", limit: Self.maxDecodedBlock)
            let plain: [UInt8]
            do {
                plain = try Brotli.decompress(UnsafeRawBufferPointer(rebasing: compressed[source.offset...]), length: length)
            } catch {
                throw .io("\(context): \(error)")
            }
            try withBytes(plain) { bytes throws(LogStoreError) in
                try TemplateColumns.decode(
                    bytes, entries: block.entries, mint: block.mint, start: start, end: end, context: context + " (decoded)", into: &out)
            }
        }
    }
}
