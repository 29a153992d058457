/// One damaged stretch of a segment that replay did not return.
public struct WALDamage: Sendable, Equatable, CustomStringConvertible {
    /// The file, relative to the WAL directory (`00000003`, `checkpoint.00000002/00000000`).
    public var file: String
    /// The segment index within its directory.
    public var segment: Int
    /// The byte offset of the first record not replayed.
    public var offset: Int64
    /// Bytes from `offset` to the end of the file that were dropped.
    public var droppedBytes: Int64
    /// What was found there.
    public var reason: String
    /// True when this looks like an interrupted write at the tail (expected after a crash).
    public var torn: Bool
    /// True when the file was truncated to `offset` so later appends and replays start clean.
    public var truncated: Bool

    /// `WAL segment 00000003 offset 1234: checksum mismatch …; dropped 98 bytes (truncated)`.
    public var description: String {
        "WAL \(file) offset \(offset): \(reason); dropped \(droppedBytes) bytes" + (truncated ? " (truncated)" : "")
    }
}
