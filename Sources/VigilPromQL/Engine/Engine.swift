public import VigilTSDB
import VigilModel

/// The PromQL engine: evaluates instant and range queries against a ``Querier`` with
/// Prometheus 2.53's semantics (float samples).
///
/// A value type without shared state; one engine may run any number of queries concurrently.
public struct Engine: Sendable {
    /// The limits and defaults.
    public let options: EngineOptions

    /// An engine with `options`.
    public init(options: EngineOptions = EngineOptions()) {
        self.options = options
    }

    /// Evaluates `query` at `time` (ms), as `/api/v1/query` does.
    public func instantQuery(_ query: String, time: Int64, querier: any Querier) throws(PromQLError) -> QueryResult {
        let expr = try parse(query)
        let context = EvalContext(querier: querier, options: options, queryStart: time, queryEnd: time)
        let evaluator = Evaluator(start: time, end: time, interval: 1, context: context)
        let value = try evaluator.eval(expr)
        switch value {
        case .string(let text):
            return QueryResult(value: .string(time, text), warnings: context.warnings)
        case .matrix(let series):
            switch expr.type {
            case .scalar:
                return QueryResult(value: .scalar(time, series.first?.points.first?.f ?? .nan), warnings: context.warnings)
            case .matrix:
                return QueryResult(value: .matrix(Engine.sortedMatrix(series)), warnings: context.warnings)
            default:
                let vector = series.map { VectorSample(labels: $0.labels, timestamp: time, value: $0.points[0].f) }
                return QueryResult(value: .vector(vector), warnings: context.warnings)
            }
        }
    }

    /// Evaluates `query` at `start`, `start + step`, … up to `end` (all ms), as
    /// `/api/v1/query_range` does. The result is a matrix sorted by labels.
    public func rangeQuery(_ query: String, start: Int64, end: Int64, step: Int64, querier: any Querier) throws(PromQLError) -> QueryResult {
        if end < start { throw PromQLError(.badData, "end timestamp must not be before start time") }
        if step <= 0 {
            throw PromQLError(.badData, "zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        if (end - start) / step > options.maxPointsPerSeries {
            throw PromQLError(
                .badData,
                "exceeded maximum resolution of \(Engine.thousands(options.maxPointsPerSeries)) points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        let expr = try parse(query)
        guard expr.type == .scalar || expr.type == .vector else {
            throw PromQLError(
                .badData, "invalid expression type \"\(expr.type.documentedName)\" for range query, must be Scalar or instant Vector")
        }
        let context = EvalContext(querier: querier, options: options, queryStart: start, queryEnd: end)
        let evaluator = Evaluator(start: start, end: end, interval: step, context: context)
        guard case .matrix(let series) = try evaluator.eval(expr) else {
            throw PromQLError(.internal, "unexpected string result")
        }
        return QueryResult(value: .matrix(Engine.sortedMatrix(series)), warnings: context.warnings)
    }

    private func parse(_ query: String) throws(PromQLError) -> Expr {
        do {
            return try PromQL.parse(query, options: PromQL.ParseOptions(enableExperimentalFunctions: options.enableExperimentalFunctions))
        } catch {
            throw PromQLError(.badData, error.description)
        }
    }

    static func sortedMatrix(_ series: [Series]) -> [MatrixSeries] {
        series.sorted { $0.labels < $1.labels }.map { item in
            MatrixSeries(labels: item.labels, points: item.points.map { ($0.t, $0.f) })
        }
    }

    static func thousands(_ value: Int64) -> String {
        var digits = String(value)
        var result = ""
        while digits.count > 3 {
            result = "," + digits.suffix(3) + result
            digits.removeLast(3)
        }
        return digits + result
    }
}
