public import VigilModel
import Synchronization

/// A persisted, immutable block opened for reading: its meta, mmapped index and chunk segments,
/// and its tombstones (the only part that changes, through ``delete(_:mint:maxt:)``).
///
/// Thread-safe. The mappings stay valid while any querier or series of this block is alive,
/// even after the directory is deleted.
public final class Block: Sendable {
    /// The block directory.
    public let path: String
    let index: BlockIndexReader
    let chunks: ChunkSegmentReader
    let state: Mutex<State>

    struct State: Sendable {
        var meta: BlockMeta
        var tombstones: [SeriesRef: [ClosedRange<Int64>]]
        var size: Int64
    }

    private init(path: String, index: BlockIndexReader, chunks: ChunkSegmentReader, state: State) {
        self.path = path
        self.index = index
        self.chunks = chunks
        self.state = Mutex(state)
    }

    /// Opens the block at `path`, checking the meta, the index's magic, TOC and loaded sections,
    /// the chunk segments' headers and the tombstones.
    ///
    /// Damage throws `.corruption` naming the file and offset; series entries, postings lists and
    /// chunks are checked when read, so a later read may still throw `.corruption`.
    public static func open(path: String) throws(TSDBError) -> Block {
        let metaPath = path + "/" + BlockDirectory.metaFileName
        guard BlockFileSystem.exists(metaPath) else { throw TSDBError(.corruption, "\(metaPath): missing") }
        let metaBytes = try BlockFileSystem.readFile(metaPath)
        let meta = try BlockMeta(json: String(decoding: metaBytes, as: UTF8.self), file: metaPath)
        guard meta.version == 1 else { throw TSDBError(.corruption, "\(metaPath): unsupported block version \(meta.version)") }
        let index = try BlockIndexReader(path: path + "/index")
        guard index.seriesCount == meta.stats.numSeries else {
            throw TSDBError(.corruption, "\(path)/index: \(index.seriesCount) series but meta.json says \(meta.stats.numSeries)")
        }
        let chunks = try ChunkSegmentReader(directory: path + "/chunks")
        let tombstonePath = path + "/" + BlockTombstones.fileName
        var tombstones: [SeriesRef: [ClosedRange<Int64>]] = [:]
        if BlockFileSystem.exists(tombstonePath) {
            tombstones = try BlockTombstones.decode(try BlockFileSystem.readFile(tombstonePath), file: tombstonePath, seriesCount: index.seriesCount)
        }
        return Block(path: path, index: index, chunks: chunks,
                     state: State(meta: meta, tombstones: tombstones, size: BlockFileSystem.treeSize(path)))
    }

    /// The block's meta (its tombstone count follows deletions).
    public var meta: BlockMeta { state.withLock { $0.meta } }

    /// Bytes the block takes on disk.
    public var size: Int64 { state.withLock { $0.size } }

    /// A querier over this block.
    public func querier() -> BlockQuerier { BlockQuerier(block: self) }

    /// The deleted intervals of every series (block-local ids).
    var tombstones: [SeriesRef: [ClosedRange<Int64>]] { state.withLock { $0.tombstones } }

    /// Marks `[mint, maxt]` (inclusive) of every series `matchers` select as deleted and rewrites
    /// the tombstones file and `meta.json` atomically. Returns the number of series affected.
    ///
    /// Samples stay in the chunks until compaction rewrites the block without them.
    @discardableResult
    public func delete(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) throws(TSDBError) -> Int {
        guard mint <= maxt else { return 0 }
        let ids = try index.postings(for: matchers)
        var affected: [SeriesRef] = []
        for id in ids {
            let (_, metas) = try index.series(id)
            if metas.contains(where: { $0.minTime <= maxt && mint <= $0.maxTime }) { affected.append(id) }
        }
        guard !affected.isEmpty else { return 0 }
        return try state.withLock { (state) throws(TSDBError) -> Int in
            var tombstones = state.tombstones
            for id in affected { BlockTombstones.add(mint...maxt, to: &tombstones[id, default: []]) }
            var meta = state.meta
            meta.stats.numTombstones = BlockTombstones.count(tombstones)
            try Block.replace(path + "/" + BlockTombstones.fileName, with: BlockTombstones.encode(tombstones))
            try Block.replace(path + "/" + BlockDirectory.metaFileName, with: Array(meta.json.utf8))
            try BlockFileSystem.syncDirectory(path)
            state.tombstones = tombstones
            state.meta = meta
            state.size = BlockFileSystem.treeSize(path)
            return affected.count
        }
    }

    /// Marks the block deletable in its `meta.json` (compaction found nothing left in it).
    func markDeletable() throws(TSDBError) {
        try state.withLock { (state) throws(TSDBError) in
            var meta = state.meta
            meta.compaction.deletable = true
            try Block.replace(path + "/" + BlockDirectory.metaFileName, with: Array(meta.json.utf8))
            try BlockFileSystem.syncDirectory(path)
            state.meta = meta
        }
    }

    /// Writes `bytes` to `file.tmp`, fsyncs, and renames it over `file`.
    static func replace(_ file: String, with bytes: [UInt8]) throws(TSDBError) {
        let temporary = file + ".tmp"
        try BlockFileSystem.writeFile(temporary, bytes)
        try BlockFileSystem.rename(temporary, file)
    }

    /// Every series of the block in label order, with all its chunks and deleted intervals: what
    /// compaction reads.
    func allSeries() throws(TSDBError) -> [(labels: Labels, chunks: [StoredChunk], deleted: [ClosedRange<Int64>])] {
        let tombstones = self.tombstones
        var result: [(labels: Labels, chunks: [StoredChunk], deleted: [ClosedRange<Int64>])] = []
        result.reserveCapacity(index.seriesCount)
        for id in 0..<UInt64(index.seriesCount) {
            let (labels, metas) = try index.series(id)
            var loaded: [StoredChunk] = []
            loaded.reserveCapacity(metas.count)
            for meta in metas { loaded.append(try chunks.chunk(ref: meta.ref, minTime: meta.minTime, maxTime: meta.maxTime)) }
            result.append((labels, loaded, tombstones[id] ?? []))
        }
        return result
    }
}
