import VigilModel

/// Writes one block incrementally: chunks go to disk as series are added; the index, tombstones
/// and `meta.json` are written by ``finish(tombstones:compaction:)``, which then renames
/// `<ULID>.tmp/` to `<ULID>/` durably. ``abort()`` removes the temporary directory.
final class BlockBuilder {
    let parent: String
    let ulid: ULID
    let mint: Int64
    let maxt: Int64
    let temporary: String
    let final: String
    private let chunkWriter: ChunkSegmentWriter
    private var series: [(labels: Labels, chunks: [BlockChunkMeta])] = []
    private var stats = BlockMeta.Stats()
    private var finished = false

    /// Whether XOR chunks are re-encoded as ``CompactChunk``s (encoding 2) where that is smaller.
    let compactChunks: Bool

    init(
        parent: String, mint: Int64, maxt: Int64, ulid: ULID = ULID(), compactChunks: Bool = false,
        maxSegmentSize: Int = ChunkSegment.defaultMaxSize
    ) throws(TSDBError) {
        self.parent = parent
        self.ulid = ulid
        self.mint = mint
        self.maxt = maxt
        self.compactChunks = compactChunks
        final = parent + "/" + ulid.description
        temporary = final + BlockDirectory.temporarySuffix
        try BlockFileSystem.removeTree(temporary)
        try BlockFileSystem.makeDirectory(temporary)
        try BlockFileSystem.makeDirectory(temporary + "/chunks")
        chunkWriter = ChunkSegmentWriter(directory: temporary + "/chunks", maxSegmentSize: maxSegmentSize)
    }

    deinit {
        if !finished { try? BlockFileSystem.removeTree(temporary) }
    }

    /// Whether no series was added yet.
    var isEmpty: Bool { series.isEmpty }

    /// Adds a series; calls must come in strictly increasing label order. Empty chunks are
    /// skipped, chunks are stored in min-time order, and a series without samples is left out.
    func add(labels: Labels, chunks: [XORChunk]) throws(TSDBError) {
        try add(labels: labels, chunks: chunks.map(StoredChunk.xor))
    }

    /// ``add(labels:chunks:)`` for chunks already in either encoding (compaction copies them).
    /// With ``compactChunks``, an XOR chunk is stored compactly when that is smaller.
    func add(labels: Labels, chunks: [StoredChunk]) throws(TSDBError) {
        if let last = series.last, !(last.labels < labels) {
            throw TSDBError(.invalidLabels, "block series out of order or duplicated: \(labels) after \(last.labels)")
        }
        var sorted = chunks.filter { $0.count > 0 }
        guard !sorted.isEmpty else { return }
        if !sorted.indices.dropFirst().allSatisfy({ sorted[$0 - 1].minTime <= sorted[$0].minTime }) {
            sorted.sort { $0.minTime < $1.minTime }
        }
        var metas: [BlockChunkMeta] = []
        metas.reserveCapacity(sorted.count)
        for var chunk in sorted {
            if compactChunks, case .xor(let xor) = chunk { chunk = StoredChunk.smallest(xor) }
            let ref = try chunkWriter.write(encoding: chunk.encoding, data: chunk.bytes)
            metas.append(BlockChunkMeta(minTime: chunk.minTime, maxTime: chunk.maxTime, ref: ref))
            stats.numSamples += chunk.count
        }
        stats.numChunks += metas.count
        series.append((labels, metas))
    }

    /// Writes the index, tombstones and meta, then makes the block visible under its ULID.
    func finish(tombstones: [Labels: [ClosedRange<Int64>]] = [:], compaction: BlockMeta.Compaction? = nil) throws(TSDBError) -> BlockMeta {
        try chunkWriter.finish()
        _ = try BlockIndexWriter.write(path: temporary + "/index", series: series)
        var byRef: [SeriesRef: [ClosedRange<Int64>]] = [:]
        for (labels, intervals) in tombstones {
            guard let id = position(of: labels) else { continue }
            for interval in intervals { BlockTombstones.add(interval, to: &byRef[SeriesRef(id), default: []]) }
        }
        try BlockFileSystem.writeFile(temporary + "/" + BlockTombstones.fileName, BlockTombstones.encode(byRef))
        stats.numSeries = series.count
        stats.numTombstones = BlockTombstones.count(byRef)
        let meta = BlockMeta(
            ulid: ulid, minTime: mint, maxTime: maxt, stats: stats,
            compaction: compaction ?? BlockMeta.Compaction(level: 1, sources: [ulid]))
        try BlockFileSystem.writeFile(temporary + "/" + BlockDirectory.metaFileName, Array(meta.json.utf8))
        try BlockFileSystem.syncDirectory(temporary + "/chunks")
        try BlockFileSystem.syncDirectory(temporary)
        try BlockFileSystem.removeTree(final)
        try BlockFileSystem.rename(temporary, final)
        try BlockFileSystem.syncDirectory(parent)
        finished = true
        return meta
    }

    /// Removes the partly written block.
    func abort() {
        finished = true
        try? BlockFileSystem.removeTree(temporary)
    }

    private func position(of labels: Labels) -> Int? {
        var low = 0
        var high = series.count
        while low < high {
            let mid = (low + high) / 2
            if series[mid].labels == labels { return mid }
            if series[mid].labels < labels { low = mid + 1 } else { high = mid }
        }
        return nil
    }
}
