/// An aggregation operator.
public enum AggregateOperator: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `sum`
    case sum
    /// `avg`
    case avg
    /// `count`
    case count
    /// `min`
    case min
    /// `max`
    case max
    /// `group`
    case group
    /// `stddev`
    case stddev
    /// `stdvar`
    case stdvar
    /// `topk` (takes a scalar parameter)
    case topk
    /// `bottomk` (takes a scalar parameter)
    case bottomk
    /// `count_values` (takes a string parameter)
    case countValues = "count_values"
    /// `quantile` (takes a scalar parameter)
    case quantile

    /// The operator as written.
    public var description: String { rawValue }

    /// Whether the operator takes a parameter before the expression.
    public var takesParameter: Bool {
        switch self {
        case .topk, .bottomk, .countValues, .quantile: true
        default: false
        }
    }
}

/// `op [by|without (labels)] ([param,] expr)`.
public struct AggregateExpr: Sendable, Hashable {
    /// The operator.
    public var op: AggregateOperator
    /// The aggregated expression.
    public var expr: Expr
    /// The parameter of `topk`, `bottomk`, `quantile` and `count_values`.
    public var param: Expr?
    /// The labels of `by (...)` or `without (...)`.
    public var grouping: [String]
    /// `without` rather than `by`.
    public var without: Bool
    /// From the operator to the last closing token.
    public var positionRange: PositionRange

    /// An aggregation.
    public init(
        _ op: AggregateOperator, _ expr: Expr, param: Expr? = nil, grouping: [String] = [], without: Bool = false,
        positionRange: PositionRange = PositionRange(start: 0, end: 0)
    ) {
        self.op = op
        self.expr = expr
        self.param = param
        self.grouping = grouping
        self.without = without
        self.positionRange = positionRange
    }

    /// Equal when operator, operands and grouping are equal; positions are ignored.
    public static func == (lhs: AggregateExpr, rhs: AggregateExpr) -> Bool {
        lhs.op == rhs.op && lhs.expr == rhs.expr && lhs.param == rhs.param && lhs.grouping == rhs.grouping
            && lhs.without == rhs.without
    }

    /// Hashes operator, operands and grouping.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(op)
        hasher.combine(expr)
        hasher.combine(param)
        hasher.combine(grouping)
        hasher.combine(without)
    }
}

/// A function call: `name(args)`.
public struct Call: Sendable, Hashable {
    /// The function.
    public var function: Function
    /// The arguments.
    public var args: [Expr]
    /// From the name to `)`.
    public var positionRange: PositionRange

    /// A call.
    public init(_ function: Function, _ args: [Expr], positionRange: PositionRange = PositionRange(start: 0, end: 0)) {
        self.function = function
        self.args = args
        self.positionRange = positionRange
    }

    /// Equal when function and arguments are equal; positions are ignored.
    public static func == (lhs: Call, rhs: Call) -> Bool { lhs.function == rhs.function && lhs.args == rhs.args }

    /// Hashes function and arguments.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(function)
        hasher.combine(args)
    }
}
