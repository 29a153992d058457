internal import VigilModel

/// Prometheus's type check (`checkAST`), run once the whole query has parsed: the same checks,
/// in the same order, so the first error is the one Prometheus reports. It also applies the
/// check's normalisations (set operators match many-to-many; no matching unless both operands
/// are instant vectors).
struct Checker {
    let query: String
    let input: [UInt8]

    private func error(_ message: String, _ range: PositionRange) -> PromQLParseError {
        PromQLParseError.semantic(message, range, query: query)
    }

    private mutating func expect(
        _ expr: Expr, _ wanted: ValueType, in context: String
    ) throws(PromQLParseError) -> Expr {
        let (checked, type) = try check(expr)
        if type != wanted {
            throw error(
                "expected type \(wanted.documentedName) in \(context), got \(type.documentedName)", expr.positionRange)
        }
        return checked
    }

    /// The operator's position, trimmed of spaces, for binary-expression messages.
    private func operatorRange(_ node: BinaryExpr) -> PositionRange {
        var start = node.lhs.positionRange.end
        while start < input.count, Lexer.isSpace(Int32(input[start])) { start += 1 }
        var end = node.rhs.positionRange.start - 1
        while end > 0, end < input.count, Lexer.isSpace(Int32(input[end])) { end -= 1 }
        return PositionRange(start: start, end: end)
    }

    mutating func check(_ expr: Expr) throws(PromQLParseError) -> (expr: Expr, type: ValueType) {
        switch expr {
        case .number, .string:
            return (expr, expr.type)
        case .vectorSelector(let selector):
            try checkSelector(selector)
            return (expr, .vector)
        case .matrixSelector(let matrix):
            try checkSelector(matrix.vectorSelector)
            return (expr, .matrix)
        case .subquery(var subquery):
            let (inner, type) = try check(subquery.expr)
            if type != .vector {
                throw error("subquery is only allowed on instant vector, got \(type) instead", subquery.positionRange)
            }
            subquery.expr = inner
            return (.subquery(subquery), .matrix)
        case .paren(var paren):
            let (inner, type) = try check(paren.expr)
            paren.expr = inner
            return (.paren(paren), type)
        case .unary(var unary):
            let (inner, type) = try check(unary.expr)
            if type != .scalar && type != .vector {
                throw error(
                    "unary expression only allowed on expressions of type scalar or instant vector, got \(GoText.quote(type.documentedName))",
                    unary.positionRange)
            }
            unary.expr = inner
            return (.unary(unary), type)
        case .aggregate(var aggregate):
            aggregate.expr = try expect(aggregate.expr, .vector, in: "aggregation expression")
            if let param = aggregate.param {
                switch aggregate.op {
                case .topk, .bottomk, .quantile:
                    aggregate.param = try expect(param, .scalar, in: "aggregation parameter")
                case .countValues:
                    aggregate.param = try expect(param, .string, in: "aggregation parameter")
                default:
                    break
                }
            }
            return (.aggregate(aggregate), .vector)
        case .call(var call):
            try checkArity(call)
            let function = call.function
            for index in call.args.indices {
                var typeIndex = index
                if index >= function.argumentTypes.count {
                    if function.variadic == 0 { break }
                    typeIndex = function.argumentTypes.count - 1
                }
                call.args[index] = try expect(
                    call.args[index], function.argumentTypes[typeIndex], in: "call to function \(GoText.quote(function.name))")
            }
            return (.call(call), function.returnType)
        case .binary(let node):
            return try checkBinary(node)
        }
    }

    private func checkArity(_ call: Call) throws(PromQLParseError) {
        let function = call.function
        let declared = function.argumentTypes.count
        let name = GoText.quote(function.name)
        if function.variadic == 0 {
            if declared != call.args.count {
                throw error("expected \(declared) argument(s) in call to \(name), got \(call.args.count)", call.positionRange)
            }
            return
        }
        let required = declared - 1
        if required > call.args.count {
            throw error(
                "expected at least \(required) argument(s) in call to \(name), got \(call.args.count)", call.positionRange)
        }
        let maximum = required + function.variadic
        if function.variadic > 0 && maximum < call.args.count {
            throw error(
                "expected at most \(maximum) argument(s) in call to \(name), got \(call.args.count)", call.positionRange)
        }
    }

    private mutating func checkBinary(_ original: BinaryExpr) throws(PromQLParseError) -> (expr: Expr, type: ValueType) {
        var node = original
        let (lhs, lhsType) = try check(node.lhs)
        let (rhs, rhsType) = try check(node.rhs)
        node.lhs = lhs
        node.rhs = rhs
        let op = node.op
        let range = Expr.binary(node).positionRange
        if node.returnBool && !op.isComparison {
            throw error("bool modifier can only be used on comparison operators", operatorRange(node))
        }
        if op.isComparison && !node.returnBool && lhsType == .scalar && rhsType == .scalar {
            throw error("comparisons between scalars must use BOOL modifier", operatorRange(node))
        }
        var matching = node.vectorMatching ?? VectorMatching()
        if op.isSetOperator && matching.cardinality == .oneToOne { matching.cardinality = .manyToMany }
        if matching.on {
            for label in matching.matchingLabels where matching.include.contains(label) {
                throw error("label \(GoText.quote(label)) must not occur in ON and GROUP clause at once", operatorRange(node))
            }
        }
        if lhsType != .scalar && lhsType != .vector {
            throw error("binary expression must contain only scalar and instant vector types", lhs.positionRange)
        }
        if rhsType != .scalar && rhsType != .vector {
            throw error("binary expression must contain only scalar and instant vector types", rhs.positionRange)
        }
        if lhsType != .vector || rhsType != .vector {
            if !matching.matchingLabels.isEmpty {
                throw error("vector matching only allowed between instant vectors", range)
            }
            node.vectorMatching = nil
        } else {
            if op.isSetOperator {
                if matching.cardinality == .oneToMany || matching.cardinality == .manyToOne {
                    throw error("no grouping allowed for \(GoText.quote(op.rawValue)) operation", range)
                }
                if matching.cardinality != .manyToMany {
                    throw error("set operations must always be many-to-many", range)
                }
            }
            node.vectorMatching = matching
        }
        if (lhsType == .scalar || rhsType == .scalar) && op.isSetOperator {
            throw error("set operator \(GoText.quote(op.rawValue)) not allowed in binary scalar expression", range)
        }
        let expr = Expr.binary(node)
        return (expr, expr.type)
    }

    private func checkSelector(_ selector: VectorSelector) throws(PromQLParseError) {
        if !selector.name.isEmpty {
            for matcher in selector.matchers.dropLast() where matcher.name == Labels.metricName {
                throw error(
                    "metric name must not be set twice: \(GoText.quote(selector.name)) or \(GoText.quote(matcher.value))",
                    selector.positionRange)
            }
            return
        }
        if !selector.matchers.contains(where: { !$0.matchesEmpty }) {
            throw error("vector selector must contain at least one non-empty matcher", selector.positionRange)
        }
    }
}
