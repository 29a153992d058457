public import VigilModel

/// An instant vector selector: `name{matchers} @ t offset d`.
public struct VectorSelector: Sendable, Hashable {
    /// The metric name written before the braces, or `""`.
    public var name: String
    /// The matchers, in the order written; when ``name`` is set, a final `__name__="name"`
    /// matcher is appended, as Prometheus does.
    public var matchers: [LabelMatcher]
    /// The `offset` in milliseconds (negative for `offset -5m`); 0 when absent.
    public var offsetMilliseconds: Int64
    /// The `@` modifier, if any.
    public var at: AtModifier?
    /// Where it was written, modifiers included.
    public var positionRange: PositionRange

    /// A selector.
    public init(
        name: String = "", matchers: [LabelMatcher], offsetMilliseconds: Int64 = 0, at: AtModifier? = nil,
        positionRange: PositionRange = PositionRange(start: 0, end: 0)
    ) {
        self.name = name
        self.matchers = matchers
        self.offsetMilliseconds = offsetMilliseconds
        self.at = at
        self.positionRange = positionRange
    }

    /// Equal when name, matchers (in any order) and modifiers are equal; positions are ignored.
    public static func == (lhs: VectorSelector, rhs: VectorSelector) -> Bool {
        lhs.name == rhs.name && lhs.offsetMilliseconds == rhs.offsetMilliseconds && lhs.at == rhs.at
            && lhs.sortedMatchers == rhs.sortedMatchers
    }

    private var sortedMatchers: [LabelMatcher] {
        matchers.sorted { ($0.name, $0.type.description, $0.value) < ($1.name, $1.type.description, $1.value) }
    }

    /// Hashes name, matchers (in any order) and modifiers.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(sortedMatchers)
        hasher.combine(offsetMilliseconds)
        hasher.combine(at)
    }
}

/// A range vector selector: `name{matchers}[range] @ t offset d`. The `@` and `offset` live on
/// ``vectorSelector``, as in Prometheus.
public struct MatrixSelector: Sendable, Hashable {
    /// The selector the range applies to.
    public var vectorSelector: VectorSelector
    /// The range in milliseconds (> 0).
    public var rangeMilliseconds: Int64
    /// Where it was written, modifiers included.
    public var positionRange: PositionRange

    /// A range selector.
    public init(
        _ vectorSelector: VectorSelector, rangeMilliseconds: Int64,
        positionRange: PositionRange = PositionRange(start: 0, end: 0)
    ) {
        self.vectorSelector = vectorSelector
        self.rangeMilliseconds = rangeMilliseconds
        self.positionRange = positionRange
    }

    /// Equal when selector and range are equal; positions are ignored.
    public static func == (lhs: MatrixSelector, rhs: MatrixSelector) -> Bool {
        lhs.vectorSelector == rhs.vectorSelector && lhs.rangeMilliseconds == rhs.rangeMilliseconds
    }

    /// Hashes selector and range.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(vectorSelector)
        hasher.combine(rangeMilliseconds)
    }
}

/// A subquery: `expr[range:step] @ t offset d`.
public struct SubqueryExpr: Sendable, Hashable {
    /// The inner expression (an instant vector once type-checked).
    public var expr: Expr
    /// The range in milliseconds (> 0).
    public var rangeMilliseconds: Int64
    /// The step in milliseconds; 0 when omitted (`[5m:]`): the evaluation interval applies.
    public var stepMilliseconds: Int64
    /// The `offset` in milliseconds; 0 when absent.
    public var offsetMilliseconds: Int64
    /// The `@` modifier, if any.
    public var at: AtModifier?
    /// Where it was written, modifiers included.
    public var positionRange: PositionRange

    /// A subquery.
    public init(
        _ expr: Expr, rangeMilliseconds: Int64, stepMilliseconds: Int64 = 0, offsetMilliseconds: Int64 = 0,
        at: AtModifier? = nil, positionRange: PositionRange = PositionRange(start: 0, end: 0)
    ) {
        self.expr = expr
        self.rangeMilliseconds = rangeMilliseconds
        self.stepMilliseconds = stepMilliseconds
        self.offsetMilliseconds = offsetMilliseconds
        self.at = at
        self.positionRange = positionRange
    }

    /// Equal when expression, range, step and modifiers are equal; positions are ignored.
    public static func == (lhs: SubqueryExpr, rhs: SubqueryExpr) -> Bool {
        lhs.expr == rhs.expr && lhs.rangeMilliseconds == rhs.rangeMilliseconds
            && lhs.stepMilliseconds == rhs.stepMilliseconds && lhs.offsetMilliseconds == rhs.offsetMilliseconds
            && lhs.at == rhs.at
    }

    /// Hashes expression, range, step and modifiers.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(expr)
        hasher.combine(rangeMilliseconds)
        hasher.combine(stepMilliseconds)
        hasher.combine(offsetMilliseconds)
        hasher.combine(at)
    }
}
