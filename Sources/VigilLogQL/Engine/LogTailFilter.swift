public import VigilModel

/// A log query compiled for Loki's `tail`: decides which streams of newly appended batches the
/// selector matches and runs the query's pipeline over their entries, exactly as `query_range`
/// does, so a tail shows the same lines a range query over the same window would.
public struct LogTailFilter: Sendable {
    /// The parsed selector and pipeline.
    public let selector: LogSelectorExpr
    private let pipeline: CompiledPipeline

    /// Compiles `query`, refusing a metric query with Loki's message.
    public init(query: String) throws {
        guard case .logs(let selector) = try LogQLParser.parse(query) else {
            throw LogQLParseError(message: "only log selector is supported")
        }
        self.selector = selector
        self.pipeline = try CompiledPipeline(selector.stages)
    }

    /// Whether a stream labelled `labels` is selected by the query's matchers.
    public func selects(_ labels: Labels) -> Bool {
        selector.matchers.allSatisfy { $0.matches(labels[$0.name] ?? "") }
    }

    /// The entries of `batch` at or after `from` (ns) that pass the pipeline, grouped by their
    /// labels after the pipeline (parsers and `label_format` may split one stream into several).
    public func apply(_ batch: LogStreamBatch, from: Int64 = .min) -> [LogStreamResult] {
        guard selects(batch.labels) else { return [] }
        var order: [Labels] = []
        var byLabels: [Labels: [LogEntry]] = [:]
        for entry in batch.entries where entry.timestamp >= from {
            var labels = LineLabels(base: batch.labels.merging(metadata: entry.metadata))
            guard let line = pipeline.run(line: entry.line, timestamp: entry.timestamp, labels: &labels) else { continue }
            let built = labels.build()
            if byLabels[built] == nil { order.append(built) }
            byLabels[built, default: []].append(LogEntry(timestamp: entry.timestamp, line: line, metadata: entry.metadata))
        }
        return order.map { LogStreamResult(labels: $0, entries: byLabels[$0] ?? []) }
    }
}
