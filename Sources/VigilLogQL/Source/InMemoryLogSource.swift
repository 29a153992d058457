public import VigilModel
import Synchronization

/// A ``LogSource`` over streams held in memory: for tests, benchmarks, and small embedded uses
/// (a tail buffer). Appends and reads are safe from any thread.
public final class InMemoryLogSource: LogSource, Sendable {
    private struct Stream {
        var labels: Labels
        var entries: [LogEntry]
        var sorted = true
    }

    private let streams = Mutex<[Labels: Stream]>([:])

    /// An empty source.
    public init() {}

    /// Appends entries to the stream labelled `labels` (any order; reads sort them).
    public func append(_ labels: Labels, _ entries: [LogEntry]) {
        streams.withLock { streams in
            var stream = streams[labels] ?? Stream(labels: labels, entries: [])
            if let last = stream.entries.last, let first = entries.first, first.timestamp < last.timestamp {
                stream.sorted = false
            }
            for (previous, next) in zip(entries, entries.dropFirst()) where next.timestamp < previous.timestamp {
                stream.sorted = false
                break
            }
            stream.entries.append(contentsOf: entries)
            streams[labels] = stream
        }
    }

    /// Appends one line.
    public func append(_ labels: Labels, timestamp: Int64, line: String, metadata: Labels = Labels()) {
        append(labels, [LogEntry(timestamp: timestamp, line: Array(line.utf8), metadata: metadata)])
    }

    private func snapshot(_ matchers: [LabelMatcher]) -> [Stream] {
        streams.withLock { streams in
            var selected: [Stream] = []
            for key in streams.keys where matchers.allSatisfy({ $0.matches(key[$0.name] ?? "") }) {
                if !streams[key]!.sorted {
                    // Stable, so entries with equal timestamps keep their append order.
                    let ordered = streams[key]!.entries.enumerated().sorted {
                        ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset)
                    }.map(\.element)
                    streams[key]!.entries = ordered
                    streams[key]!.sorted = true
                }
                selected.append(streams[key]!)
            }
            return selected
        }
    }

    /// Batches of at most this many entries, so the engine sees a stream in several batches as
    /// it would from chunks.
    static let batchSize = 1024

    public func select(_ selection: LogSelection, _ visit: (LogStreamBatch) throws -> Bool) async throws {
        for stream in snapshot(selection.matchers) {
            let entries = stream.entries
            // Binary search the window.
            let lower = Self.firstIndex(entries, atOrAfter: selection.start)
            let upper = Self.firstIndex(entries, atOrAfter: selection.end)
            guard lower < upper else { continue }
            if selection.direction == .forward {
                var offset = lower
                while offset < upper {
                    let end = min(offset + Self.batchSize, upper)
                    guard try visit(LogStreamBatch(labels: stream.labels, entries: Array(entries[offset..<end]))) else { return }
                    offset = end
                }
            } else {
                var offset = upper
                while offset > lower {
                    let start = max(offset - Self.batchSize, lower)
                    guard try visit(LogStreamBatch(labels: stream.labels, entries: entries[start..<offset].reversed())) else {
                        return
                    }
                    offset = start
                }
            }
        }
    }

    static func firstIndex(_ entries: [LogEntry], atOrAfter time: Int64) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].timestamp < time { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private func hasEntries(_ stream: Stream, _ start: Int64, _ end: Int64) -> Bool {
        stream.entries.contains { $0.timestamp >= start && $0.timestamp < end }
    }

    public func labelNames(start: Int64, end: Int64) async throws -> [String] {
        var names = Set<String>()
        for stream in snapshot([]) where hasEntries(stream, start, end) {
            for label in stream.labels { names.insert(label.name) }
        }
        return names.sorted()
    }

    public func labelValues(_ name: String, matchers: [LabelMatcher], start: Int64, end: Int64) async throws -> [String] {
        var values = Set<String>()
        for stream in snapshot(matchers) where hasEntries(stream, start, end) {
            if let value = stream.labels[name] { values.insert(value) }
        }
        return values.sorted()
    }
}
