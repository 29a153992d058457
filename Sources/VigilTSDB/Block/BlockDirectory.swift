/// Finding, removing and sizing block directories inside a data directory.
public enum BlockDirectory {
    static let temporarySuffix = ".tmp"
    static let deletionSuffix = ".tmp-for-deletion"
    static let corruptedSuffix = ".corrupted"
    static let metaFileName = "meta.json"

    /// The paths of the blocks under `parent` (directories named by a ULID), oldest ULID first.
    ///
    /// Leftovers of interrupted writes or deletions (`<ULID>.tmp/`, `<ULID>.tmp-for-deletion/`)
    /// are removed; other entries (the WAL, `<ULID>.corrupted/`) are left alone.
    /// With `cleanUp: false` (inspection tools beside a live server) leftovers are skipped, not removed.
    public static func blockPaths(in parent: String, cleanUp: Bool = true) throws(TSDBError) -> [String] {
        var paths: [String] = []
        for name in try BlockFileSystem.list(parent) {
            let path = parent + "/" + name
            if name.hasSuffix(temporarySuffix) || name.hasSuffix(deletionSuffix) {
                if cleanUp { try BlockFileSystem.removeTree(path) }
                continue
            }
            if ULID(name) != nil && BlockFileSystem.isDirectory(path) { paths.append(path) }
        }
        return paths
    }

    /// Deletes the block at `path`: renamed aside first (so a crash never leaves a half-deleted
    /// block under its ULID), then removed.
    public static func remove(path: String) throws(TSDBError) {
        let aside = path + deletionSuffix
        try BlockFileSystem.rename(path, aside)
        if let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) {
            try BlockFileSystem.syncDirectory(String(path[..<slash]))
        }
        try BlockFileSystem.removeTree(aside)
    }

    /// Renames a damaged block to `<ULID>.corrupted` so it is no longer loaded, and returns the
    /// new path; its data is kept for inspection.
    public static func quarantine(path: String) throws(TSDBError) -> String {
        let aside = path + corruptedSuffix
        try BlockFileSystem.removeTree(aside)
        try BlockFileSystem.rename(path, aside)
        return aside
    }

    /// Bytes the files under `path` take (a block or the WAL directory).
    public static func size(of path: String) -> Int64 {
        BlockFileSystem.treeSize(path)
    }

    /// The blocks among `metas` that compaction has superseded: parents of another listed block,
    /// and blocks marked deletable. The DB deletes them once the children are loaded.
    public static func superseded(_ metas: [BlockMeta]) -> Set<ULID> {
        var result = Set<ULID>()
        let present = Set(metas.map(\.ulid))
        for meta in metas {
            if meta.compaction.deletable { result.insert(meta.ulid) }
            for parent in meta.compaction.parents where present.contains(parent.ulid) { result.insert(parent.ulid) }
        }
        return result
    }
}
