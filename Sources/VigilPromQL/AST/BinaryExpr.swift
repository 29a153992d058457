/// A binary operator, by precedence from loosest to tightest: `or`; `and unless`;
/// comparisons; `+ -`; `* / % atan2`; `^` (right-associative).
public enum BinaryOperator: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `+`
    case add = "+"
    /// `-`
    case sub = "-"
    /// `*`
    case mul = "*"
    /// `/`
    case div = "/"
    /// `%`
    case mod = "%"
    /// `^`
    case pow = "^"
    /// `atan2`
    case atan2
    /// `==`
    case equal = "=="
    /// `!=`
    case notEqual = "!="
    /// `>`
    case greater = ">"
    /// `<`
    case less = "<"
    /// `>=`
    case greaterOrEqual = ">="
    /// `<=`
    case lessOrEqual = "<="
    /// `and`
    case and
    /// `or`
    case or
    /// `unless`
    case unless

    /// The operator as written.
    public var description: String { rawValue }

    /// Whether this is `==`, `!=`, `>`, `<`, `>=` or `<=`.
    public var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .greater, .less, .greaterOrEqual, .lessOrEqual: true
        default: false
        }
    }

    /// Whether this is `and`, `or` or `unless`.
    public var isSetOperator: Bool { self == .and || self == .or || self == .unless }

    /// Binding strength: 1 (`or`) to 6 (`^`).
    public var precedence: Int {
        switch self {
        case .or: 1
        case .and, .unless: 2
        case .equal, .notEqual, .greater, .less, .greaterOrEqual, .lessOrEqual: 3
        case .add, .sub: 4
        case .mul, .div, .mod, .atan2: 5
        case .pow: 6
        }
    }

    /// Only `^` groups to the right.
    public var isRightAssociative: Bool { self == .pow }
}

/// How the series of two vectors are paired (`on`, `ignoring`, `group_left`, `group_right`).
public struct VectorMatching: Sendable, Hashable {
    /// The pairing cardinality.
    public enum Cardinality: String, Sendable, Hashable, CustomStringConvertible {
        /// Default for arithmetic and comparisons.
        case oneToOne = "one-to-one"
        /// `group_left`.
        case manyToOne = "many-to-one"
        /// `group_right`.
        case oneToMany = "one-to-many"
        /// Set operators.
        case manyToMany = "many-to-many"

        /// Prometheus's name (`one-to-one`, ...).
        public var description: String { rawValue }
    }

    /// The cardinality.
    public var cardinality: Cardinality
    /// The labels of `on(...)` or `ignoring(...)`.
    public var matchingLabels: [String]
    /// `true` for `on`, `false` for `ignoring` (or neither).
    public var on: Bool
    /// The extra labels of `group_left(...)` / `group_right(...)`.
    public var include: [String]

    /// A matching description.
    public init(cardinality: Cardinality = .oneToOne, matchingLabels: [String] = [], on: Bool = false, include: [String] = []) {
        self.cardinality = cardinality
        self.matchingLabels = matchingLabels
        self.on = on
        self.include = include
    }
}

/// `lhs op [bool] [on|ignoring (...) [group_left|group_right (...)]] rhs`.
public struct BinaryExpr: Sendable, Hashable {
    /// The operator.
    public var op: BinaryOperator
    /// The left operand.
    public var lhs: Expr
    /// The right operand.
    public var rhs: Expr
    /// `bool` was given (comparisons return 0/1 instead of filtering).
    public var returnBool: Bool
    /// The matching; nil unless both operands are instant vectors.
    public var vectorMatching: VectorMatching?

    /// A binary expression.
    public init(_ op: BinaryOperator, _ lhs: Expr, _ rhs: Expr, returnBool: Bool = false, vectorMatching: VectorMatching? = nil) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self.returnBool = returnBool
        self.vectorMatching = vectorMatching
    }
}
