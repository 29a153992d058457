public import VigilModel

/// What ``ExpositionParser/next()`` found on the line it just read.
///
/// Entries carry no payload; read the details from the parser's accessors, which stay valid
/// until the next call to `next()`. This keeps `next()` free of allocations.
public enum ExpositionEntry: Sendable, Hashable {
    /// A `# HELP` line: ``ExpositionParser/metricName`` and ``ExpositionParser/helpText()``.
    case help
    /// A `# TYPE` line: ``ExpositionParser/metricName`` and ``ExpositionParser/metricType``.
    case type
    /// An OpenMetrics `# UNIT` line: ``ExpositionParser/metricName`` and ``ExpositionParser/unit()``.
    case unit
    /// A free comment (text format only): ``ExpositionParser/comment``.
    case comment
    /// A sample: ``ExpositionParser/series``, ``ExpositionParser/value``,
    /// ``ExpositionParser/timestamp``, ``ExpositionParser/labels()``, ``ExpositionParser/exemplar()``.
    case series
}

/// A pull parser over one exposition held in memory, implemented by ``TextParser`` and
/// ``OpenMetricsParser``.
///
/// Write scrape loops generically (`func ingest<P: ExpositionParser>(_ parser: inout P)`) so they
/// are specialised, never through `any ExpositionParser`. The parser reads the caller's buffer in
/// place: the buffer must outlive it, and every byte view it returns.
public protocol ExpositionParser {
    /// Reads the next entry; `nil` at the end of a valid exposition.
    ///
    /// Allocates nothing per sample once its internal scratch buffers have grown to the widest
    /// line seen. After an error the parser must not be used again.
    mutating func next() throws(ExpositionError) -> ExpositionEntry?

    /// Like ``next()``, but a parser may take a sample line whose series is written exactly as
    /// `expected` without parsing its name and labels again, and then sets ``matchedExpected``.
    /// `expected` must be a series bytes view this kind of parser returned before. The default
    /// reads the line in full and never matches.
    mutating func next(expecting expected: UnsafeRawBufferPointer) throws(ExpositionError) -> ExpositionEntry?
    /// Whether the last entry read was a sample of the series `next(expecting:)` named.
    var matchedExpected: Bool { get }

    /// The metric name of the current help, type, unit or series entry, as raw bytes.
    var metricName: UnsafeRawBufferPointer { get }
    /// The current type entry's type.
    var metricType: MetricType { get }
    /// The current comment's text after `#`, as raw bytes.
    var comment: UnsafeRawBufferPointer { get }
    /// The current help or unit entry's text as written (escapes not undone): what a caller
    /// compares before paying for ``helpText()`` or ``unit()``.
    var metadataText: UnsafeRawBufferPointer { get }
    /// The current series' name and label set exactly as written: the key for a ``SeriesCache``.
    var series: UnsafeRawBufferPointer { get }
    /// The current sample's value.
    var value: Double { get }
    /// The current sample's timestamp in milliseconds, if it had one.
    var timestamp: Timestamp? { get }
    /// Whether the current sample carries an exemplar.
    var hasExemplar: Bool { get }

    /// The current help entry's text, unescaped (allocates).
    func helpText() -> String
    /// The current unit entry's unit (allocates).
    func unit() -> String
    /// The current series' labels including `__name__`, unescaped (allocates; call on cache miss).
    func labels() -> Labels
    /// The current sample's exemplar, if any (allocates).
    func exemplar() -> Exemplar?
}

extension ExpositionParser {
    /// Reads the next entry in full (see ``ExpositionParser/next(expecting:)``).
    public mutating func next(expecting expected: UnsafeRawBufferPointer) throws(ExpositionError) -> ExpositionEntry? {
        try next()
    }

    /// Always false: this parser never takes a line as expected.
    public var matchedExpected: Bool { false }
}
