public import VigilModel

/// PromQL as Prometheus 2.53 parses it.
public enum PromQL {
    /// Parser settings.
    public struct ParseOptions: Sendable, Hashable {
        /// Accept the experimental functions (`mad_over_time`, `sort_by_label`,
        /// `sort_by_label_desc`), as `--enable-feature=promql-experimental-functions` does.
        public var enableExperimentalFunctions: Bool
        /// The deepest expression tree accepted (parentheses, calls, operators, subqueries and
        /// operands of a binary chain each add a level). Prometheus has no limit; Vigil has one so
        /// a hostile query cannot exhaust the stack of the thread parsing, printing or evaluating
        /// it. Parsing takes about 2.5–4 KiB of stack per level in release builds (up to 14 KiB
        /// in debug builds), so 128 levels fit well within a 1 MiB stack.
        public var maximumDepth: Int

        /// Prometheus's defaults, with a depth limit of 128.
        public init(enableExperimentalFunctions: Bool = false, maximumDepth: Int = 128) {
            self.enableExperimentalFunctions = enableExperimentalFunctions
            self.maximumDepth = maximumDepth
        }
    }

    /// Parses and type-checks a query (`parser.ParseExpr`).
    ///
    /// The error is the first one Prometheus would report, with its message and position.
    public static func parse(_ query: String, options: ParseOptions = ParseOptions()) throws(PromQLParseError) -> Expr {
        var parser = Parser(query, options: options)
        return try parser.parseQuery()
    }

    /// Parses a series selector such as `up{job="node"}` into its matchers
    /// (`parser.ParseMetricSelector`, used for `match[]`). It does not require a non-empty
    /// matcher; callers check that where Prometheus does.
    public static func parseMetricSelector(_ selector: String) throws(PromQLParseError) -> [LabelMatcher] {
        var parser = Parser(selector, options: ParseOptions())
        return try parser.parseMetricSelector()
    }
}
