import VigilModel

/// Answers log queries: runs the pipeline over the selected streams, keeps the `limit` entries
/// nearest the query's starting edge (newest for backward), and groups them by their labels.
struct LogQueryEvaluator {
    let source: any LogSource
    let limits: LogQLLimits

    func evaluate(
        _ selector: LogSelectorExpr, start: Int64, end: Int64, limit: Int, direction: LogDirection,
        statistics: inout LogQLStatistics
    ) async throws -> [LogStreamResult] {
        let pipeline = try CompiledPipeline(selector.stages)
        let selection = LogSelection(
            matchers: selector.matchers, start: start, end: end, direction: direction,
            requiredSubstrings: selector.requiredSubstrings)
        let deadline = ContinuousClock().now.advanced(by: limits.timeout)
        var candidates: [(labels: Labels, entry: LogEntry)] = []
        var currentStream: Labels?
        var takenFromStream = 0
        var counted = 0
        var stats = statistics
        try await source.select(selection) { batch in
            if batch.labels != currentStream {
                currentStream = batch.labels
                takenFromStream = 0
            }
            // Entries of a stream arrive in direction order, so after `limit` of them the rest
            // of the stream can never make the answer.
            guard takenFromStream < limit else { return true }
            let fast = pipeline.onlyLineFilters
            for entry in batch.entries {
                counted += 1
                if counted & 0xFFF == 0, ContinuousClock().now > deadline || Task.isCancelled {
                    throw LogQLEngineError.timedOut
                }
                stats.totalLinesProcessed += 1
                stats.totalBytesProcessed += entry.line.count
                if !entry.metadata.isEmpty { stats.totalStructuredMetadataBytesProcessed += entry.metadata.byteCount }
                if fast && entry.metadata.isEmpty {
                    guard entry.line.withUnsafeBytes({ pipeline.passesLineFilters($0) }) else { continue }
                    candidates.append((batch.labels, entry))
                } else {
                    var labels = LineLabels(base: batch.labels.merging(metadata: entry.metadata))
                    guard let line = pipeline.run(line: entry.line, timestamp: entry.timestamp, labels: &labels) else {
                        continue
                    }
                    candidates.append((labels.build(), LogEntry(timestamp: entry.timestamp, line: line, metadata: entry.metadata)))
                }
                stats.totalPostFilterLines += 1
                takenFromStream += 1
                if takenFromStream >= limit { break }
            }
            return true
        }
        // The `limit` entries nearest the start edge across every stream.
        if direction == .forward {
            candidates.sort { $0.entry.timestamp < $1.entry.timestamp }
        } else {
            candidates.sort { $0.entry.timestamp > $1.entry.timestamp }
        }
        if candidates.count > limit { candidates.removeSubrange(limit...) }
        var byLabels: [Labels: [LogEntry]] = [:]
        for candidate in candidates {
            byLabels[candidate.labels, default: []].append(candidate.entry)
        }
        var streams = byLabels.map { LogStreamResult(labels: $0.key, entries: $0.value) }
        streams.sort { $0.labels.description < $1.labels.description }
        stats.totalEntriesReturned = candidates.count
        statistics = stats
        return streams
    }
}
