public import VigilModel

/// One stored log line: when it was written, its bytes, and the structured metadata pushed with it.
public struct LogEntry: Sendable, Hashable {
    /// Nanoseconds since the Unix epoch.
    public var timestamp: Int64
    /// The line as pushed (UTF-8 in practice, but never assumed valid).
    public var line: [UInt8]
    /// Loki's structured metadata: labels attached to this line only, not to the stream.
    public var metadata: Labels

    /// An entry written at `timestamp` (ns) with `line` and optional structured `metadata`.
    public init(timestamp: Int64, line: [UInt8], metadata: Labels = Labels()) {
        self.timestamp = timestamp
        self.line = line
        self.metadata = metadata
    }
}

/// Entries of one stream, in the order the selection asked for.
///
/// A source may hand over one stream in several consecutive batches (one per chunk, say); the
/// engine treats consecutive batches with equal labels as one stream.
public struct LogStreamBatch: Sendable, Hashable {
    /// The stream's labels.
    public var labels: Labels
    /// Its entries inside the selection's window, ordered by `LogSelection.direction`.
    public var entries: [LogEntry]
    /// Instead of `entries` (then empty): one stored block, its lines in the window given by
    /// ``TemplatedLines/lines``. Only when the selection asked for ``LogSelection/templatedBlocks``.
    public var templated: TemplatedLines?

    /// A batch of `entries` from the stream labelled `labels`.
    public init(labels: Labels, entries: [LogEntry]) {
        self.labels = labels
        self.entries = entries
        self.templated = nil
    }

    /// A batch of one stored block of the stream labelled `labels`.
    public init(labels: Labels, templated: TemplatedLines) {
        self.labels = labels
        self.entries = []
        self.templated = templated
    }
}
