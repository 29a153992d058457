/// A number literal. A leading `-` or `+` written directly before a number is folded in.
public struct NumberLiteral: Sendable, Hashable {
    /// The value.
    public var value: Double
    /// Where it was written.
    public var positionRange: PositionRange

    /// A literal.
    public init(_ value: Double, positionRange: PositionRange = PositionRange(start: 0, end: 0)) {
        self.value = value
        self.positionRange = positionRange
    }

    /// Equal when the values are equal, any NaN equalling any NaN; positions are ignored.
    public static func == (lhs: NumberLiteral, rhs: NumberLiteral) -> Bool {
        (lhs.value.isNaN && rhs.value.isNaN) || lhs.value == rhs.value
    }

    /// Hashes the value.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(value.isNaN ? Double.nan.bitPattern : value == 0 ? 0 : value.bitPattern)
    }
}

/// A string literal, unescaped.
public struct StringLiteral: Sendable, Hashable {
    /// The unescaped text.
    public var value: String
    /// Where it was written.
    public var positionRange: PositionRange

    /// A literal.
    public init(_ value: String, positionRange: PositionRange = PositionRange(start: 0, end: 0)) {
        self.value = value
        self.positionRange = positionRange
    }

    /// Equal when the texts are equal; positions are ignored.
    public static func == (lhs: StringLiteral, rhs: StringLiteral) -> Bool { lhs.value == rhs.value }

    /// Hashes the text.
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

/// `(expr)`.
public struct ParenExpr: Sendable, Hashable {
    /// The inner expression.
    public var expr: Expr
    /// From `(` to `)`.
    public var positionRange: PositionRange

    /// A parenthesised expression.
    public init(_ expr: Expr, positionRange: PositionRange = PositionRange(start: 0, end: 0)) {
        self.expr = expr
        self.positionRange = positionRange
    }

    /// Equal when the inner expressions are equal; positions are ignored.
    public static func == (lhs: ParenExpr, rhs: ParenExpr) -> Bool { lhs.expr == rhs.expr }

    /// Hashes the inner expression.
    public func hash(into hasher: inout Hasher) { hasher.combine(expr) }
}

/// `-expr` or `+expr` (on anything but a bare number, which folds the sign in).
public struct UnaryExpr: Sendable, Hashable {
    /// `-` or `+`.
    public enum Operator: Sendable, Hashable {
        /// `-`
        case minus
        /// `+`
        case plus
    }

    /// The sign.
    public var op: Operator
    /// The operand.
    public var expr: Expr
    /// From the sign to the end of the operand.
    public var positionRange: PositionRange

    /// A unary expression.
    public init(_ op: Operator, _ expr: Expr, positionRange: PositionRange = PositionRange(start: 0, end: 0)) {
        self.op = op
        self.expr = expr
        self.positionRange = positionRange
    }

    /// Equal when sign and operand are equal; positions are ignored.
    public static func == (lhs: UnaryExpr, rhs: UnaryExpr) -> Bool { lhs.op == rhs.op && lhs.expr == rhs.expr }

    /// Hashes sign and operand.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(op)
        hasher.combine(expr)
    }
}
