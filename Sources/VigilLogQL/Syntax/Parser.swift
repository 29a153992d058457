public import VigilModel
import VigilTemplate

/// Parses LogQL into a ``LogQLExpr``: a hand-written recursive-descent parser with precedence
/// climbing for binary operators, reporting errors as Loki does (`parse error at line 1, col 12:
/// syntax error: unexpected …`).
public enum LogQLParser {
    /// Queries longer than this are refused before lexing (Loki's limit on query size lives in
    /// the HTTP layer; this one keeps a hostile query from costing memory).
    public static let maxQueryBytes = 128 * 1024
    /// Nesting deeper than this is refused, so a hostile query cannot exhaust the stack.
    static let maxDepth = 200

    /// Parses `query`.
    public static func parse(_ query: String) throws(LogQLParseError) -> LogQLExpr {
        guard query.utf8.count <= maxQueryBytes else {
            throw LogQLParseError(message: "query too long: \(query.utf8.count) bytes (limit \(maxQueryBytes))")
        }
        var parser = Parser(tokens: try Lexer.tokenize(query))
        let expr = try parser.parseTop()
        try Validator.validate(expr)
        return expr
    }

    /// Parses `query` and requires a log query (a selector and pipeline).
    public static func parseLogSelector(_ query: String) throws(LogQLParseError) -> LogSelectorExpr {
        switch try parse(query) {
        case .logs(let selector): return selector
        case .metric: throw LogQLParseError(message: "only log selectors are allowed here")
        }
    }
}

struct Parser {
    let tokens: [Token]
    var position = 0
    var depth = 0

    init(tokens: [Token]) {
        self.tokens = tokens
    }

    var current: Token { tokens[position] }

    func peek(_ ahead: Int = 1) -> Token { tokens[min(position + ahead, tokens.count - 1)] }

    mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    func unexpected(_ token: Token? = nil, expecting: String? = nil) -> LogQLParseError {
        let token = token ?? current
        var message = "syntax error: unexpected \(token.grammarName)"
        if let expecting { message += ", expecting \(expecting)" }
        return LogQLParseError(message: message, line: token.line, column: token.column, offset: token.offset)
    }

    func failure(_ message: String, at token: Token) -> LogQLParseError {
        LogQLParseError(message: message, line: token.line, column: token.column, offset: token.offset)
    }

    mutating func expect(_ kind: Token.Kind, _ name: String) throws(LogQLParseError) -> Token {
        guard current.kind == kind else { throw unexpected(expecting: name) }
        return advance()
    }

    func isKeyword(_ word: String, _ token: Token? = nil) -> Bool {
        let token = token ?? current
        return token.kind == .identifier && token.text == word
    }

    mutating func nest() throws(LogQLParseError) {
        depth += 1
        guard depth <= LogQLParser.maxDepth else { throw failure("query nests too deeply", at: current) }
    }

    // MARK: Top level

    mutating func parseTop() throws(LogQLParseError) -> LogQLExpr {
        if current.kind == .end { throw unexpected() }
        let expr: LogQLExpr
        if startsLogQuery() {
            expr = .logs(try parseParenthesizedLogQuery())
        } else {
            expr = .metric(try parseMetric(minPrecedence: 0))
        }
        guard current.kind == .end else { throw unexpected() }
        return expr
    }

    /// Whether the tokens ahead are a log query: `{` or `(`s followed by `{` with no range after
    /// the matching parenthesis.
    func startsLogQuery() -> Bool {
        var ahead = 0
        while peek(ahead).kind == .openParen { ahead += 1 }
        guard peek(ahead).kind == .openBrace else { return false }
        if ahead == 0 { return !hasRangeAfterSelector(from: position) }
        // A parenthesised selector followed by `[` is a log range, which only a function takes.
        return !hasRangeAfterSelector(from: position)
    }

    /// Scans from `start` over a (possibly parenthesised) selector and pipeline to see whether a
    /// range `[…]` follows at the same nesting level.
    func hasRangeAfterSelector(from start: Int) -> Bool {
        var level = 0
        var index = start
        while index < tokens.count {
            switch tokens[index].kind {
            case .openParen, .openBrace: level += 1
            case .closeParen, .closeBrace:
                level -= 1
                if level < 0 { return false }
            case .openBracket: return true
            case .end: return false
            default: break
            }
            index += 1
        }
        return false
    }

    mutating func parseParenthesizedLogQuery() throws(LogQLParseError) -> LogSelectorExpr {
        if current.kind == .openParen {
            try nest()
            _ = advance()
            let inner = try parseParenthesizedLogQuery()
            _ = try expect(.closeParen, ")")
            depth -= 1
            return inner
        }
        return try parseLogSelector()
    }

    // MARK: Selectors and pipelines

    mutating func parseMatchers() throws(LogQLParseError) -> [LabelMatcher] {
        _ = try expect(.openBrace, "{")
        var matchers: [LabelMatcher] = []
        while true {
            let name = try expect(.identifier, "IDENTIFIER")
            let opToken = advance()
            let type: LabelMatcher.MatchType
            switch opToken.kind {
            case .equal: type = .equal
            case .notEqual: type = .notEqual
            case .regexMatch: type = .regexMatch
            case .regexNoMatch: type = .regexNoMatch
            default: throw unexpected(opToken, expecting: "=, !=, =~ or !~")
            }
            let value = try expect(.string, "STRING")
            do {
                matchers.append(try LabelMatcher(type, name.text, value.text))
            } catch {
                throw failure(error.description, at: value)
            }
            if current.kind == .comma {
                _ = advance()
                continue
            }
            _ = try expect(.closeBrace, "}")
            return matchers
        }
    }

    mutating func parseLogSelector() throws(LogQLParseError) -> LogSelectorExpr {
        let matchers = try parseMatchers()
        return LogSelectorExpr(matchers: matchers, stages: try parsePipeline(allowUnwrap: false).stages)
    }

    /// Stages until something that is not a stage; with `allowUnwrap`, an `| unwrap` ends the
    /// pipeline and is returned with its trailing label filters.
    mutating func parsePipeline(allowUnwrap: Bool) throws(LogQLParseError) -> (stages: [PipelineStage], unwrap: UnwrapExpr?) {
        var stages: [PipelineStage] = []
        while true {
            switch current.kind {
            case .pipeExact, .pipeMatch, .notEqual, .regexNoMatch:
                stages.append(.lineFilter(try parseLineFilter()))
            case .pipe:
                if isKeyword("unwrap", peek()) {
                    guard allowUnwrap else { throw unexpected(peek()) }
                    return (stages, try parseUnwrap())
                }
                _ = advance()
                stages.append(try parseStage())
            default:
                return (stages, nil)
            }
        }
    }

    mutating func parseLineFilter() throws(LogQLParseError) -> LineFilterExpr {
        let opToken = advance()
        let op: LineFilterOperator
        switch opToken.kind {
        case .pipeExact: op = .contains
        case .pipeMatch: op = .matches
        case .notEqual: op = .notContains
        default: op = .notMatches
        }
        var values = [try parseLineFilterValue(op)]
        while isKeyword("or"), peek().kind == .string || isKeyword("ip", peek()) {
            _ = advance()
            values.append(try parseLineFilterValue(op))
        }
        return LineFilterExpr(op: op, values: values)
    }

    mutating func parseLineFilterValue(_ op: LineFilterOperator) throws(LogQLParseError) -> LineFilterValue {
        if isKeyword("ip") {
            let ipToken = advance()
            guard op == .contains || op == .notContains else {
                throw failure("syntax error: unexpected IP", at: ipToken)
            }
            _ = try expect(.openParen, "(")
            let pattern = try expect(.string, "STRING")
            _ = try expect(.closeParen, ")")
            guard IPPattern(pattern.text) != nil else {
                throw failure("invalid ip pattern \(GoQuote.quote(pattern.text))", at: pattern)
            }
            return .ip(pattern.text)
        }
        let value = try expect(.string, "STRING")
        if op == .matches || op == .notMatches {
            do { _ = try LineRegex(value.text) } catch { throw failure(error.description, at: value) }
        }
        return .text(value.text)
    }

    mutating func parseUnwrap() throws(LogQLParseError) -> UnwrapExpr {
        _ = advance() // |
        _ = advance() // unwrap
        var conversion = UnwrapExpr.Conversion.none
        let name: Token
        if current.kind == .identifier, peek().kind == .openParen,
            let known = UnwrapExpr.Conversion(rawValue: current.text), known != .none
        {
            conversion = known
            _ = advance()
            _ = advance()
            name = try expect(.identifier, "IDENTIFIER")
            _ = try expect(.closeParen, ")")
        } else {
            name = try expect(.identifier, "IDENTIFIER")
        }
        var filters: [LabelFilterExpr] = []
        while current.kind == .pipe, peek().kind == .identifier, !LogQLKeywords.all.contains(peek().text) {
            _ = advance()
            filters.append(try parseLabelFilter())
        }
        return UnwrapExpr(label: name.text, conversion: conversion, postFilters: filters)
    }

    mutating func parseStage() throws(LogQLParseError) -> PipelineStage {
        let token = current
        guard token.kind == .identifier || token.kind == .openParen else { throw unexpected() }
        switch token.kind == .identifier ? token.text : "" {
        case "json":
            _ = advance()
            return .json(try parseExtractionParameters())
        case "logfmt":
            _ = advance()
            var strict = false
            var keepEmpty = false
            while current.kind == .flag {
                let flag = advance()
                switch flag.text {
                case "--strict": strict = true
                case "--keep-empty": keepEmpty = true
                default: throw failure("syntax error: unexpected PARSER_FLAG \(flag.text)", at: flag)
                }
            }
            return .logfmt(strict: strict, keepEmpty: keepEmpty, try parseExtractionParameters())
        case "regexp":
            _ = advance()
            let pattern = try expect(.string, "STRING")
            do { _ = try RegexpStage(pattern.text) } catch { throw failure(error.description, at: pattern) }
            return .regexp(pattern.text)
        case "pattern":
            _ = advance()
            let pattern = try expect(.string, "STRING")
            do { _ = try PatternMatcher(pattern.text) } catch { throw failure(error.description, at: pattern) }
            return .pattern(pattern.text)
        case "unpack":
            _ = advance()
            return .unpack
        case "decolorize":
            _ = advance()
            return .decolorize
        case "line_format":
            _ = advance()
            let template = try expect(.string, "STRING")
            do { _ = try LokiTemplates.parse(template.text) } catch { throw failure(error.description, at: template) }
            return .lineFormat(template.text)
        case "label_format":
            _ = advance()
            var items: [LabelFormatItem] = []
            repeat {
                if !items.isEmpty { _ = advance() }
                let destination = try expect(.identifier, "IDENTIFIER")
                _ = try expect(.equal, "=")
                if current.kind == .string {
                    let template = advance()
                    do { _ = try LokiTemplates.parse(template.text) } catch { throw failure(error.description, at: template) }
                    items.append(LabelFormatItem(destination: destination.text, value: .template(template.text)))
                } else {
                    let source = try expect(.identifier, "IDENTIFIER")
                    items.append(LabelFormatItem(destination: destination.text, value: .rename(source.text)))
                }
            } while current.kind == .comma
            var seen = Set<String>()
            for item in items where !seen.insert(item.destination).inserted {
                throw failure("syntax error: multiple label name '\(item.destination)' in label_format", at: token)
            }
            return .labelFormat(items)
        case "drop", "keep":
            _ = advance()
            var items: [LabelSelectionItem] = []
            repeat {
                if !items.isEmpty { _ = advance() }
                let name = try expect(.identifier, "IDENTIFIER")
                switch current.kind {
                case .equal, .notEqual, .regexMatch, .regexNoMatch:
                    let op = advance()
                    let value = try expect(.string, "STRING")
                    let type: LabelMatcher.MatchType =
                        op.kind == .equal ? .equal : op.kind == .notEqual ? .notEqual : op.kind == .regexMatch ? .regexMatch : .regexNoMatch
                    do { items.append(.matcher(try LabelMatcher(type, name.text, value.text))) } catch {
                        throw failure(error.description, at: value)
                    }
                default:
                    items.append(.name(name.text))
                }
            } while current.kind == .comma
            return token.text == "drop" ? .drop(items) : .keep(items)
        default:
            return .labelFilter(try parseLabelFilter())
        }
    }

    mutating func parseExtractionParameters() throws(LogQLParseError) -> [ExtractionParameter] {
        var parameters: [ExtractionParameter] = []
        guard current.kind == .identifier, peek().kind == .equal else { return [] }
        repeat {
            if !parameters.isEmpty { _ = advance() }
            let label = try expect(.identifier, "IDENTIFIER")
            _ = try expect(.equal, "=")
            let expression = try expect(.string, "STRING")
            parameters.append(ExtractionParameter(label: label.text, expression: expression.text))
        } while current.kind == .comma && peek().kind == .identifier && peek(2).kind == .equal
        return parameters
    }

    // MARK: Label filters: `or` binds loosest, then `and` (also written `,` or a space).

    mutating func parseLabelFilter() throws(LogQLParseError) -> LabelFilterExpr {
        try nest()
        defer { depth -= 1 }
        var lhs = try parseLabelFilterConjunction()
        while isKeyword("or") {
            _ = advance()
            lhs = .or(lhs, try parseLabelFilterConjunction())
        }
        return lhs
    }

    mutating func parseLabelFilterConjunction() throws(LogQLParseError) -> LabelFilterExpr {
        var lhs = try parseLabelFilterPrimary()
        while true {
            if isKeyword("and") || current.kind == .comma {
                _ = advance()
            } else if current.kind == .openParen
                || (current.kind == .identifier && !LogQLKeywords.all.contains(current.text)
                    && Self.isComparison(peek().kind))
            {
                // Loki also reads filters separated by a space as `and`.
            } else {
                return lhs
            }
            lhs = .and(lhs, try parseLabelFilterPrimary())
        }
    }

    static func isComparison(_ kind: Token.Kind) -> Bool {
        switch kind {
        case .equal, .notEqual, .regexMatch, .regexNoMatch, .doubleEqual, .greater, .greaterEqual, .less, .lessEqual: true
        default: false
        }
    }

    mutating func parseLabelFilterPrimary() throws(LogQLParseError) -> LabelFilterExpr {
        if current.kind == .openParen {
            _ = advance()
            let inner = try parseLabelFilter()
            _ = try expect(.closeParen, ")")
            return inner
        }
        let name = try expect(.identifier, "IDENTIFIER")
        let opToken = advance()
        let op: ComparisonOperator
        switch opToken.kind {
        case .regexMatch, .regexNoMatch:
            let value = try expect(.string, "STRING")
            do {
                return .string(try LabelMatcher(opToken.kind == .regexMatch ? .regexMatch : .regexNoMatch, name.text, value.text))
            } catch {
                throw failure(error.description, at: value)
            }
        case .equal, .doubleEqual: op = .equal
        case .notEqual: op = .notEqual
        case .greater: op = .greater
        case .greaterEqual: op = .greaterEqual
        case .less: op = .less
        case .lessEqual: op = .lessEqual
        default: throw unexpected(opToken)
        }
        let value = advance()
        switch value.kind {
        case .string:
            guard op == .equal || op == .notEqual else { throw unexpected(value) }
            // `=` and `==` on a string are the same matcher.
            do { return .string(try LabelMatcher(op == .equal ? .equal : .notEqual, name.text, value.text)) } catch {
                throw failure(error.description, at: value)
            }
        case .identifier where value.text == "ip":
            guard op == .equal || op == .notEqual else { throw unexpected(value) }
            _ = try expect(.openParen, "(")
            let pattern = try expect(.string, "STRING")
            _ = try expect(.closeParen, ")")
            guard IPPattern(pattern.text) != nil else {
                throw failure("invalid ip pattern \(GoQuote.quote(pattern.text))", at: pattern)
            }
            return .ip(name.text, equal: op == .equal, pattern: pattern.text)
        case .number, .sub:
            var text = value.text
            if value.kind == .sub {
                let number = try expect(.number, "NUMBER")
                text = "-" + number.text
            }
            guard let number = Self.number(text) else { throw failure("invalid number \(text)", at: value) }
            return .number(name.text, op, number)
        case .duration:
            guard let nanoseconds = GoDurationParser.parse(value.text) else { throw unexpected(value) }
            return .duration(name.text, op, nanoseconds)
        case .bytes:
            guard let size = ByteSizeParser.parse(value.text) else { throw unexpected(value) }
            return .bytes(name.text, op, size, text: value.text)
        default:
            throw unexpected(value)
        }
    }

    static func number(_ text: String) -> Double? {
        var body = Substring(text)
        var negative = false
        if body.hasPrefix("-") { negative = true; body = body.dropFirst() }
        if body.hasPrefix("0x") || body.hasPrefix("0X") {
            guard let value = UInt64(body.dropFirst(2), radix: 16) else { return nil }
            return negative ? -Double(value) : Double(value)
        }
        guard let value = Double(body) else { return nil }
        return negative ? -value : value
    }

    // MARK: Metric queries

    mutating func parseMetric(minPrecedence: Int) throws(LogQLParseError) -> MetricExpr {
        try nest()
        defer { depth -= 1 }
        var lhs = try parseMetricUnary()
        while let op = binaryOperator(current), op.precedence >= minPrecedence {
            let opToken = advance()
            var returnBool = false
            if isKeyword("bool") {
                guard op.isComparison else { throw failure("bool modifier can only be used on comparison operators", at: current) }
                _ = advance()
                returnBool = true
            }
            var matching: VectorMatching?
            if isKeyword("on") || isKeyword("ignoring") {
                let on = advance().text == "on"
                let labels = try parseLabelList()
                var cardinality = VectorMatching.Cardinality.oneToOne
                var include: [String] = []
                if isKeyword("group_left") || isKeyword("group_right") {
                    cardinality = advance().text == "group_left" ? .manyToOne : .oneToMany
                    if current.kind == .openParen { include = try parseLabelList() }
                }
                matching = VectorMatching(on: on, labels: labels, cardinality: cardinality, include: include)
            }
            // `^` is right-associative; the rest bind left.
            let nextPrecedence = op == .pow ? op.precedence : op.precedence + 1
            let rhs = try parseMetric(minPrecedence: nextPrecedence)
            if op.isSetOperator, lhs.isScalar || rhs.isScalar {
                throw failure("unexpected literal for right or left side of binary operation: \(op.rawValue)", at: opToken)
            }
            if op.isComparison, lhs.isScalar, rhs.isScalar, !returnBool {
                throw failure("comparisons between scalars must use BOOL modifier", at: opToken)
            }
            lhs = .binary(BinaryExpr(op: op, lhs: lhs, rhs: rhs, returnBool: returnBool, matching: matching))
        }
        return lhs
    }

    func binaryOperator(_ token: Token) -> BinaryOperator? {
        switch token.kind {
        case .add: .add
        case .sub: .sub
        case .mul: .mul
        case .div: .div
        case .mod: .mod
        case .pow: .pow
        case .doubleEqual: .equal
        case .notEqual: .notEqual
        case .greater: .greater
        case .greaterEqual: .greaterEqual
        case .less: .less
        case .lessEqual: .lessEqual
        case .identifier:
            switch token.text {
            case "and": .and
            case "or": .or
            case "unless": .unless
            default: nil
            }
        default: nil
        }
    }

    mutating func parseMetricUnary() throws(LogQLParseError) -> MetricExpr {
        if current.kind == .sub || current.kind == .add {
            let negative = advance().kind == .sub
            let operand = try parseMetricUnary()
            if case .number(let value) = operand { return .number(negative ? -value : value) }
            return negative ? .binary(BinaryExpr(op: .mul, lhs: operand, rhs: .number(-1))) : operand
        }
        return try parseMetricPrimary()
    }

    mutating func parseMetricPrimary() throws(LogQLParseError) -> MetricExpr {
        let token = current
        switch token.kind {
        case .number:
            _ = advance()
            guard let value = Self.number(token.text) else { throw failure("invalid number \(token.text)", at: token) }
            return .number(value)
        case .openParen:
            _ = advance()
            let inner = try parseMetric(minPrecedence: 0)
            _ = try expect(.closeParen, ")")
            return inner
        case .identifier:
            if LogQLKeywords.rangeFunctions.contains(token.text) { return try parseRangeAggregation() }
            if LogQLKeywords.vectorAggregations.contains(token.text) { return try parseVectorAggregation() }
            if token.text == "label_replace" { return try parseLabelReplace() }
            if token.text == "vector" {
                _ = advance()
                _ = try expect(.openParen, "(")
                let value = try parseMetricUnary()
                guard case .number(let number) = value else { throw unexpected() }
                _ = try expect(.closeParen, ")")
                return .vector(number)
            }
            throw unexpected()
        case .openBrace:
            throw unexpected()
        default:
            throw unexpected()
        }
    }

    mutating func parseLabelList() throws(LogQLParseError) -> [String] {
        _ = try expect(.openParen, "(")
        var labels: [String] = []
        while current.kind != .closeParen {
            if !labels.isEmpty { _ = try expect(.comma, ",") }
            labels.append(try expect(.identifier, "IDENTIFIER").text)
        }
        _ = advance()
        return labels
    }

    mutating func parseGrouping() throws(LogQLParseError) -> Grouping? {
        guard isKeyword("by") || isKeyword("without") else { return nil }
        let without = advance().text == "without"
        return Grouping(without: without, labels: try parseLabelList())
    }

    mutating func parseRangeAggregation() throws(LogQLParseError) -> MetricExpr {
        let function = advance()
        _ = try expect(.openParen, "(")
        var parameter: Double?
        if function.text == "quantile_over_time" {
            let value = try parseMetricUnary()
            guard case .number(let number) = value else { throw unexpected() }
            parameter = number
            _ = try expect(.comma, ",")
        }
        let range = try parseLogRange()
        _ = try expect(.closeParen, ")")
        let grouping = try parseGrouping()
        return .rangeAggregation(RangeAggregationExpr(function: function.text, range: range, parameter: parameter, grouping: grouping))
    }

    /// `{…} pipeline [5m] offset 1h`, `{…}[5m] pipeline`, `({…} pipeline)[5m]`.
    mutating func parseLogRange() throws(LogQLParseError) -> LogRangeExpr {
        var parenthesised = 0
        while current.kind == .openParen {
            try nest()
            _ = advance()
            parenthesised += 1
        }
        let matchers = try parseMatchers()
        var (stages, unwrap) = try parsePipeline(allowUnwrap: true)
        for _ in 0..<parenthesised {
            _ = try expect(.closeParen, ")")
            depth -= 1
        }
        _ = try expect(.openBracket, "[")
        let durationToken = try expect(.duration, "DURATION")
        guard let range = GoDurationParser.parse(durationToken.text), range > 0 else {
            throw failure("syntax error: invalid range \(durationToken.text)", at: durationToken)
        }
        _ = try expect(.closeBracket, "]")
        if stages.isEmpty && unwrap == nil {
            (stages, unwrap) = try parsePipeline(allowUnwrap: true)
        } else if unwrap == nil, current.kind == .pipe, isKeyword("unwrap", peek()) {
            unwrap = try parseUnwrap()
        }
        var offset: Int64 = 0
        if isKeyword("offset") {
            _ = advance()
            let offsetToken = try expect(.duration, "DURATION")
            guard let value = GoDurationParser.parse(offsetToken.text) else { throw unexpected(offsetToken) }
            offset = value
        }
        return LogRangeExpr(selector: LogSelectorExpr(matchers: matchers, stages: stages), range: range, offset: offset, unwrap: unwrap)
    }

    mutating func parseVectorAggregation() throws(LogQLParseError) -> MetricExpr {
        let operation = advance()
        var grouping = try parseGrouping()
        _ = try expect(.openParen, "(")
        var parameter: Int?
        if operation.text == "topk" || operation.text == "bottomk" {
            let value = try parseMetricUnary()
            guard case .number(let number) = value else { throw unexpected() }
            guard number >= 1, number < Double(Int32.max), number == number.rounded() else {
                throw failure("invalid parameter \(operation.text)(\(GoFloat.format(number)),", at: operation)
            }
            parameter = Int(number)
            _ = try expect(.comma, ",")
        }
        let inner = try parseMetric(minPrecedence: 0)
        _ = try expect(.closeParen, ")")
        if grouping == nil { grouping = try parseGrouping() }
        if (operation.text == "sort" || operation.text == "sort_desc"), grouping != nil {
            throw failure("grouping not allowed for \(operation.text) aggregation", at: operation)
        }
        return .vectorAggregation(VectorAggregationExpr(operation: operation.text, grouping: grouping, parameter: parameter, inner: inner))
    }

    mutating func parseLabelReplace() throws(LogQLParseError) -> MetricExpr {
        _ = advance()
        _ = try expect(.openParen, "(")
        let inner = try parseMetric(minPrecedence: 0)
        var strings: [Token] = []
        for _ in 0..<4 {
            _ = try expect(.comma, ",")
            strings.append(try expect(.string, "STRING"))
        }
        _ = try expect(.closeParen, ")")
        do { _ = try AnchoredRegex(strings[3].text) } catch { throw failure(error.description, at: strings[3]) }
        return .labelReplace(LabelReplaceExpr(
            inner: inner, destination: strings[0].text, replacement: strings[1].text, source: strings[2].text,
            regex: strings[3].text))
    }
}
