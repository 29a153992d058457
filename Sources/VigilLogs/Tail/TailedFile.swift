/// An open file being tailed, and how far it has been read.
///
/// `readOffset` is the end of the last whole line read; `committedOffset` the end of the last line
/// after which no piece of a longer (CRI/Docker partial) line is held — the offset a checkpoint
/// may name, since reading again from it loses nothing. `assembledOffset` is that point for the
/// line assembler alone; `committedOffset` also stays before lines a multiline step still holds.
final class TailedFile {
    let descriptor: Int32
    var identity: FileIdentity?
    var key: InodeKey
    var path: String
    var labelPath: String
    var readOffset: Int64
    var committedOffset: Int64
    var assembledOffset: Int64
    var assembler: LineAssembler
    /// The input's processors' state for this file; nil when the input has none.
    var processing: FileProcessing?
    /// Discovery order; among files with one label, older ones are drained first.
    var generation: Int
    /// No matched path names this file any more (renamed or deleted): read to its end, then let go.
    var isRotated = false
    /// When a rotated file was first found at its end with nothing new.
    var idleSince: ContinuousClock.Instant?
    /// The rest of an over-long line is being skipped.
    var skippingLongLine = false

    init(descriptor: Int32, identity: FileIdentity?, key: InodeKey, path: String, labelPath: String, offset: Int64,
         assembler: LineAssembler, generation: Int)
    {
        self.descriptor = descriptor
        self.identity = identity
        self.key = key
        self.path = path
        self.labelPath = labelPath
        self.readOffset = offset
        self.committedOffset = offset
        self.assembledOffset = offset
        self.assembler = assembler
        self.generation = generation
    }

    deinit {
        PosixFile.close(descriptor)
    }
}

/// Lines read from one file in one go, and the checkpoint that holds once they are buffered.
struct TailChunk: Sendable {
    var checkpoint: FileCheckpoint
    var records: [LogRecord]
}
