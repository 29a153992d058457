/// A parsed PromQL expression.
///
/// Equality and hashing ignore source positions: two trees are equal when they mean the same
/// query. ``description`` prints the canonical form Prometheus's `String()` gives (what
/// `/api/v1/format_query` returns).
public indirect enum Expr: Sendable, Hashable {
    /// `1`, `2.5e3`, `0x1f`, `Inf`.
    case number(NumberLiteral)
    /// `"text"`.
    case string(StringLiteral)
    /// `metric{label="value"} offset 5m @ 1000`.
    case vectorSelector(VectorSelector)
    /// `metric{label="value"}[5m]`.
    case matrixSelector(MatrixSelector)
    /// `expr[30m:1m]`.
    case subquery(SubqueryExpr)
    /// `(expr)`.
    case paren(ParenExpr)
    /// `-expr`, `+expr`.
    case unary(UnaryExpr)
    /// `lhs op lhs`, with its modifiers.
    case binary(BinaryExpr)
    /// `sum by (job) (expr)`.
    case aggregate(AggregateExpr)
    /// `rate(expr)`.
    case call(Call)

    /// The type the expression evaluates to, by Prometheus's rules.
    public var type: ValueType {
        switch self {
        case .number: .scalar
        case .string: .string
        case .vectorSelector: .vector
        case .matrixSelector, .subquery: .matrix
        case .paren(let node): node.expr.type
        case .unary(let node): node.expr.type
        case .binary(let node): node.lhs.type == .scalar && node.rhs.type == .scalar ? .scalar : .vector
        case .aggregate: .vector
        case .call(let node): node.function.returnType
        }
    }

    /// Where the expression was written in the query.
    public var positionRange: PositionRange {
        switch self {
        case .number(let node): node.positionRange
        case .string(let node): node.positionRange
        case .vectorSelector(let node): node.positionRange
        case .matrixSelector(let node): node.positionRange
        case .subquery(let node): node.positionRange
        case .paren(let node): node.positionRange
        case .unary(let node): node.positionRange
        case .binary(let node): PositionRange(start: node.lhs.positionRange.start, end: node.rhs.positionRange.end)
        case .aggregate(let node): node.positionRange
        case .call(let node): node.positionRange
        }
    }

    /// The direct sub-expressions, in the order Prometheus walks them.
    public var children: [Expr] {
        switch self {
        case .number, .string, .vectorSelector: []
        case .matrixSelector(let node): [.vectorSelector(node.vectorSelector)]
        case .subquery(let node): [node.expr]
        case .paren(let node): [node.expr]
        case .unary(let node): [node.expr]
        case .binary(let node): [node.lhs, node.rhs]
        case .aggregate(let node): node.param.map { [node.expr, $0] } ?? [node.expr]
        case .call(let node): node.args
        }
    }
}
