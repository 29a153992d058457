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
    /// ``BlockDirectory/blockPaths(in:)`` removes.
    public static func write(
        directory parent: String, mint: Int64, maxt: Int64,
        series: [(labels: Labels, chunks: [XORChunk])],
        tombstones: [Labels: [ClosedRange<Int64>]] = [:]
    ) throws(TSDBError) -> BlockMeta {
        let builder = try BlockBuilder(parent: parent, mint: mint, maxt: maxt)
        do {
            for entry in series { try builder.add(labels: entry.labels, chunks: entry.chunks) }
            return try builder.finish(tombstones: tombstones)
        } catch {
            builder.abort()
            throw error
        }
    }
}
