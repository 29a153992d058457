public import VigilModel

/// Which way a log query reads time: Loki's `direction` parameter.
public enum LogDirection: String, Sendable, Hashable {
    /// Oldest first.
    case forward
    /// Newest first (Loki's default for log queries).
    case backward
}

/// What the engine asks a `LogSource` for: the streams whose labels match, inside a time window.
public struct LogSelection: Sendable, Hashable {
    /// Every matcher must hold on a stream's labels (a LogQL stream selector).
    public var matchers: [LabelMatcher]
    /// Inclusive start, nanoseconds since the epoch.
    public var start: Int64
    /// Exclusive end, nanoseconds since the epoch.
    public var end: Int64
    /// Order of entries within each stream and of batches within a stream.
    public var direction: LogDirection
    /// Byte strings every wanted line contains, taken from the query's leading `|=` filters.
    ///
    /// A source may use them to skip chunks its token filters rule out. It may also ignore them and
    /// return lines without them: the engine applies the filters again.
    public var requiredSubstrings: [[UInt8]]
    /// Whether the caller takes stored blocks as ``TemplatedLines`` (``LogStreamBatch/templated``)
    /// instead of lines. A source may still send lines; only forward selections get blocks.
    public var templatedBlocks: Bool

    /// A selection of streams matching `matchers` in [`start`, `end`).
    public init(
        matchers: [LabelMatcher], start: Int64, end: Int64, direction: LogDirection = .forward,
        requiredSubstrings: [[UInt8]] = [], templatedBlocks: Bool = false
    ) {
        self.matchers = matchers
        self.start = start
        self.end = end
        self.direction = direction
        self.requiredSubstrings = requiredSubstrings
        self.templatedBlocks = templatedBlocks
    }
}
