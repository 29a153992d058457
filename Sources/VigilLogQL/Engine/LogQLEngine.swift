public import VigilModel

/// Runs LogQL queries against a ``LogSource``: log queries (lines, with direction and limit) and
/// metric queries (instant and range), with Loki's limits and semantics.
///
/// A value type holding the source and limits; safe to share across tasks.
public struct LogQLEngine: Sendable {
    /// Where lines come from.
    public let source: any LogSource
    /// Per-query limits.
    public let limits: LogQLLimits

    /// An engine over `source`.
    public init(source: any LogSource, limits: LogQLLimits = LogQLLimits()) {
        self.source = source
        self.limits = limits
    }

    /// Loki's `/loki/api/v1/query`: a metric query evaluated at `time` (ns). A log query is
    /// refused as Loki refuses it.
    public func instantQuery(_ query: String, time: Int64, limit: Int = 100, direction: LogDirection = .backward) async throws
        -> LogQLResponse
    {
        let expr = try parseForEngine(query)
        guard case .metric(let metric) = expr else {
            throw LogQLEngineError.badQuery(
                "log queries are not supported as an instant query type, please change your query to a range query type")
        }
        var context = EvaluationContext(limits: limits, steps: StepRange(start: time, end: time, step: 0))
        let clock = ContinuousClock()
        let started = clock.now
        let series = try await MetricEvaluator(source: source).evaluateTop(metric, &context)
        var statistics = context.statistics
        statistics.execTime = Self.seconds(clock.now - started)
        if metric.isScalar {
            let value = series.first?.points.first?.value ?? .nan
            statistics.totalEntriesReturned = 1
            return LogQLResponse(result: .scalar(MetricPoint(timestamp: time, value: value)), statistics: statistics)
        }
        statistics.totalEntriesReturned = series.count
        return LogQLResponse(result: .vector(series), statistics: statistics)
    }

    /// Loki's `/loki/api/v1/query_range`: a log query over [`start`, `end`) returning up to
    /// `limit` entries in `direction`, or a metric query evaluated every `step` ns from `start`
    /// to `end` inclusive.
    public func rangeQuery(
        _ query: String, start: Int64, end: Int64, step: Int64, limit: Int = 100, direction: LogDirection = .backward
    ) async throws -> LogQLResponse {
        let expr = try parseForEngine(query)
        let clock = ContinuousClock()
        let started = clock.now
        switch expr {
        case .logs(let selector):
            guard limit <= limits.maxEntriesPerQuery else {
                throw LogQLEngineError.entriesLimit(requested: limit, limit: limits.maxEntriesPerQuery)
            }
            var statistics = LogQLStatistics()
            let streams = try await LogQueryEvaluator(source: source, limits: limits).evaluate(
                selector, start: start, end: end, limit: limit, direction: direction, statistics: &statistics)
            statistics.execTime = Self.seconds(clock.now - started)
            return LogQLResponse(result: .streams(streams), statistics: statistics)
        case .metric(let metric):
            guard step > 0 else {
                throw LogQLEngineError.badQuery("zero or negative query resolution step widths are not accepted. Try a positive integer")
            }
            guard end >= start else { throw LogQLEngineError.badQuery("end timestamp must not be before start time") }
            guard (end - start) / step < Int64(limits.maxPoints) else {
                throw LogQLEngineError.badQuery(
                    "exceeded maximum resolution of 11,000 points per timeseries. Try increasing the value of the step parameter")
            }
            var context = EvaluationContext(limits: limits, steps: StepRange(start: start, end: end, step: step))
            let series = try await MetricEvaluator(source: source).evaluateTop(metric, &context)
            var statistics = context.statistics
            statistics.execTime = Self.seconds(clock.now - started)
            statistics.totalEntriesReturned = series.reduce(0) { $0 + $1.points.count }
            return LogQLResponse(result: .matrix(series), statistics: statistics)
        }
    }

    /// Loki's default `step` for `query_range` without one: the range over 250 points, at
    /// least one second (ns in, ns out).
    public static func defaultStep(start: Int64, end: Int64) -> Int64 {
        max((end - start) / 250 / 1_000_000_000, 1) * 1_000_000_000
    }

    private func parseForEngine(_ query: String) throws(LogQLParseError) -> LogQLExpr {
        try LogQLParser.parse(query)
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// The step times of a metric query: `start`, `start+step`, … ≤ `end` (one time for an instant
/// query).
struct StepRange: Sendable {
    let start: Int64
    let end: Int64
    let step: Int64

    var count: Int { step == 0 ? 1 : Int((end - start) / step) + 1 }

    func time(_ index: Int) -> Int64 { start + Int64(index) * step }
}

/// State shared down one evaluation: limits, deadline, statistics.
struct EvaluationContext {
    let limits: LogQLLimits
    let steps: StepRange
    let deadline: ContinuousClock.Instant
    var statistics = LogQLStatistics()

    init(limits: LogQLLimits, steps: StepRange) {
        self.limits = limits
        self.steps = steps
        deadline = ContinuousClock().now.advanced(by: limits.timeout)
    }

    func checkDeadline() throws(LogQLEngineError) {
        if ContinuousClock().now > deadline || Task.isCancelled { throw LogQLEngineError.timedOut }
    }
}

extension LogSelectorExpr {
    /// The literals of the leading `|=` filters (with one operand each): every line the query
    /// wants contains them, so the store may skip chunks that do not.
    var requiredSubstrings: [[UInt8]] {
        var result: [[UInt8]] = []
        for stage in stages {
            guard case .lineFilter(let filter) = stage else { break }
            if filter.op == .contains, filter.values.count == 1, case .text(let text) = filter.values[0], !text.isEmpty {
                result.append(Array(text.utf8))
            } else if filter.op == .contains || filter.op == .matches {
                // An alternation or regex: nothing is required, but later filters still are.
                continue
            }
        }
        return result
    }
}

extension Labels {
    /// Bytes of names and values, as Loki counts structured metadata.
    var byteCount: Int { reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count } }

    /// `labels` merged with structured `metadata` (metadata wins on a clash, as Loki's label
    /// builder lets it).
    func merging(metadata: Labels) -> Labels {
        if metadata.isEmpty { return self }
        var builder = LabelsBuilder(self)
        for label in metadata { builder.set(label.name, label.value) }
        return builder.build()
    }
}
