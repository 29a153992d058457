import Testing
import VigilModel
import VigilPromQL

/// Tree shapes, types and values the parser builds.
struct ParserTests {
    private func selector(_ name: String, _ extra: [LabelMatcher] = []) throws -> Expr {
        .vectorSelector(VectorSelector(name: name, matchers: extra + [try LabelMatcher(.equal, "__name__", name)]))
    }

    @Test func unaryMinusBindsLooserThanPower() throws {
        let expr = try PromQL.parse("-2 ^ 2")
        #expect(expr == .unary(UnaryExpr(.minus, .binary(BinaryExpr(.pow, .number(NumberLiteral(2)), .number(NumberLiteral(2)))))))
    }

    @Test func powerIsRightAssociative() throws {
        let expr = try PromQL.parse("2 ^ 3 ^ 2")
        let inner = Expr.binary(BinaryExpr(.pow, .number(NumberLiteral(3)), .number(NumberLiteral(2))))
        #expect(expr == .binary(BinaryExpr(.pow, .number(NumberLiteral(2)), inner)))
    }

    @Test func subtractionIsLeftAssociative() throws {
        let expr = try PromQL.parse("1 - 2 - 3")
        let inner = Expr.binary(BinaryExpr(.sub, .number(NumberLiteral(1)), .number(NumberLiteral(2))))
        #expect(expr == .binary(BinaryExpr(.sub, inner, .number(NumberLiteral(3)))))
    }

    @Test func unaryMinusOnSelectorGroupsBeforeMultiplication() throws {
        let expr = try PromQL.parse("-a * b")
        let lhs = Expr.unary(UnaryExpr(.minus, try selector("a")))
        #expect(expr == .binary(BinaryExpr(.mul, lhs, try selector("b"), vectorMatching: VectorMatching())))
    }

    @Test func precedenceLevels() throws {
        // a or b and c == d + e * f ^ g  →  a or (b and (c == (d + (e * (f ^ g)))))
        let expr = try PromQL.parse("a or b and c == d + e * f ^ g")
        #expect(expr.description == "a or b and c == d + e * f ^ g")
        guard case .binary(let or) = expr, or.op == .or, case .binary(let and) = or.rhs, and.op == .and,
              case .binary(let eq) = and.rhs, eq.op == .equal, case .binary(let add) = eq.rhs, add.op == .add,
              case .binary(let mul) = add.rhs, mul.op == .mul, case .binary(let pow) = mul.rhs, pow.op == .pow
        else {
            Issue.record("wrong shape: \(expr)")
            return
        }
        #expect(or.vectorMatching?.cardinality == .manyToMany)
        #expect(and.vectorMatching?.cardinality == .manyToMany)
        #expect(eq.vectorMatching?.cardinality == .oneToOne)
    }

    @Test func modifiersBindToTheNearestOperand() throws {
        let expr = try PromQL.parse("a + b offset 5m")
        guard case .binary(let node) = expr, case .vectorSelector(let rhs) = node.rhs else {
            Issue.record("wrong shape")
            return
        }
        #expect(rhs.offsetMilliseconds == 300_000)
        let unary = try PromQL.parse("-a @ 10")
        guard case .unary(let negation) = unary, case .vectorSelector(let operand) = negation.expr else {
            Issue.record("wrong shape")
            return
        }
        #expect(operand.at == .timestamp(10_000))
    }

    @Test func vectorMatching() throws {
        let expr = try PromQL.parse("a * on(x, y) group_left(z) b")
        guard case .binary(let node) = expr else { return }
        #expect(node.vectorMatching == VectorMatching(cardinality: .manyToOne, matchingLabels: ["x", "y"], on: true, include: ["z"]))
        let scalarSide = try PromQL.parse("a * on() 2")
        guard case .binary(let scalar) = scalarSide else { return }
        #expect(scalar.vectorMatching == nil)
        let ignoring = try PromQL.parse("a > bool ignoring(x) group_right b")
        guard case .binary(let right) = ignoring else { return }
        #expect(right.returnBool)
        #expect(right.vectorMatching == VectorMatching(cardinality: .oneToMany, matchingLabels: ["x"], on: false, include: []))
    }

    @Test func selectorsKeepMatchersAndAppendTheName() throws {
        let expr = try PromQL.parse(#"foo{a="1", b!~"x|y"} offset -1m @ end()"#)
        guard case .vectorSelector(let node) = expr else { return }
        #expect(node.name == "foo")
        #expect(node.matchers.map(\.name) == ["a", "b", "__name__"])
        #expect(node.matchers[1].type == .regexNoMatch)
        #expect(node.offsetMilliseconds == -60_000)
        #expect(node.at == .end)
        #expect(node.positionRange == PositionRange(start: 0, end: 39))
    }

    @Test func rangesAndSubqueries() throws {
        let matrix = try PromQL.parse("foo[1h30m] offset 5m")
        guard case .matrixSelector(let range) = matrix else { return }
        #expect(range.rangeMilliseconds == 5_400_000)
        #expect(range.vectorSelector.offsetMilliseconds == 300_000)
        #expect(matrix.type == .matrix)
        let subquery = try PromQL.parse("rate(foo[5m])[1h:30s] @ 1.0005")
        guard case .subquery(let node) = subquery else { return }
        #expect(node.rangeMilliseconds == 3_600_000)
        #expect(node.stepMilliseconds == 30_000)
        #expect(node.at == .timestamp(1001))
    }

    @Test func types() throws {
        #expect(try PromQL.parse("1").type == .scalar)
        #expect(try PromQL.parse("1 + 1").type == .scalar)
        #expect(try PromQL.parse("1 + foo").type == .vector)
        #expect(try PromQL.parse("\"x\"").type == .string)
        #expect(try PromQL.parse("(foo[5m])").type == .matrix)
        #expect(try PromQL.parse("time()").type == .scalar)
        #expect(try PromQL.parse("-scalar(foo)").type == .scalar)
        #expect(try PromQL.parse("sum(foo)").type == .vector)
        #expect(try PromQL.parse("foo[5m:]").type == .matrix)
    }

    @Test func aggregationParameters() throws {
        let expr = try PromQL.parse("topk(3, foo) by (a)")
        guard case .aggregate(let node) = expr else { return }
        #expect(node.op == .topk)
        #expect(node.param == .number(NumberLiteral(3)))
        #expect(node.grouping == ["a"])
        #expect(!node.without)
    }

    @Test func numbers() throws {
        let cases: [(String, Double)] = [
            ("0x10", 16), ("010", 8), ("019", 19), ("1e-3", 0.001), ("1E+2", 100), (".5e1", 5), ("-0x10", -16),
            ("18446744073709551616", 18446744073709551616), ("0x7fffffffffffffff", 9223372036854775807),
        ]
        for (text, value) in cases {
            #expect(try PromQL.parse(text) == .number(NumberLiteral(value)), "\(text)")
        }
        guard case .number(let nan) = try PromQL.parse("NaN") else { return }
        #expect(nan.value.isNaN)
    }

    @Test func errorCarriesPosition() {
        do {
            _ = try PromQL.parse("foo +\n  bar *")
            Issue.record("parsed")
        } catch {
            #expect(error.line == 2)
            #expect(error.column == 8)
            #expect(error.positionRange == PositionRange(start: 13, end: 13))
            #expect(error.message == "unexpected end of input")
        }
    }

    @Test func metricSelectors() throws {
        let matchers = try PromQL.parseMetricSelector(#"up{job="node", instance=~"a.*"}"#)
        #expect(matchers.map(\.description) == [#"job="node""#, #"instance=~"a.*""#, #"__name__="up""#])
        #expect(try PromQL.parseMetricSelector("{}").isEmpty)
        #expect(try PromQL.parseMetricSelector(#"{"a.b"}"#).map(\.value) == ["a.b"])
        #expect(throws: PromQLParseError.self) { try PromQL.parseMetricSelector("up + 1") }
        #expect(throws: PromQLParseError.self) { try PromQL.parseMetricSelector("sum(up)") }
    }

    @Test func experimentalFunctionsNeedTheOption() throws {
        #expect(throws: PromQLParseError.self) { try PromQL.parse("sort_by_label(foo, \"a\")") }
        let options = PromQL.ParseOptions(enableExperimentalFunctions: true)
        #expect(try PromQL.parse("sort_by_label(foo, \"a\", \"b\")", options: options).description == #"sort_by_label(foo, "a", "b")"#)
    }
}
