#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import VigilModel

/// A chunk's file, `chunks/<id>.chunk` (docs/formats/log-chunks.md):
///
/// ```
/// "VLC1" | version u8 | codec u8
/// meta length u32 | meta | CRC32C(meta) u32
/// data: per block, compressed block | CRC32C(block) u32
/// ```
/// Version 2 (written) holds a token filter, version 1 a 4-gram filter; codec 2 (written) is
/// brotli over template columns, codec 1 snappy. The meta holds the stream (tenant, labels), the
/// time range, counts, the checkpoint that wrote it, the block index and the filter, so opening
/// the store reads only metas.
enum ChunkFile {
    struct Header {
        var tenant: String
        var labels: Labels
        var checkpoint: UInt64
        var chunk: LogChunk
        var dataOffset: Int
    }

    static func name(_ id: UInt64) -> String {
        let hex = String(id, radix: 16)
        return String(repeating: "0", count: max(0, 16 - hex.count)) + hex + ".chunk"
    }

    static func id(fromName name: String) -> UInt64? {
        guard name.hasSuffix(".chunk"), name.count == 22 else { return nil }
        return UInt64(name.prefix(16), radix: 16)
    }

    static func encode(_ chunk: LogChunk, data: [UInt8], tenant: String, labels: Labels, checkpoint: UInt64) -> [UInt8] {
        var meta = ByteSink()
        meta.uvarint(chunk.id)
        meta.string(tenant)
        meta.labels(labels)
        meta.varint(chunk.mint)
        meta.varint(chunk.maxt)
        meta.uvarint(UInt64(chunk.entries))
        meta.uvarint(UInt64(chunk.rawBytes))
        meta.uvarint(checkpoint)
        meta.uvarint(UInt64(chunk.blocks.count))
        for block in chunk.blocks {
            meta.uvarint(UInt64(block.entries))
            meta.varint(block.mint)
            meta.varint(block.maxt)
            meta.uvarint(UInt64(block.offset))
            meta.uvarint(UInt64(block.length))
        }
        let bloom = chunk.filter.bloom
        meta.uvarint(UInt64(bloom.probes))
        meta.uvarint(UInt64(bloom.words.count))
        for word in bloom.words { meta.uint64(word) }

        var file = ByteSink()
        file.bytes.reserveCapacity(meta.bytes.count + data.count + 16)
        file.bytes.append(contentsOf: LogChunk.magic)
        switch chunk.filter {
        case .grams: file.bytes.append(1)
        case .tokens: file.bytes.append(2)
        }
        file.bytes.append(chunk.codec.rawValue)
        file.uint32(UInt32(meta.bytes.count))
        file.bytes.append(contentsOf: meta.bytes)
        file.uint32(CRC32C.checksum(meta.bytes))
        file.bytes.append(contentsOf: data)
        return file.bytes
    }

    /// Reads the magic and meta of the chunk at `path` (not its data).
    static func readHeader(_ path: String) throws(LogStoreError) -> Header {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileIO.failure("cannot open", path) }
        defer { close(descriptor) }
        let prefix = try FileIO.readRange(descriptor, offset: 0, count: 10, path: path)
        guard prefix.count == 10, Array(prefix[0..<4]) == LogChunk.magic else { throw .io("\(path): not a Vigil log chunk") }
        let version = prefix[4]
        guard version == 1 || version == 2, let codec = ChunkCodec(rawValue: prefix[5]), version == 2 || codec == .snappy else {
            throw .io("\(path): unsupported chunk version \(prefix[4]) or codec \(prefix[5])")
        }
        let metaLength = Int(UInt32(prefix[6]) | UInt32(prefix[7]) << 8 | UInt32(prefix[8]) << 16 | UInt32(prefix[9]) << 24)
        let size = FileIO.fileSize(path) ?? 0
        guard metaLength + 14 <= size else { throw .io("\(path): meta length \(metaLength) runs past the end of the file") }
        let rest = try FileIO.readRange(descriptor, offset: 10, count: metaLength + 4, path: path)
        return try withBytes(rest) { raw throws(LogStoreError) -> Header in
            let meta = UnsafeRawBufferPointer(rebasing: raw[0..<metaLength])
            var crcSource = ByteSource(raw, offset: metaLength, context: path)
            guard try crcSource.uint32("meta checksum") == CRC32C.update(0, meta) else {
                throw .io("\(path): chunk meta fails its checksum")
            }
            var source = ByteSource(meta, context: path)
            let id = try source.uvarint("id")
            let tenant = try source.string("tenant")
            let labels = try source.labels(count: "label count", name: "label name", value: "label value")
            let mint = try source.varint("mint")
            let maxt = try source.varint("maxt")
            let entries = try source.count("entries", limit: Int.max)
            let rawBytes = try source.count("raw bytes", limit: Int.max)
            let checkpoint = try source.uvarint("checkpoint")
            let blockCount = try source.count("block count", limit: metaLength)
            var blocks: [BlockMeta] = []
            for _ in 0..<blockCount {
                blocks.append(BlockMeta(
                    entries: try source.count("block entries", limit: Int.max), mint: try source.varint("block mint"),
                    maxt: try source.varint("block maxt"), offset: try source.count("block offset", limit: size),
                    length: try source.count("block length", limit: size)))
            }
            let probes = try source.count("bloom probes", limit: 64)
            let wordCount = try source.count("bloom size", limit: metaLength / 8)
            var words: [UInt64] = []
            words.reserveCapacity(wordCount)
            for _ in 0..<wordCount { words.append(try source.uint64("bloom word")) }
            let bloom = BlockedBloom(words: words, probes: probes)
            let chunk = LogChunk(
                id: id, mint: mint, maxt: maxt, entries: entries, rawBytes: rawBytes, codec: codec, blocks: blocks,
                filter: version == 1 ? .grams(bloom) : .tokens(bloom, seed: id), path: path, dataOffset: 14 + metaLength, storedBytes: size)
            return Header(tenant: tenant, labels: labels, checkpoint: checkpoint, chunk: chunk, dataOffset: 14 + metaLength)
        }
    }

    /// The data section of the chunk at `path`.
    static func readData(_ path: String) throws(LogStoreError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileIO.failure("cannot open", path) }
        defer { close(descriptor) }
        let prefix = try FileIO.readRange(descriptor, offset: 6, count: 4, path: path)
        guard prefix.count == 4 else { throw .io("\(path): truncated chunk") }
        let metaLength = Int(UInt32(prefix[0]) | UInt32(prefix[1]) << 8 | UInt32(prefix[2]) << 16 | UInt32(prefix[3]) << 24)
        let size = FileIO.fileSize(path) ?? 0
        let start = 14 + metaLength
        guard start <= size else { throw .io("\(path): truncated chunk") }
        return try FileIO.readRange(descriptor, offset: start, count: size - start, path: path)
    }
}
