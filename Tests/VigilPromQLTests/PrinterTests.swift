import Testing
import VigilPromQL

/// Valid queries and the canonical text Prometheus prints for them (`printer_test.go` and
/// `parse_test.go`); every printed form must parse back to the same tree.
struct PrinterTests {
    static let cases: [(query: String, printed: String)] = [
        // printer_test.go
        (#"sum by() (task:errors:rate10s{job="s"})"#, #"sum(task:errors:rate10s{job="s"})"#),
        (#"sum by(code) (task:errors:rate10s{job="s"})"#, #"sum by (code) (task:errors:rate10s{job="s"})"#),
        (#"sum without() (task:errors:rate10s{job="s"})"#, #"sum without () (task:errors:rate10s{job="s"})"#),
        (#"sum without(instance) (task:errors:rate10s{job="s"})"#, #"sum without (instance) (task:errors:rate10s{job="s"})"#),
        (#"topk(5, task:errors:rate10s{job="s"})"#, #"topk(5, task:errors:rate10s{job="s"})"#),
        (#"count_values("value", task:errors:rate10s{job="s"})"#, #"count_values("value", task:errors:rate10s{job="s"})"#),
        ("a - on() c", "a - on () c"),
        ("a - on(b) c", "a - on (b) c"),
        ("a - on(b) group_left(x) c", "a - on (b) group_left (x) c"),
        ("a - on(b) group_left(x, y) c", "a - on (b) group_left (x, y) c"),
        ("a - on(b) group_left c", "a - on (b) group_left () c"),
        ("a - on(b) group_left() (c)", "a - on (b) group_left () (c)"),
        ("a - ignoring(b) c", "a - ignoring (b) c"),
        ("a - ignoring() c", "a - c"),
        ("up > bool 0", "up > bool 0"),
        ("a offset 1m", "a offset 1m"),
        ("a offset -7m", "a offset -7m"),
        (#"a{c="d"}[5m] offset 1m"#, #"a{c="d"}[5m] offset 1m"#),
        ("a[5m] offset 1m", "a[5m] offset 1m"),
        ("a[12m] offset -3m", "a[12m] offset -3m"),
        ("a[1h:5m] offset 1m", "a[1h:5m] offset 1m"),
        (#"{__name__="a"}"#, #"{__name__="a"}"#),
        (#"a{b!="c"}[1m]"#, #"a{b!="c"}[1m]"#),
        (#"a{b=~"c"}[1m]"#, #"a{b=~"c"}[1m]"#),
        (#"a{b!~"c"}[1m]"#, #"a{b!~"c"}[1m]"#),
        ("a @ 10", "a @ 10.000"),
        ("a[1m] @ 10", "a[1m] @ 10.000"),
        ("a @ start()", "a @ start()"),
        ("a @ end()", "a @ end()"),
        ("a[1m] @ start()", "a[1m] @ start()"),
        ("a[1m] @ end()", "a[1m] @ end()"),
        (#"{__name__="",a="x"}"#, #"{__name__="",a="x"}"#),
        (#"{"a.b"="c"}"#, #"{"a.b"="c"}"#),
        (#"{"0"="1"}"#, #"{"0"="1"}"#),
        (#"{"_0"="1"}"#, #"{_0="1"}"#),
        // Numbers: Go's %v form; signs fold into literals.
        ("1", "1"), ("+1", "1"), ("-1", "-1"), (".5", "0.5"), ("5.", "5"), ("-5.", "-5"), ("1e3", "1000"),
        ("1e6", "1e+06"), ("123456789", "1.23456789e+08"), ("0.0001", "0.0001"), ("0.00001", "1e-05"),
        ("0x1f", "31"), ("0X1F", "31"), ("0755", "493"), ("08", "8"), ("0755.5", "755.5"), ("0x1e5", "485"),
        ("Inf", "+Inf"), ("-inf", "-Inf"), ("NaN", "NaN"), ("nAn", "NaN"), ("iNf", "+Inf"), ("-0", "-0"),
        ("9223372036854775807", "9.223372036854776e+18"), ("1e-400", "0"), ("- - 1", "1"), ("-(1)", "-(1)"),
        // Strings: Go's strconv.Quote.
        ("\"a\\tb\"", "\"a\\tb\""), ("'it\\'s'", "\"it's\""), ("`raw\\n`", "\"raw\\\\n\""), ("\"\\x41\\101\\u0041\"", "\"AAA\""),
        ("\"\\u00e9\\U0001F600\"", "\"é😀\""), ("\"\\a\\b\\f\\v\\r\"", "\"\\a\\b\\f\\v\\r\""), ("'\"'", "\"\\\"\""),
        ("\"\\u00a0\"", "\"\\u00a0\""), ("\"\\x7f\"", "\"\\x7f\""),
        // Precedence and associativity.
        ("1 + 2 * 3", "1 + 2 * 3"), ("-2 ^ 2", "-2 ^ 2"), ("2 ^ 3 ^ 2", "2 ^ 3 ^ 2"), ("2 ^ -1", "2 ^ -1"),
        ("-a * b", "-a * b"), ("- -a", "--a"), ("+a", "+a"), ("a or b and c unless d", "a or b and c unless d"),
        ("a atan2 b", "a atan2 b"), ("a % b / c", "a % b / c"), ("a == bool b", "a == bool b"),
        ("a != b >= c <= d < e > f", "a != b >= c <= d < e > f"), ("1 == bool 1", "1 == bool 1"),
        ("foo * on(a, b) group_right(c) bar", "foo * on (a, b) group_right (c) bar"),
        ("foo and ignoring(a) bar", "foo and ignoring (a) bar"), ("foo or on() bar", "foo or on () bar"),
        ("foo > bool on() 1", "foo > bool 1"), ("foo + on() 10", "foo + 10"),
        // Selectors and modifiers.
        ("foo", "foo"), ("foo:bar:baz", "foo:bar:baz"), ("sum", "sum"), ("by", "by"), ("offset", "offset"),
        ("and", "and"), ("start", "start"), ("foo and and", "foo and and"), ("SUM", "SUM"),
        (#"foo{b="2",a="1"}"#, #"foo{a="1",b="2"}"#), (#"foo{a="1",}"#, #"foo{a="1"}"#), ("foo{}", "foo"),
        (#"{"foo"}"#, #"{__name__="foo"}"#), (#"{"foo", a="b"}"#, #"{__name__="foo",a="b"}"#),
        (#"foo{a="\n\"x"}"#, #"foo{a="\n\"x"}"#), (#"foo{a=~".*\\d"}"#, #"foo{a=~".*\\d"}"#),
        (#"foo{on="x", by="y", sum="z"}"#, #"foo{by="y",on="x",sum="z"}"#),
        ("foo offset 5m", "foo offset 5m"), ("foo offset -5m", "foo offset -5m"), ("foo OFFSET 1h30m", "foo offset 1h30m"),
        ("foo offset 90m", "foo offset 1h30m"), ("foo offset 1d", "foo offset 1d"), ("foo offset 7d", "foo offset 1w"),
        ("foo offset 365d", "foo offset 1y"), ("foo offset 8d", "foo offset 8d"), ("foo offset 500ms", "foo offset 500ms"),
        ("foo offset 1y2w3d4h5m6s7ms", "foo offset 382d4h5m6s7ms"), ("foo offset 3600s", "foo offset 1h"),
        ("foo @ 1603774568", "foo @ 1603774568.000"), ("foo @ -100", "foo @ -100.000"), ("foo @ 1.5555", "foo @ 1.556"),
        ("foo @ 0x10", "foo @ 16.000"), ("foo @ +10", "foo @ 10.000"), ("foo @ 1e3 offset 1m", "foo @ 1000.000 offset 1m"),
        ("foo offset 1m @ 1e3", "foo @ 1000.000 offset 1m"), ("foo @ START()", "foo @ start()"),
        ("foo[5m] @ end() offset 1m", "foo[5m] @ end() offset 1m"), ("foo @ start() [5m]", "foo[5m] @ start()"),
        ("foo[ 5m ]", "foo[5m]"), ("foo[1h30m]", "foo[1h30m]"), ("foo[5m:]", "foo[5m:]"), ("foo[5m:1m]", "foo[5m:1m]"),
        ("foo[5m : 1m]", "foo[5m:1m]"), ("foo offset 1m [5m:1m]", "foo offset 1m[5m:1m]"),
        ("rate(foo[5m])[30m:1m] @ 100 offset 5m", "rate(foo[5m])[30m:1m] @ 100.000 offset 5m"),
        ("(foo + bar)[5m:]", "(foo + bar)[5m:]"),
        ("min_over_time(rate(foo[5m])[30m:1m])", "min_over_time(rate(foo[5m])[30m:1m])"),
        // Aggregations.
        ("sum(foo)", "sum(foo)"), ("SUM BY (a)(foo)", "sum by (a) (foo)"), ("sum(foo) by (a, b)", "sum by (a, b) (foo)"),
        ("sum(foo) without (a)", "sum without (a) (foo)"), ("avg by (a,)(foo)", "avg by (a) (foo)"),
        ("count by (on, by, sum, start, group_left, bool, atan2)(foo)", "count by (on, by, sum, start, group_left, bool, atan2) (foo)"),
        ("min(foo)", "min(foo)"), ("max(foo)", "max(foo)"), ("group(foo)", "group(foo)"), ("stddev(foo)", "stddev(foo)"),
        ("stdvar(foo)", "stdvar(foo)"), ("bottomk(3, foo)", "bottomk(3, foo)"), ("quantile(0.9, foo)", "quantile(0.9, foo)"),
        ("topk by (a) (scalar(bar), foo)", "topk by (a) (scalar(bar), foo)"),
        ("count_values without (a) ('v', foo)", "count_values without (a) (\"v\", foo)"),
        ("sum(sum(foo) by (a))", "sum(sum by (a) (foo))"),
        // Functions with their argument types.
        ("time()", "time()"), ("pi()", "pi()"), ("hour()", "hour()"), ("hour(foo)", "hour(foo)"),
        ("round(foo)", "round(foo)"), ("round(foo, 5)", "round(foo, 5)"), ("vector(1)", "vector(1)"),
        ("label_join(foo, 'a', ',', 'b', 'c', 'd')", "label_join(foo, \"a\", \",\", \"b\", \"c\", \"d\")"),
        ("label_join(foo, 'a', ',')", "label_join(foo, \"a\", \",\")"),
        ("label_replace(foo, 'a', '$1', 'b', '(.*)')", "label_replace(foo, \"a\", \"$1\", \"b\", \"(.*)\")"),
        ("histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))", "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))"),
        ("histogram_fraction(0, 1, x)", "histogram_fraction(0, 1, x)"), ("holt_winters(x[5m], 0.5, 0.5)", "holt_winters(x[5m], 0.5, 0.5)"),
        ("clamp(x, 0, 1)", "clamp(x, 0, 1)"), ("predict_linear(x[5m], 3600)", "predict_linear(x[5m], 3600)"),
        ("quantile_over_time(0.5, x[5m])", "quantile_over_time(0.5, x[5m])"), ("absent(nonexistent{job=\"x\"})", "absent(nonexistent{job=\"x\"})"),
        ("rate(x[5m]) # a comment\n + 1", "rate(x[5m]) + 1"), ("sum(\n  rate(x[5m])\n)", "sum(rate(x[5m]))"),
        ("timestamp(foo @ 10)", "timestamp(foo @ 10.000)"), ("scalar(foo) > bool 1", "scalar(foo) > bool 1"),
        ("-sum(foo)", "-sum(foo)"), ("(((foo)))", "(((foo)))"), ("1 + -foo", "1 + -foo"),
    ]

    @Test(arguments: cases)
    func printsCanonically(query: String, printed: String) throws {
        let expr = try PromQL.parse(query)
        #expect(expr.description == printed, "\(query.debugDescription)")
        let reparsed = try PromQL.parse(expr.description)
        #expect(reparsed == expr, "\(query.debugDescription) → \(expr.description)")
        #expect(reparsed.description == printed)
    }

    @Test func functionsEveryOneParses() throws {
        #expect(Function.all.count == 76)
        for function in Function.all.values {
            let args = function.argumentTypes.map { type -> String in
                switch type {
                case .scalar: "1"
                case .vector: "foo"
                case .matrix: "foo[5m]"
                case .string: "\"a\""
                case .none: ""
                }
            }
            let query = function.name + "(" + args.joined(separator: ", ") + ")"
            let options = PromQL.ParseOptions(enableExperimentalFunctions: true)
            let expr = try PromQL.parse(query, options: options)
            #expect(expr.description == query)
            #expect(expr.type == function.returnType)
        }
    }
}
