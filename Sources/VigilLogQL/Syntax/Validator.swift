import VigilModel
/// The checks Loki makes after parsing (`pkg/logql/syntax` validation): reported as whole-query
/// errors, `parse error : …`.
enum Validator {
    static let unwrapOnly: Set<String> = [
        "sum_over_time", "avg_over_time", "min_over_time", "max_over_time", "stddev_over_time", "stdvar_over_time",
        "quantile_over_time", "first_over_time", "last_over_time", "rate_counter",
    ]
    static let linesOnly: Set<String> = ["count_over_time", "bytes_over_time", "bytes_rate", "absent_over_time"]

    static let emptyMatcherMessage =
        "queries require at least one regexp or equality matcher that does not have an empty-compatible value. "
        + "For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will"

    static func validate(_ expr: LogQLExpr) throws(LogQLParseError) {
        switch expr {
        case .logs(let selector): try validate(selector)
        case .metric(let metric): try validate(metric)
        }
    }

    static func validate(_ selector: LogSelectorExpr) throws(LogQLParseError) {
        guard selector.matchers.contains(where: { !$0.matchesEmpty }) else {
            throw LogQLParseError(message: emptyMatcherMessage)
        }
    }

    static func validate(_ expr: MetricExpr) throws(LogQLParseError) {
        switch expr {
        case .rangeAggregation(let aggregation):
            try validate(aggregation.range.selector)
            let function = aggregation.function
            if aggregation.range.unwrap == nil, unwrapOnly.contains(function) {
                throw LogQLParseError(message: "invalid aggregation \(function) without unwrap")
            }
            if aggregation.range.unwrap != nil, linesOnly.contains(function) {
                throw LogQLParseError(message: "invalid aggregation \(function) with unwrap")
            }
            if aggregation.grouping != nil, aggregation.range.unwrap == nil {
                throw LogQLParseError(message: "grouping not allowed for \(function) aggregation")
            }
        case .vectorAggregation(let aggregation): try validate(aggregation.inner)
        case .binary(let binary):
            try validate(binary.lhs)
            try validate(binary.rhs)
        case .labelReplace(let replace): try validate(replace.inner)
        case .number, .vector: break
        }
    }
}
