internal import VigilModel

/// A recursive-descent parser reproducing Prometheus's yacc grammar (`generated_parser.y`):
/// its precedences, its semantic checks in the order the grammar's actions run, and the
/// messages of its error productions.
struct Parser {
    /// A parsed expression and the depth of its tree.
    struct Node {
        var expr: Expr
        var depth: Int
    }

    private var lexer: Lexer
    private let query: String
    private let options: PromQL.ParseOptions
    private var lookahead: Token?
    private var lastClosing = 0
    private var aggregationDepth = 0
    private var recursionDepth = 0

    init(_ query: String, options: PromQL.ParseOptions) {
        self.query = query
        self.options = options
        lexer = Lexer(Array(query.utf8))
    }

    // MARK: Entry points

    mutating func parseQuery() throws(PromQLParseError) -> Expr {
        if try peek().kind == .eof {
            throw PromQLParseError("no expression found in input", PositionRange(start: 0, end: 0), query: query)
        }
        let node = try parseExpr(minimumPrecedence: 0)
        let token = try peek()
        guard token.kind == .eof else { throw unexpected(token) }
        var checker = Checker(query: query, input: lexer.input)
        return try checker.check(node.expr).expr
    }

    mutating func parseMetricSelector() throws(PromQLParseError) -> [LabelMatcher] {
        let token = try peek()
        let selector: VectorSelector
        if token.kind.isMetricIdentifier {
            consume()
            selector = try parseVectorSelector(nameToken: token)
        } else if token.kind == .leftBrace {
            selector = try parseVectorSelector(nameToken: nil)
        } else {
            throw unexpected(token)
        }
        let end = try peek()
        guard end.kind == .eof else { throw unexpected(end) }
        return selector.matchers
    }

    // MARK: Tokens

    private mutating func peek() throws(PromQLParseError) -> Token {
        if let lookahead { return lookahead }
        var token = lexer.nextToken()
        while token.kind == .comment { token = lexer.nextToken() }
        switch token.kind {
        case .error:
            throw PromQLParseError.lexical(token.message, token.range, query: query)
        case .rightBrace, .rightParen, .rightBracket, .duration, .number:
            lastClosing = token.end
        default:
            break
        }
        lookahead = token
        return token
    }

    @discardableResult
    private mutating func consume() -> Token {
        let token = lookahead!
        lookahead = nil
        return token
    }

    private func text(_ token: Token) -> Substring { lexer.text(token) }

    /// How Prometheus names a token in "unexpected ..." messages (`Item.desc`).
    private func describe(_ token: Token) -> String {
        let value = text(token)
        let kind = token.kind
        if kind == .eof { return "end of input" }
        if kind.isKeyword { return "<\(value)>" }
        if kind.isOperator { return "<op:\(value)>" }
        if kind.isAggregator { return "<aggr:\(value)>" }
        let quoted = value.utf8.count > 10 ? GoText.quoteTruncated(value) : GoText.quote(value)
        switch kind {
        case .identifier: return "identifier " + GoText.quote(value)
        case .metricIdentifier: return "metric identifier " + GoText.quote(value)
        case .number: return "number " + quoted
        case .string: return "string " + quoted
        case .duration: return "duration " + quoted
        default: return quoted
        }
    }

    /// A syntax error at `token` where the grammar state has its own error production.
    private func unexpected(_ token: Token, in context: String, expected: String?) -> PromQLParseError {
        var message = "unexpected " + describe(token) + " in " + context
        if let expected { message += ", expected " + expected }
        return PromQLParseError(message, token.range, query: query)
    }

    /// A syntax error at `token` caught by the nearest enclosing error production: the
    /// aggregation's, or none.
    private func unexpected(_ token: Token) -> PromQLParseError {
        var message = "unexpected " + describe(token)
        if aggregationDepth > 0 { message += " in aggregation" }
        return PromQLParseError(message, token.range, query: query)
    }

    private func semantic(_ message: String, _ range: PositionRange) -> PromQLParseError {
        PromQLParseError.semantic(message, range, query: query)
    }

    private func checkDepth(_ depth: Int, at range: PositionRange) throws(PromQLParseError) {
        if depth > options.maximumDepth {
            throw PromQLParseError.tooDeep(
                "expression is nested more than \(options.maximumDepth) levels deep", range, query: query)
        }
    }

    // MARK: Expressions

    private mutating func parseExpr(minimumPrecedence: Int) throws(PromQLParseError) -> Node {
        recursionDepth += 1
        defer { recursionDepth -= 1 }
        if recursionDepth > options.maximumDepth { try checkDepth(recursionDepth, at: try peek().range) }
        var lhs = try parseUnary()
        while true {
            let token = try peek()
            guard let op = token.kind.binaryOperator, op.precedence >= minimumPrecedence else { return lhs }
            consume()
            let (returnBool, matching) = try parseBinaryModifiers()
            let rhs = try parseExpr(minimumPrecedence: op.isRightAssociative ? op.precedence : op.precedence + 1)
            let expr = Expr.binary(BinaryExpr(op, lhs.expr, rhs.expr, returnBool: returnBool, vectorMatching: matching))
            let depth = Swift.max(lhs.depth, rhs.depth) + 1
            try checkDepth(depth, at: expr.positionRange)
            lhs = Node(expr: expr, depth: depth)
        }
    }

    private mutating func parseUnary() throws(PromQLParseError) -> Node {
        let token = try peek()
        guard token.kind == .add || token.kind == .sub else { return try parsePostfix(try parsePrimary()) }
        consume()
        // `unary_op expr %prec MUL`: the operand takes only `^` and the postfix modifiers.
        let operand = try parseExpr(minimumPrecedence: BinaryOperator.pow.precedence)
        if case .number(var literal) = operand.expr {
            if token.kind == .sub { literal.value = -literal.value }
            literal.positionRange.start = token.start
            return Node(expr: .number(literal), depth: operand.depth)
        }
        let range = PositionRange(start: token.start, end: operand.expr.positionRange.end)
        let node = Node(expr: .unary(UnaryExpr(token.kind == .sub ? .minus : .plus, operand.expr, positionRange: range)),
                        depth: operand.depth + 1)
        try checkDepth(node.depth, at: range)
        return node
    }

    private mutating func parseBinaryModifiers() throws(PromQLParseError) -> (Bool, VectorMatching) {
        var returnBool = false
        var matching = VectorMatching()
        if try peek().kind == .bool {
            consume()
            returnBool = true
        }
        let token = try peek()
        guard token.kind == .on || token.kind == .ignoring else { return (returnBool, matching) }
        consume()
        matching.matchingLabels = try parseGroupingLabels()
        matching.on = token.kind == .on
        let group = try peek()
        if group.kind == .groupLeft || group.kind == .groupRight {
            consume()
            matching.cardinality = group.kind == .groupLeft ? .manyToOne : .oneToMany
            if try peek().kind == .leftParen { matching.include = try parseGroupingLabels() }
        }
        return (returnBool, matching)
    }

    /// `( label, ... )` after `by`, `without`, `on`, `ignoring`, `group_left`, `group_right`.
    private mutating func parseGroupingLabels() throws(PromQLParseError) -> [String] {
        let open = try peek()
        guard open.kind == .leftParen else { throw unexpected(open, in: "grouping opts", expected: "\"(\"") }
        consume()
        var labels: [String] = []
        if try peek().kind == .rightParen {
            consume()
            return labels
        }
        while true {
            let label = try peek()
            guard label.kind.isMaybeLabel else { throw unexpected(label, in: "grouping opts", expected: "label") }
            consume()
            let name = text(label)
            guard Parser.isLabel(name) else { throw unexpected(label, in: "grouping opts", expected: "label") }
            labels.append(String(name))
            let separator = try peek()
            if separator.kind == .comma {
                consume()
                if try peek().kind == .rightParen {
                    consume()
                    return labels
                }
                continue
            }
            if separator.kind == .rightParen {
                consume()
                return labels
            }
            throw unexpected(separator, in: "grouping opts", expected: "\",\" or \")\"")
        }
    }

    static func isLabel(_ name: Substring) -> Bool {
        guard let first = name.utf8.first, Lexer.isAlpha(Int32(first)) else { return false }
        return name.utf8.dropFirst().allSatisfy { Lexer.isAlphaNumeric(Int32($0)) }
    }

    private static func canStartExpression(_ kind: TokenKind) -> Bool {
        switch kind {
        case .number, .string, .leftParen, .leftBrace, .add, .sub: true
        default: kind.isMetricIdentifier || kind.isAggregator
        }
    }

    private mutating func parsePrimary() throws(PromQLParseError) -> Node {
        let token = try peek()
        switch token.kind {
        case .number:
            consume()
            let value = try number(token)
            return Node(expr: .number(NumberLiteral(value, positionRange: token.range)), depth: 1)
        case .string:
            consume()
            return Node(expr: .string(StringLiteral(LiteralParsing.unquote(text(token)), positionRange: token.range)), depth: 1)
        case .leftParen:
            consume()
            let inner = try parseExpr(minimumPrecedence: 0)
            let close = try peek()
            guard close.kind == .rightParen else { throw unexpected(close) }
            consume()
            let range = PositionRange(start: token.start, end: close.end)
            return Node(expr: .paren(ParenExpr(inner.expr, positionRange: range)), depth: inner.depth + 1)
        case .leftBrace:
            return Node(expr: .vectorSelector(try parseVectorSelector(nameToken: nil)), depth: 1)
        case .identifier:
            consume()
            if try peek().kind == .leftParen { return try parseCall(nameToken: token) }
            return Node(expr: .vectorSelector(try parseVectorSelector(nameToken: token)), depth: 1)
        default:
            if let op = token.kind.aggregateOperator {
                consume()
                let next = try peek().kind
                if next == .leftParen || next == .by || next == .without {
                    return try parseAggregation(op, opToken: token)
                }
                return Node(expr: .vectorSelector(try parseVectorSelector(nameToken: token)), depth: 1)
            }
            if token.kind.isMetricIdentifier {
                consume()
                return Node(expr: .vectorSelector(try parseVectorSelector(nameToken: token)), depth: 1)
            }
            throw unexpected(token)
        }
    }

    private mutating func number(_ token: Token) throws(PromQLParseError) -> Double {
        switch LiteralParsing.number(text(token)) {
        case .success(let value): return value
        case .failure(let failure): throw semantic("error parsing number: " + failure.message, token.range)
        }
    }

    private mutating func duration(_ token: Token) throws(PromQLParseError) -> Int64 {
        switch LiteralParsing.duration(text(token)) {
        case .success(let value): return value
        case .failure(let failure): throw semantic(failure.message, token.range)
        }
    }

    // MARK: Selectors

    private mutating func parseVectorSelector(nameToken: Token?) throws(PromQLParseError) -> VectorSelector {
        var matchers: [LabelMatcher] = []
        var range = nameToken?.range ?? PositionRange(start: 0, end: 0)
        if try peek().kind == .leftBrace {
            let braces = try parseLabelMatchers()
            matchers = braces.matchers
            if nameToken == nil { range.start = braces.range.start }
            range.end = braces.range.end
        }
        var name = ""
        if let nameToken {
            name = String(text(nameToken))
            // An equality matcher never fails to build.
            if let matcher = try? LabelMatcher(.equal, Labels.metricName, name) { matchers.append(matcher) }
        }
        return VectorSelector(name: name, matchers: matchers, positionRange: range)
    }

    private mutating func parseLabelMatchers() throws(PromQLParseError) -> (matchers: [LabelMatcher], range: PositionRange) {
        let open = consume()
        var matchers: [LabelMatcher] = []
        while true {
            let token = try peek()
            if token.kind == .rightBrace {
                consume()
                return (matchers, PositionRange(start: open.start, end: token.end))
            }
            switch token.kind {
            case .identifier, .string:
                consume()
                let name = token.kind == .string ? LiteralParsing.unquote(text(token)) : String(text(token))
                let op = try peek()
                let type: LabelMatcher.MatchType
                switch op.kind {
                case .assign: type = .equal
                case .notEqual: type = .notEqual
                case .regexMatch: type = .regexMatch
                case .regexNoMatch: type = .regexNoMatch
                default:
                    if token.kind == .identifier {
                        throw unexpected(op, in: "label matching", expected: "label matching operator")
                    }
                    // A lone string is the metric name.
                    if let matcher = try? LabelMatcher(.equal, Labels.metricName, name) { matchers.append(matcher) }
                    try expectMatcherSeparator()
                    continue
                }
                consume()
                let value = try peek()
                guard value.kind == .string else { throw unexpected(value, in: "label matching", expected: "string") }
                consume()
                do {
                    matchers.append(try LabelMatcher(type, name, LiteralParsing.unquote(text(value))))
                } catch {
                    // Go's regexp messages (RE2's refusals) are what Prometheus prints, alone.
                    let message = error.reason.hasPrefix("error parsing regexp:") ? error.reason : error.description
                    throw semantic(message, PositionRange(start: token.start, end: value.end))
                }
                try expectMatcherSeparator()
            default:
                throw unexpected(token, in: "label matching", expected: "identifier or \"}\"")
            }
        }
    }

    /// After a matcher: `,` (consumed) or `}` (left for the loop).
    private mutating func expectMatcherSeparator() throws(PromQLParseError) {
        let token = try peek()
        if token.kind == .comma {
            consume()
            return
        }
        if token.kind == .rightBrace { return }
        throw unexpected(token, in: "label matching", expected: "\",\" or \"}\"")
    }

    // MARK: Postfix modifiers: ranges, subqueries, offset, @

    private mutating func parsePostfix(_ operand: Node) throws(PromQLParseError) -> Node {
        var node = operand
        while true {
            switch try peek().kind {
            case .leftBracket: node = try parseRangeOrSubquery(node)
            case .offset: node.expr = try parseOffset(node.expr)
            case .at: node.expr = try parseAt(node.expr)
            default: return node
            }
        }
    }

    private mutating func parseRangeOrSubquery(_ operand: Node) throws(PromQLParseError) -> Node {
        let open = consume()
        let rangeToken = try peek()
        guard rangeToken.kind == .duration else {
            throw unexpected(rangeToken, in: "subquery selector", expected: "duration")
        }
        consume()
        let range = try duration(rangeToken)
        let next = try peek()
        switch next.kind {
        case .rightBracket:
            consume()
            let bracketRange = PositionRange(start: open.start, end: next.end)
            guard case .vectorSelector(let selector) = operand.expr else {
                throw semantic("ranges only allowed for vector selectors", bracketRange)
            }
            if selector.offsetMilliseconds != 0 { throw semantic("no offset modifiers allowed before range", bracketRange) }
            if case .timestamp = selector.at { throw semantic("no @ modifiers allowed before range", bracketRange) }
            let position = PositionRange(start: selector.positionRange.start, end: lastClosing)
            return Node(expr: .matrixSelector(MatrixSelector(selector, rangeMilliseconds: range, positionRange: position)),
                        depth: operand.depth + 1)
        case .colon:
            consume()
            var step: Int64 = 0
            var close = try peek()
            if close.kind == .duration {
                consume()
                step = try duration(close)
                close = try peek()
                guard close.kind == .rightBracket else {
                    throw unexpected(close, in: "subquery selector", expected: "\"]\"")
                }
            } else if close.kind != .rightBracket {
                throw unexpected(close, in: "subquery selector", expected: "duration or \"]\"")
            }
            consume()
            let position = PositionRange(start: operand.expr.positionRange.start, end: close.start + 1)
            let node = Node(
                expr: .subquery(SubqueryExpr(operand.expr, rangeMilliseconds: range, stepMilliseconds: step, positionRange: position)),
                depth: operand.depth + 1)
            try checkDepth(node.depth, at: position)
            return node
        default:
            throw unexpected(next, in: "subquery or range", expected: "\":\" or \"]\"")
        }
    }

    private mutating func parseOffset(_ operand: Expr) throws(PromQLParseError) -> Expr {
        consume()
        var token = try peek()
        var negative = false
        if token.kind == .sub {
            consume()
            negative = true
            token = try peek()
        }
        guard token.kind == .duration else { throw unexpected(token, in: "offset", expected: "duration") }
        consume()
        let amount = try duration(token)
        let offset = negative ? -amount : amount
        let alreadySet = semantic("offset may not be set multiple times", operand.positionRange)
        switch operand {
        case .vectorSelector(var selector):
            if selector.offsetMilliseconds != 0 { throw alreadySet }
            selector.offsetMilliseconds = offset
            selector.positionRange.end = lastClosing
            return .vectorSelector(selector)
        case .matrixSelector(var matrix):
            if matrix.vectorSelector.offsetMilliseconds != 0 { throw alreadySet }
            matrix.vectorSelector.offsetMilliseconds = offset
            matrix.positionRange.end = lastClosing
            return .matrixSelector(matrix)
        case .subquery(var subquery):
            if subquery.offsetMilliseconds != 0 { throw alreadySet }
            subquery.offsetMilliseconds = offset
            subquery.positionRange.end = lastClosing
            return .subquery(subquery)
        default:
            throw semantic(
                "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery",
                operand.positionRange)
        }
    }

    private mutating func parseAt(_ operand: Expr) throws(PromQLParseError) -> Expr {
        consume()
        let token = try peek()
        let modifier: AtModifier
        switch token.kind {
        case .number, .add, .sub:
            consume()
            var numberToken = token
            if token.kind != .number {
                numberToken = try peek()
                guard numberToken.kind == .number else { throw unexpected(numberToken, in: "@", expected: "timestamp") }
                consume()
            }
            var seconds = try number(numberToken)
            if token.kind == .sub { seconds = -seconds }
            if !seconds.isFinite || seconds >= 9.223372036854775807e18 || seconds <= -9.223372036854775808e18 {
                throw semantic(
                    "timestamp out of bounds for @ modifier: " + GoText.fixed(seconds, decimals: 6), operand.positionRange)
            }
            let milliseconds = (seconds * 1000).rounded(.toNearestOrAwayFromZero)
            // Go's float-to-int64 conversion yields math.MinInt64 when out of range (amd64).
            let inRange = milliseconds >= -9.223372036854775808e18 && milliseconds < 9.223372036854775808e18
            modifier = .timestamp(inRange ? Int64(milliseconds) : Int64.min)
        case .start, .end:
            consume()
            let open = try peek()
            guard open.kind == .leftParen else { throw unexpected(open, in: "@", expected: "timestamp") }
            consume()
            let close = try peek()
            guard close.kind == .rightParen else { throw unexpected(close, in: "@", expected: "timestamp") }
            consume()
            modifier = token.kind == .start ? .start : .end
        default:
            throw unexpected(token, in: "@", expected: "timestamp")
        }
        let alreadySet = semantic("@ <timestamp> may not be set multiple times", operand.positionRange)
        switch operand {
        case .vectorSelector(var selector):
            if selector.at != nil { throw alreadySet }
            selector.at = modifier
            selector.positionRange.end = lastClosing
            return .vectorSelector(selector)
        case .matrixSelector(var matrix):
            if matrix.vectorSelector.at != nil { throw alreadySet }
            matrix.vectorSelector.at = modifier
            matrix.positionRange.end = lastClosing
            return .matrixSelector(matrix)
        case .subquery(var subquery):
            if subquery.at != nil { throw alreadySet }
            subquery.at = modifier
            subquery.positionRange.end = lastClosing
            return .subquery(subquery)
        default:
            throw semantic(
                "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery",
                operand.positionRange)
        }
    }

    // MARK: Calls and aggregations

    /// `( args )`; returns the arguments and the depth of the deepest.
    private mutating func parseCallBody() throws(PromQLParseError) -> ([Expr], Int) {
        let open = try peek()
        guard open.kind == .leftParen else { throw unexpected(open) }
        consume()
        var args: [Expr] = []
        var depth = 0
        if try peek().kind == .rightParen {
            consume()
            return (args, depth)
        }
        while true {
            let argument = try parseExpr(minimumPrecedence: 0)
            args.append(argument.expr)
            depth = Swift.max(depth, argument.depth)
            let token = try peek()
            if token.kind == .comma {
                consume()
                let next = try peek()
                if !Parser.canStartExpression(next.kind) {
                    throw semantic("trailing commas not allowed in function call args", token.range)
                }
                continue
            }
            guard token.kind == .rightParen else { throw unexpected(token) }
            consume()
            return (args, depth)
        }
    }

    private mutating func parseCall(nameToken: Token) throws(PromQLParseError) -> Node {
        let (args, depth) = try parseCallBody()
        let name = String(text(nameToken))
        guard let function = Function.named(name) else {
            throw semantic("unknown function with name \(GoText.quote(name))", nameToken.range)
        }
        if function.isExperimental && !options.enableExperimentalFunctions {
            throw semantic("function \(GoText.quote(name)) is not enabled", nameToken.range)
        }
        let range = PositionRange(start: nameToken.start, end: lastClosing)
        let node = Node(expr: .call(Call(function, args, positionRange: range)), depth: depth + 1)
        try checkDepth(node.depth, at: range)
        return node
    }

    private mutating func parseAggregation(_ op: AggregateOperator, opToken: Token) throws(PromQLParseError) -> Node {
        aggregationDepth += 1
        defer { aggregationDepth -= 1 }
        var grouping: [String]?
        var without = false
        let modifier = try peek()
        if modifier.kind == .by || modifier.kind == .without {
            consume()
            without = modifier.kind == .without
            grouping = try parseGroupingLabels()
        }
        let (args, depth) = try parseCallBody()
        if grouping == nil {
            let trailing = try peek()
            if trailing.kind == .by || trailing.kind == .without {
                consume()
                without = trailing.kind == .without
                grouping = try parseGroupingLabels()
            }
        }
        let range = PositionRange(start: opToken.start, end: lastClosing)
        if args.isEmpty { throw semantic("no arguments for aggregate expression provided", range) }
        let wanted = op.takesParameter ? 2 : 1
        if args.count != wanted {
            throw semantic(
                "wrong number of arguments for aggregate expression provided, expected \(wanted), got \(args.count)", range)
        }
        let aggregate = AggregateExpr(
            op, args[wanted - 1], param: op.takesParameter ? args[0] : nil, grouping: grouping ?? [], without: without,
            positionRange: range)
        let node = Node(expr: .aggregate(aggregate), depth: depth + 1)
        try checkDepth(node.depth, at: range)
        return node
    }
}
