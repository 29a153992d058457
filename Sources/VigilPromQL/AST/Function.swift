/// A PromQL function: its name, argument types and result type (`promql/parser/functions.go`,
/// Prometheus 2.53).
public struct Function: Sendable, Hashable {
    /// The name.
    public let name: String
    /// The argument types; with ``variadic`` set, the last one repeats.
    public let argumentTypes: [ValueType]
    /// 0: exactly ``argumentTypes``; n > 0: the last argument may be omitted or repeated up to
    /// n times in total; -1: the last argument may be omitted or repeated without limit.
    public let variadic: Int
    /// The result type.
    public let returnType: ValueType
    /// Needs `--enable-feature=promql-experimental-functions`.
    public let isExperimental: Bool

    init(_ name: String, _ argumentTypes: [ValueType], variadic: Int = 0, returns returnType: ValueType = .vector, experimental: Bool = false) {
        self.name = name
        self.argumentTypes = argumentTypes
        self.variadic = variadic
        self.returnType = returnType
        self.isExperimental = experimental
    }

    /// The function called `name`, if Prometheus 2.53 has one.
    public static func named(_ name: String) -> Function? { table[name] }

    /// Every function, by name.
    public static let all: [String: Function] = table

    private static let table: [String: Function] = {
        var table: [String: Function] = [:]
        for function in list { table[function.name] = function }
        return table
    }()

    private static let list: [Function] = [
        Function("abs", [.vector]),
        Function("absent", [.vector]),
        Function("absent_over_time", [.matrix]),
        Function("acos", [.vector]),
        Function("acosh", [.vector]),
        Function("asin", [.vector]),
        Function("asinh", [.vector]),
        Function("atan", [.vector]),
        Function("atanh", [.vector]),
        Function("avg_over_time", [.matrix]),
        Function("ceil", [.vector]),
        Function("changes", [.matrix]),
        Function("clamp", [.vector, .scalar, .scalar]),
        Function("clamp_max", [.vector, .scalar]),
        Function("clamp_min", [.vector, .scalar]),
        Function("cos", [.vector]),
        Function("cosh", [.vector]),
        Function("count_over_time", [.matrix]),
        Function("day_of_month", [.vector], variadic: 1),
        Function("day_of_week", [.vector], variadic: 1),
        Function("day_of_year", [.vector], variadic: 1),
        Function("days_in_month", [.vector], variadic: 1),
        Function("deg", [.vector]),
        Function("delta", [.matrix]),
        Function("deriv", [.matrix]),
        Function("exp", [.vector]),
        Function("floor", [.vector]),
        Function("histogram_avg", [.vector]),
        Function("histogram_count", [.vector]),
        Function("histogram_fraction", [.scalar, .scalar, .vector]),
        Function("histogram_quantile", [.scalar, .vector]),
        Function("histogram_stddev", [.vector]),
        Function("histogram_stdvar", [.vector]),
        Function("histogram_sum", [.vector]),
        Function("holt_winters", [.matrix, .scalar, .scalar]),
        Function("hour", [.vector], variadic: 1),
        Function("idelta", [.matrix]),
        Function("increase", [.matrix]),
        Function("irate", [.matrix]),
        Function("label_join", [.vector, .string, .string, .string], variadic: -1),
        Function("label_replace", [.vector, .string, .string, .string, .string]),
        Function("last_over_time", [.matrix]),
        Function("ln", [.vector]),
        Function("log10", [.vector]),
        Function("log2", [.vector]),
        Function("mad_over_time", [.matrix], experimental: true),
        Function("max_over_time", [.matrix]),
        Function("min_over_time", [.matrix]),
        Function("minute", [.vector], variadic: 1),
        Function("month", [.vector], variadic: 1),
        Function("pi", [], returns: .scalar),
        Function("predict_linear", [.matrix, .scalar]),
        Function("present_over_time", [.matrix]),
        Function("quantile_over_time", [.scalar, .matrix]),
        Function("rad", [.vector]),
        Function("rate", [.matrix]),
        Function("resets", [.matrix]),
        Function("round", [.vector, .scalar], variadic: 1),
        Function("scalar", [.vector], returns: .scalar),
        Function("sgn", [.vector]),
        Function("sin", [.vector]),
        Function("sinh", [.vector]),
        Function("sort", [.vector]),
        Function("sort_by_label", [.vector, .string], variadic: -1, experimental: true),
        Function("sort_by_label_desc", [.vector, .string], variadic: -1, experimental: true),
        Function("sort_desc", [.vector]),
        Function("sqrt", [.vector]),
        Function("stddev_over_time", [.matrix]),
        Function("stdvar_over_time", [.matrix]),
        Function("sum_over_time", [.matrix]),
        Function("tan", [.vector]),
        Function("tanh", [.vector]),
        Function("time", [], returns: .scalar),
        Function("timestamp", [.vector]),
        Function("vector", [.scalar]),
        Function("year", [.vector], variadic: 1),
    ]
}
