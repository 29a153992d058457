public import VigilModel
import VigilTemplate

/// A parsed LogQL query: either a log query (returns lines) or a metric query (returns samples).
public enum LogQLExpr: Sendable, Hashable, CustomStringConvertible {
    /// `{app="api"} |= "error" | json`
    case logs(LogSelectorExpr)
    /// `rate({app="api"}[5m])`, `sum by (x) (…)`, `1 + 2`.
    case metric(MetricExpr)

    /// The canonical query text.
    public var description: String {
        switch self {
        case .logs(let selector): selector.description
        case .metric(let metric): metric.description
        }
    }
}

/// A stream selector and the pipeline that follows it.
public struct LogSelectorExpr: Sendable, Hashable, CustomStringConvertible {
    /// The `{…}` matchers.
    public var matchers: [LabelMatcher]
    /// The stages after the selector, in order.
    public var stages: [PipelineStage]

    /// A selector with its pipeline.
    public init(matchers: [LabelMatcher], stages: [PipelineStage] = []) {
        self.matchers = matchers
        self.stages = stages
    }

    /// `{a="b"} |= "x" | json`.
    public var description: String {
        var out = "{" + matchers.map(\.description).joined(separator: ", ") + "}"
        for stage in stages { out += " " + stage.description }
        return out
    }
}

/// The line filter operators.
public enum LineFilterOperator: String, Sendable, Hashable {
    /// `|=`: contains.
    case contains = "|="
    /// `!=`: does not contain.
    case notContains = "!="
    /// `|~`: matches the (unanchored) regex.
    case matches = "|~"
    /// `!~`: does not match the regex.
    case notMatches = "!~"
}

/// One operand of a line filter: a string or `ip("…")`.
public enum LineFilterValue: Sendable, Hashable, CustomStringConvertible {
    /// A literal or regex.
    case text(String)
    /// `ip("192.168.0.0/16")`: lines holding an address in the range.
    case ip(String)

    /// The operand as written.
    public var description: String {
        switch self {
        case .text(let text): GoQuote.quote(text)
        case .ip(let pattern): "ip(\(GoQuote.quote(pattern)))"
        }
    }
}

/// `|= "a" or "b"`: one operator and the alternatives it accepts.
public struct LineFilterExpr: Sendable, Hashable, CustomStringConvertible {
    /// The operator.
    public var op: LineFilterOperator
    /// The operands: for `|=`/`|~` a line passes when any matches; for `!=`/`!~` when none does.
    public var values: [LineFilterValue]

    /// A filter.
    public init(op: LineFilterOperator, values: [LineFilterValue]) {
        self.op = op
        self.values = values
    }

    /// `|= "a" or "b"`.
    public var description: String {
        op.rawValue + " " + values.map(\.description).joined(separator: " or ")
    }
}

/// Comparison operators of label filters.
public enum ComparisonOperator: String, Sendable, Hashable {
    /// `==` or `=`
    case equal = "=="
    /// `!=`
    case notEqual = "!="
    /// `>`
    case greater = ">"
    /// `>=`
    case greaterEqual = ">="
    /// `<`
    case less = "<"
    /// `<=`
    case lessEqual = "<="

    func holds(_ lhs: Double, _ rhs: Double) -> Bool {
        switch self {
        case .equal: lhs == rhs
        case .notEqual: lhs != rhs
        case .greater: lhs > rhs
        case .greaterEqual: lhs >= rhs
        case .less: lhs < rhs
        case .lessEqual: lhs <= rhs
        }
    }
}

/// A label filter: `status >= 400 and method!~"GET|HEAD"`.
public indirect enum LabelFilterExpr: Sendable, Hashable, CustomStringConvertible {
    /// Both hold.
    case and(LabelFilterExpr, LabelFilterExpr)
    /// Either holds.
    case or(LabelFilterExpr, LabelFilterExpr)
    /// A string matcher on the label's value.
    case string(LabelMatcher)
    /// The label read as a number.
    case number(String, ComparisonOperator, Double)
    /// The label read as a Go duration, compared in nanoseconds.
    case duration(String, ComparisonOperator, Int64)
    /// The label read as a byte size.
    case bytes(String, ComparisonOperator, Double, text: String)
    /// `addr = ip("10.0.0.0/8")`, `addr != ip(…)`.
    case ip(String, equal: Bool, pattern: String)

    /// The filter as written, with parentheses making the grouping explicit.
    public var description: String {
        switch self {
        case .and(let lhs, let rhs): "(\(lhs) and \(rhs))"
        case .or(let lhs, let rhs): "(\(lhs) or \(rhs))"
        case .string(let matcher): matcher.description
        case .number(let name, let op, let value): "\(name)\(op.rawValue)\(GoFloat.format(value))"
        case .duration(let name, let op, let value): "\(name)\(op.rawValue)\(GoDuration.format(value))"
        case .bytes(let name, let op, _, let text): "\(name)\(op.rawValue)\(text)"
        case .ip(let name, let equal, let pattern): "\(name)\(equal ? "=" : "!=")ip(\(GoQuote.quote(pattern)))"
        }
    }
}

/// `dst="{{.template}}"` or `dst=src` in `label_format`.
public struct LabelFormatItem: Sendable, Hashable, CustomStringConvertible {
    /// The label written.
    public var destination: String
    /// A template (quoted in the query) or a source label to rename.
    public var value: Value

    /// What a `label_format` item assigns.
    public enum Value: Sendable, Hashable {
        /// A Go template rendered per line.
        case template(String)
        /// The source label, which the rename removes.
        case rename(String)
    }

    /// An item.
    public init(destination: String, value: Value) {
        self.destination = destination
        self.value = value
    }

    /// `dst=src` or `dst="tmpl"`.
    public var description: String {
        switch value {
        case .template(let text): "\(destination)=\(GoQuote.quote(text))"
        case .rename(let source): "\(destination)=\(source)"
        }
    }
}

/// An item of `drop` or `keep`: a bare label name or a matcher on it.
public enum LabelSelectionItem: Sendable, Hashable, CustomStringConvertible {
    /// Every value.
    case name(String)
    /// Only when the matcher holds.
    case matcher(LabelMatcher)

    /// As written.
    public var description: String {
        switch self {
        case .name(let name): name
        case .matcher(let matcher): matcher.description
        }
    }
}

/// `json a="b.c[0]"` or `logfmt a="b"`: extract one key into a label.
public struct ExtractionParameter: Sendable, Hashable, CustomStringConvertible {
    /// The label to set.
    public var label: String
    /// The path (json) or key (logfmt).
    public var expression: String

    /// A parameter.
    public init(label: String, expression: String) {
        self.label = label
        self.expression = expression
    }

    /// `label="expression"`.
    public var description: String { "\(label)=\(GoQuote.quote(expression))" }
}

/// One stage of a log pipeline.
public enum PipelineStage: Sendable, Hashable, CustomStringConvertible {
    /// `|= "x"`, `!~ "re"`, `|= "a" or "b"`.
    case lineFilter(LineFilterExpr)
    /// `| json` or `| json a="b.c"`.
    case json([ExtractionParameter])
    /// `| logfmt [--strict] [--keep-empty] [a="b"]`.
    case logfmt(strict: Bool, keepEmpty: Bool, [ExtractionParameter])
    /// `| regexp "(?P<name>…)"`.
    case regexp(String)
    /// `| pattern "<ip> - <_>"`.
    case pattern(String)
    /// `| unpack`.
    case unpack
    /// `| status >= 400`.
    case labelFilter(LabelFilterExpr)
    /// `| line_format "{{.a}}"`.
    case lineFormat(String)
    /// `| label_format a=b, c="{{.d}}"`.
    case labelFormat([LabelFormatItem])
    /// `| drop a, b="c"`.
    case drop([LabelSelectionItem])
    /// `| keep a, b="c"`.
    case keep([LabelSelectionItem])
    /// `| decolorize`.
    case decolorize

    /// The stage as written.
    public var description: String {
        func parameters(_ list: [ExtractionParameter]) -> String {
            list.isEmpty ? "" : " " + list.map(\.description).joined(separator: ", ")
        }
        switch self {
        case .lineFilter(let filter): return filter.description
        case .json(let list): return "| json" + parameters(list)
        case .logfmt(let strict, let keepEmpty, let list):
            return "| logfmt" + (strict ? " --strict" : "") + (keepEmpty ? " --keep-empty" : "") + parameters(list)
        case .regexp(let pattern): return "| regexp \(GoQuote.quote(pattern))"
        case .pattern(let pattern): return "| pattern \(GoQuote.quote(pattern))"
        case .unpack: return "| unpack"
        case .labelFilter(let filter): return "| \(filter)"
        case .lineFormat(let template): return "| line_format \(GoQuote.quote(template))"
        case .labelFormat(let items): return "| label_format " + items.map(\.description).joined(separator: ", ")
        case .drop(let items): return "| drop " + items.map(\.description).joined(separator: ", ")
        case .keep(let items): return "| keep " + items.map(\.description).joined(separator: ", ")
        case .decolorize: return "| decolorize"
        }
    }
}

/// `| unwrap latency`, `| unwrap duration(took)`, `| unwrap bytes(size)`, with the label filters
/// that may follow it.
public struct UnwrapExpr: Sendable, Hashable, CustomStringConvertible {
    /// How the label's text becomes a number.
    public enum Conversion: String, Sendable, Hashable {
        /// A float.
        case none = ""
        /// A Go duration, in seconds.
        case duration
        /// Same as `duration`.
        case durationSeconds = "duration_seconds"
        /// A byte size.
        case bytes
    }

    /// The label unwrapped.
    public var label: String
    /// The conversion.
    public var conversion: Conversion
    /// Label filters after the unwrap (`| unwrap x | __error__=""`).
    public var postFilters: [LabelFilterExpr]

    /// An unwrap.
    public init(label: String, conversion: Conversion = .none, postFilters: [LabelFilterExpr] = []) {
        self.label = label
        self.conversion = conversion
        self.postFilters = postFilters
    }

    /// `| unwrap duration(x)`.
    public var description: String {
        var out = conversion == .none ? "| unwrap \(label)" : "| unwrap \(conversion.rawValue)(\(label))"
        for filter in postFilters { out += " | \(filter)" }
        return out
    }
}

/// `{…} | pipeline [5m] offset 1h`: the lines one range function reads.
public struct LogRangeExpr: Sendable, Hashable, CustomStringConvertible {
    /// The selector and its pipeline.
    public var selector: LogSelectorExpr
    /// The window, in nanoseconds.
    public var range: Int64
    /// How far back the window is shifted, in nanoseconds.
    public var offset: Int64
    /// The unwrapped label, for sample functions.
    public var unwrap: UnwrapExpr?

    /// A log range.
    public init(selector: LogSelectorExpr, range: Int64, offset: Int64 = 0, unwrap: UnwrapExpr? = nil) {
        self.selector = selector
        self.range = range
        self.offset = offset
        self.unwrap = unwrap
    }

    /// `{a="b"} | json | unwrap x [5m] offset 1h`.
    public var description: String {
        var out = selector.description
        if let unwrap { out += " " + unwrap.description }
        out += " [\(GoDurationParser.format(range))]"
        if offset != 0 { out += " offset \(GoDurationParser.format(offset))" }
        return out
    }
}

/// `by (a, b)` or `without (a)`.
public struct Grouping: Sendable, Hashable, CustomStringConvertible {
    /// Whether the labels are removed (`without`) rather than kept (`by`).
    public var without: Bool
    /// The labels.
    public var labels: [String]

    /// A grouping.
    public init(without: Bool, labels: [String]) {
        self.without = without
        self.labels = labels
    }

    /// `by (a, b)`.
    public var description: String { (without ? "without" : "by") + " (" + labels.joined(separator: ", ") + ")" }
}

/// `count_over_time(…)`, `quantile_over_time(0.99, …) by (x)`.
public struct RangeAggregationExpr: Sendable, Hashable, CustomStringConvertible {
    /// The function name (`rate`, `sum_over_time`, …).
    public var function: String
    /// The lines (and unwrapped values) it reads.
    public var range: LogRangeExpr
    /// φ of `quantile_over_time`.
    public var parameter: Double?
    /// `by`/`without` of the unwrap functions.
    public var grouping: Grouping?

    /// A range aggregation.
    public init(function: String, range: LogRangeExpr, parameter: Double? = nil, grouping: Grouping? = nil) {
        self.function = function
        self.range = range
        self.parameter = parameter
        self.grouping = grouping
    }

    /// `fn(param, range) by (…)`.
    public var description: String {
        var out = function + "("
        if let parameter { out += GoFloat.format(parameter) + ", " }
        out += range.description + ")"
        if let grouping { out += " " + grouping.description }
        return out
    }
}

/// `sum by (x) (…)`, `topk(5, …)`.
public struct VectorAggregationExpr: Sendable, Hashable, CustomStringConvertible {
    /// `sum`, `avg`, `topk`, `sort_desc`, …
    public var operation: String
    /// `by`/`without`.
    public var grouping: Grouping?
    /// k of `topk`/`bottomk`.
    public var parameter: Int?
    /// The aggregated vector.
    public var inner: MetricExpr

    /// An aggregation.
    public init(operation: String, grouping: Grouping? = nil, parameter: Int? = nil, inner: MetricExpr) {
        self.operation = operation
        self.grouping = grouping
        self.parameter = parameter
        self.inner = inner
    }

    /// `sum by (a) (inner)`.
    public var description: String {
        var out = operation
        if let grouping { out += " " + grouping.description + " " }
        out += "("
        if let parameter { out += "\(parameter), " }
        return out + inner.description + ")"
    }
}

/// Binary operators between metric queries.
public enum BinaryOperator: String, Sendable, Hashable {
    case add = "+", sub = "-", mul = "*", div = "/", mod = "%", pow = "^"
    case equal = "==", notEqual = "!=", greater = ">", greaterEqual = ">=", less = "<", lessEqual = "<="
    case and, or, unless

    var precedence: Int {
        switch self {
        case .or: 1
        case .and, .unless: 2
        case .equal, .notEqual, .greater, .greaterEqual, .less, .lessEqual: 3
        case .add, .sub: 4
        case .mul, .div, .mod: 5
        case .pow: 6
        }
    }

    var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .greater, .greaterEqual, .less, .lessEqual: true
        default: false
        }
    }

    var isSetOperator: Bool { self == .and || self == .or || self == .unless }
}

/// `on (a)` / `ignoring (a)` with an optional `group_left` / `group_right`.
public struct VectorMatching: Sendable, Hashable, CustomStringConvertible {
    /// Which side may have many series per match.
    public enum Cardinality: String, Sendable, Hashable {
        /// One to one.
        case oneToOne = ""
        /// `group_left`: many on the left.
        case manyToOne = "group_left"
        /// `group_right`: many on the right.
        case oneToMany = "group_right"
    }

    /// Whether `labels` are the ones matched on (`on`) rather than ignored (`ignoring`).
    public var on: Bool
    /// The labels of `on`/`ignoring`.
    public var labels: [String]
    /// The cardinality.
    public var cardinality: Cardinality
    /// Labels copied from the "one" side (`group_left (x)`).
    public var include: [String]

    /// A matching clause.
    public init(on: Bool, labels: [String], cardinality: Cardinality = .oneToOne, include: [String] = []) {
        self.on = on
        self.labels = labels
        self.cardinality = cardinality
        self.include = include
    }

    /// `on (a) group_left (b)`.
    public var description: String {
        var out = (on ? "on" : "ignoring") + " (" + labels.joined(separator: ", ") + ")"
        if cardinality != .oneToOne { out += " " + cardinality.rawValue + " (" + include.joined(separator: ", ") + ")" }
        return out
    }
}

/// `a / b`, `x > bool 10`.
public struct BinaryExpr: Sendable, Hashable, CustomStringConvertible {
    /// The operator.
    public var op: BinaryOperator
    /// Left operand.
    public var lhs: MetricExpr
    /// Right operand.
    public var rhs: MetricExpr
    /// `bool` on a comparison.
    public var returnBool: Bool
    /// `on`/`ignoring`.
    public var matching: VectorMatching?

    /// A binary expression.
    public init(op: BinaryOperator, lhs: MetricExpr, rhs: MetricExpr, returnBool: Bool = false, matching: VectorMatching? = nil) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self.returnBool = returnBool
        self.matching = matching
    }

    /// `(lhs op rhs)`.
    public var description: String {
        var out = "(" + lhs.description + " " + op.rawValue
        if returnBool { out += " bool" }
        if let matching { out += " " + matching.description }
        return out + " " + rhs.description + ")"
    }
}

/// `label_replace(v, "dst", "replacement", "src", "regex")`.
public struct LabelReplaceExpr: Sendable, Hashable, CustomStringConvertible {
    /// The vector changed.
    public var inner: MetricExpr
    /// Label written.
    public var destination: String
    /// Replacement with `$1`, `${name}`.
    public var replacement: String
    /// Label read.
    public var source: String
    /// Anchored regex.
    public var regex: String

    /// The call.
    public init(inner: MetricExpr, destination: String, replacement: String, source: String, regex: String) {
        self.inner = inner
        self.destination = destination
        self.replacement = replacement
        self.source = source
        self.regex = regex
    }

    /// As written.
    public var description: String {
        "label_replace(\(inner), \(GoQuote.quote(destination)), \(GoQuote.quote(replacement)), "
            + "\(GoQuote.quote(source)), \(GoQuote.quote(regex)))"
    }
}

/// A metric query.
public indirect enum MetricExpr: Sendable, Hashable, CustomStringConvertible {
    /// A range function over log lines.
    case rangeAggregation(RangeAggregationExpr)
    /// An aggregation over a vector.
    case vectorAggregation(VectorAggregationExpr)
    /// An operator between two metric queries or a query and a number.
    case binary(BinaryExpr)
    /// A number.
    case number(Double)
    /// `label_replace(…)`.
    case labelReplace(LabelReplaceExpr)
    /// `vector(1)`: a one-element vector without labels.
    case vector(Double)

    /// As written (canonical form).
    public var description: String {
        switch self {
        case .rangeAggregation(let expr): expr.description
        case .vectorAggregation(let expr): expr.description
        case .binary(let expr): expr.description
        case .number(let value): GoFloat.format(value)
        case .labelReplace(let expr): expr.description
        case .vector(let value): "vector(\(GoFloat.format(value)))"
        }
    }

    /// Whether the value is a scalar (a number, or arithmetic between numbers).
    var isScalar: Bool {
        switch self {
        case .number: true
        case .binary(let expr): expr.lhs.isScalar && expr.rhs.isScalar
        default: false
        }
    }
}
