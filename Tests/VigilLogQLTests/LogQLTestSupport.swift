import VigilLogQL
import VigilModel

/// Seconds to nanoseconds.
func ns(_ seconds: Double) -> Int64 { Int64(seconds * 1e9) }

/// A source with the given lines: `(labels, seconds, line)`.
func source(_ lines: [(Labels, Double, String)]) -> InMemoryLogSource {
    let source = InMemoryLogSource()
    for (labels, seconds, line) in lines {
        source.append(labels, timestamp: ns(seconds), line: line)
    }
    return source
}

/// Runs a log query over [0, 1000 s) and returns each stream's labels and lines.
func logs(
    _ query: String, _ source: InMemoryLogSource, limit: Int = 1000, direction: LogDirection = .forward
) async throws -> [(labels: Labels, lines: [String])] {
    let response = try await LogQLEngine(source: source).rangeQuery(
        query, start: 0, end: ns(1000), step: ns(1), limit: limit, direction: direction)
    guard case .streams(let streams) = response.result else { return [] }
    return streams.map { ($0.labels, $0.entries.map { String(decoding: $0.line, as: UTF8.self) }) }
}

/// All lines of a log query, across streams, in timestamp order.
func lines(_ query: String, _ source: InMemoryLogSource) async throws -> [String] {
    let response = try await LogQLEngine(source: source).rangeQuery(
        query, start: 0, end: ns(1000), step: ns(1), limit: 1000, direction: .forward)
    guard case .streams(let streams) = response.result else { return [] }
    return streams.flatMap(\.entries).sorted { $0.timestamp < $1.timestamp }.map { String(decoding: $0.line, as: UTF8.self) }
}

/// An instant query's vector as `labels description → value`.
func instant(_ query: String, _ source: InMemoryLogSource, at seconds: Double) async throws -> [String: Double] {
    let response = try await LogQLEngine(source: source).instantQuery(query, time: ns(seconds))
    switch response.result {
    case .vector(let series):
        var result: [String: Double] = [:]
        for item in series { result[item.labels.description] = item.points[0].value }
        return result
    case .scalar(let point): return ["scalar": point.value]
    default: return [:]
    }
}

/// A range query's matrix as `labels description → [(seconds, value)]`.
func matrix(_ query: String, _ source: InMemoryLogSource, start: Double, end: Double, step: Double) async throws
    -> [String: [Double: Double]]
{
    let response = try await LogQLEngine(source: source).rangeQuery(query, start: ns(start), end: ns(end), step: ns(step))
    guard case .matrix(let series) = response.result else { return [:] }
    var result: [String: [Double: Double]] = [:]
    for item in series {
        var points: [Double: Double] = [:]
        for point in item.points { points[Double(point.timestamp) / 1e9] = point.value }
        result[item.labels.description] = points
    }
    return result
}
