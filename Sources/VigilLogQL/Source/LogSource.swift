public import VigilModel

/// The seam between LogQL and storage: the log store implements it, and tests use in-memory streams.
///
/// The engine never sees chunks, indexes or files; it asks for the entries of the streams a selector
/// matches and runs the rest of the pipeline itself.
public protocol LogSource: Sendable {
    /// Calls `visit` with the matching streams' entries in the window, stream by stream, until it
    /// returns false or everything was visited.
    ///
    /// Batches of one stream are consecutive and ordered by `selection.direction`; the order of
    /// streams is unspecified.
    func select(_ selection: LogSelection, _ visit: (LogStreamBatch) throws -> Bool) async throws

    /// Label names of the streams with entries in [`start`, `end`), sorted (Loki's `/labels`).
    func labelNames(start: Int64, end: Int64) async throws -> [String]

    /// Values of `name` among streams matching `matchers` in [`start`, `end`), sorted.
    func labelValues(
        _ name: String, matchers: [LabelMatcher], start: Int64, end: Int64
    ) async throws -> [String]
}
