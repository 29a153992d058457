/// Chunk encodings a block's chunk records may carry.
enum BlockChunkEncoding {
    /// Prometheus's XOR chunk, bytes as in `docs/formats/chunks.md`.
    static let xor: UInt8 = 1
    /// Vigil's compact chunk (``CompactChunk``), bytes as in `docs/formats/chunks.md`.
    static let compact: UInt8 = 2
}

/// The `chunks/` segment files' shared constants.
enum ChunkSegment {
    static let magic: UInt32 = 0x85BD_40DD
    static let version: UInt8 = 1
    static let headerSize = 8
    /// Segments are cut before they would grow past this (Prometheus's 512 MiB).
    static let defaultMaxSize = 512 << 20

    static func name(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// A chunk's address: segment number in the high 32 bits, byte offset in the low 32.
    static func ref(segment: Int, offset: Int) -> UInt64 {
        UInt64(segment) << 32 | UInt64(offset)
    }
}

/// Appends chunk records (`len encoding data crc32c`) to numbered segment files in `chunks/`.
final class ChunkSegmentWriter {
    let directory: String
    let maxSegmentSize: Int
    private var file: BlockOutputFile?
    private var segment = 0
    private var record = BlockByteWriter(reservingCapacity: 512)
    /// Bytes written across all segments, headers included.
    private(set) var totalBytes = 0

    init(directory: String, maxSegmentSize: Int = ChunkSegment.defaultMaxSize) {
        self.directory = directory
        self.maxSegmentSize = max(maxSegmentSize, 64)
    }

    /// Writes one chunk and returns its ref.
    func write(encoding: UInt8, data: [UInt8]) throws(TSDBError) -> UInt64 {
        record.bytes.removeAll(keepingCapacity: true)
        record.putUvarint(UInt64(data.count))
        let checked = record.bytes.count
        record.putU8(encoding)
        record.bytes.append(contentsOf: data)
        record.putChecksum(from: checked)
        if file == nil || file!.offset + record.bytes.count > maxSegmentSize && file!.offset > ChunkSegment.headerSize {
            try cut()
        }
        let offset = file!.offset
        try file!.append(record.bytes)
        totalBytes += record.bytes.count
        return ChunkSegment.ref(segment: segment, offset: offset)
    }

    private func cut() throws(TSDBError) {
        try file?.finish()
        segment += 1
        let next = try BlockOutputFile(path: directory + "/" + ChunkSegment.name(segment))
        var header = BlockByteWriter()
        header.putU32(ChunkSegment.magic)
        header.putU8(ChunkSegment.version)
        header.bytes.append(contentsOf: [0, 0, 0])
        try next.append(header.bytes)
        totalBytes += header.bytes.count
        file = next
    }

    /// Flushes and fsyncs the last segment.
    func finish() throws(TSDBError) {
        try file?.finish()
        file = nil
    }
}

/// The mmapped segments of a block's `chunks/` directory.
struct ChunkSegmentReader: Sendable {
    let segments: [BlockMappedFile]

    /// Maps every segment file in `directory` (named `000001`, `000002`, … without gaps) and checks
    /// each header.
    init(directory: String) throws(TSDBError) {
        var segments: [BlockMappedFile] = []
        let names = BlockFileSystem.isDirectory(directory) ? try BlockFileSystem.list(directory) : []
        for (position, name) in names.enumerated() {
            guard name == ChunkSegment.name(position + 1) else {
                throw TSDBError(.corruption, "\(directory): unexpected chunk segment \(name), expected \(ChunkSegment.name(position + 1))")
            }
            let mapped = try BlockMappedFile(path: directory + "/" + name)
            var reader = BlockByteReader(mapped.bytes, file: mapped.path)
            guard try reader.u32() == ChunkSegment.magic else { throw reader.corruption("bad chunk segment magic", at: 0) }
            guard try reader.u8() == ChunkSegment.version else { throw reader.corruption("unsupported chunk segment version", at: 4) }
            segments.append(mapped)
        }
        self.segments = segments
    }

    /// The chunk at `ref`, checksum verified and copied out of the mapping, in the encoding the
    /// record names (XOR or compact).
    func chunk(ref: UInt64, minTime: Int64, maxTime: Int64) throws(TSDBError) -> StoredChunk {
        let segment = Int(ref >> 32)
        let offset = Int(ref & 0xFFFF_FFFF)
        guard segment >= 1, segment <= segments.count else {
            throw TSDBError(.corruption, "chunk ref \(ref) names missing segment \(ChunkSegment.name(segment))")
        }
        let mapped = segments[segment - 1]
        guard offset >= ChunkSegment.headerSize else { throw TSDBError(.corruption, "\(mapped.path): chunk ref inside the header at offset \(offset)") }
        var reader = BlockByteReader(mapped.bytes, offset: offset, file: mapped.path)
        let length = try reader.length(limit: reader.remaining)
        let checked = reader.offset
        let encoding = try reader.u8()
        let data = try reader.bytes(length)
        try reader.verifyChecksum(from: checked, what: "chunk")
        guard encoding == BlockChunkEncoding.xor || encoding == BlockChunkEncoding.compact else {
            throw reader.corruption("unknown chunk encoding \(encoding)", at: checked)
        }
        guard length >= 2 else { throw reader.corruption("chunk shorter than its header", at: checked) }
        if encoding == BlockChunkEncoding.compact {
            return .compact(CompactChunk(bytes: Array(data), minTime: minTime, maxTime: maxTime))
        }
        return .xor(XORChunk(bytes: Array(data), minTime: minTime, maxTime: maxTime))
    }
}
