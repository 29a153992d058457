/// Which file a checkpoint belongs to: device and inode, plus a fingerprint of the file's first
/// line (at most ``fingerprintBytes``), so a reused inode is told apart from the file it replaced
/// and a copy (`copytruncate`) is recognised as the content it copied.
struct FileIdentity: Sendable, Hashable {
    /// How many bytes at most the fingerprint covers.
    static let fingerprintBytes = 1024

    var device: UInt64
    var inode: UInt64
    /// XXH64 of the first line (with its newline), or of the first ``fingerprintBytes`` bytes.
    var fingerprint: UInt64
    /// How many bytes the fingerprint covers.
    var fingerprintLength: Int

    /// Device and inode alone.
    var inodeKey: InodeKey { InodeKey(device: device, inode: inode) }
}

/// A file on a device, whatever its content.
struct InodeKey: Sendable, Hashable {
    var device: UInt64
    var inode: UInt64
}

/// Where a file was read up to: the end of its last line that is in every output's buffer.
struct FileCheckpoint: Sendable, Hashable {
    /// The input that reads the file.
    var input: String
    var identity: FileIdentity
    /// Bytes from the start of the file.
    var offset: Int64
    /// Where the file was last seen.
    var path: String
    /// The `filename` label its lines carry (the path it was first found at).
    var labelPath: String
}
