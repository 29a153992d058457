public import VigilModel

/// Persists series as a new block directory `<ULID>/` under a data directory.
public enum BlockWriter {
    /// Writes a level-1 block covering `[mint, maxt)` (maxt exclusive, like Prometheus) and
    /// returns its meta.
    ///
    /// `series` must be sorted by labels without duplicates (``Head/seriesForPersistence(mint:maxt:)``
    /// returns them so); each series' chunks should lie in the range. Series without samples are
    /// left out. `tombstones` are deleted intervals by series labels. The block is written to
    /// `<ULID>.tmp/`, every file and directory is fsynced, then it is renamed to `<ULID>/` and
    /// `parent` is fsynced, so a crash leaves either the whole block or a `.tmp` directory that
    /// ``BlockDirectory/blockPaths(in:)`` removes. With `compactChunks`, each chunk is stored in
    /// Vigil's compact encoding (2) when that is smaller than its XOR form; the default keeps head
    /// chunks as they are (XOR), since re-encoding costs ~10× the write and the block is rewritten
    /// compactly by its first compaction anyway (`docs/formats/block.md`).
    public static func write(
        directory parent: String, mint: Int64, maxt: Int64,
        series: [(labels: Labels, chunks: [XORChunk])],
        tombstones: [Labels: [ClosedRange<Int64>]] = [:],
        compactChunks: Bool = false
    ) throws(TSDBError) -> BlockMeta {
        let builder = try BlockBuilder(parent: parent, mint: mint, maxt: maxt, compactChunks: compactChunks)
        do {
            for entry in series { try builder.add(labels: entry.labels, chunks: entry.chunks) }
            return try builder.finish(tombstones: tombstones)
        } catch {
            builder.abort()
            throw error
        }
    }
}
