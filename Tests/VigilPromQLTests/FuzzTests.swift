import Testing
import VigilPromQL

/// Random inputs: the parser must return or throw, never crash or hang, and whatever parses
/// must print to text that parses back to the same tree.
struct FuzzTests {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    static let fragments = [
        "foo", "bar", "sum", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "@",
        "start()", "end()", "(", ")", "{", "}", "[", "]", ",", ":", "=", "!=", "=~", "!~", "==", "<", ">", "<=", ">=",
        "+", "-", "*", "/", "%", "^", "and", "or", "unless", "atan2", "1", "0x1f", "1.5e3", "Inf", "NaN", "5m",
        "1h30m", "\"a\"", "'b'", "`c`", "rate", "topk", "count_values", "quantile", "label_replace", "time",
        "histogram_quantile", "a=\"1\"", "#c\n", " ", "\n", "x:y", "__name__", "\"\\x41\"", "\"\\u00e9\"", "é", "$",
    ]

    static let seeds = [
        #"sum by (job) (rate(http_requests_total{job="api", code=~"5.."}[5m]))"#,
        "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m]))) > bool on(a) group_left(b) c",
        "max_over_time(deriv(rate(foo[5m])[30m:1m])[1h:] @ start() offset -5m)",
        "topk(3, foo offset 1h) or -bar ^ 2 unless count_values(\"v\", baz)",
        "label_replace(up, \"a\", \"$1\", \"instance\", \"(.*):.*\") / ignoring(x) foo ^ -1",
    ]

    private func roundTrip(_ query: String) {
        guard let expr = try? PromQL.parse(query) else { return }
        let printed = expr.description
        do {
            let reparsed = try PromQL.parse(printed)
            #expect(reparsed == expr, "\(query.debugDescription) printed \(printed.debugDescription)")
        } catch {
            Issue.record("\(query.debugDescription) printed \(printed.debugDescription), which fails: \(error)")
        }
    }

    @Test func randomTokenSequences() {
        var random = Random(state: 42)
        for _ in 0..<5000 {
            var query = ""
            for _ in 0..<random.below(12) + 1 {
                query += random.pick(Self.fragments)
                if random.below(2) == 0 { query += " " }
            }
            roundTrip(query)
        }
    }

    @Test func mutationsOfValidQueries() {
        var random = Random(state: 7)
        for _ in 0..<5000 {
            var bytes = Array(random.pick(Self.seeds).utf8)
            for _ in 0..<random.below(3) + 1 {
                let index = random.below(bytes.count)
                switch random.below(3) {
                case 0: bytes.remove(at: index)
                case 1: bytes.insert(random.pick(Array("()[]{},:=!~\"'`@+-*/^ 0123456789abcmsoy#\\".utf8)), at: index)
                default: bytes[index] = random.pick(Array("()[]{},:=!~\"'`@+-*/^ 0x9ehdwy".utf8))
                }
                if bytes.isEmpty { break }
            }
            roundTrip(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func validSeedsRoundTrip() throws {
        for seed in Self.seeds {
            let expr = try PromQL.parse(seed)
            #expect(try PromQL.parse(expr.description) == expr)
        }
    }

    @Test func deepNestingIsRejectedNotCrashing() {
        let cases = [
            String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000),
            String(repeating: "-", count: 100_000) + "1",
            String(repeating: "abs(", count: 50_000) + "foo" + String(repeating: ")", count: 50_000),
            "1" + String(repeating: " + 1", count: 100_000),
            "2" + String(repeating: " ^ 2", count: 100_000),
            "foo" + String(repeating: "[1m:]", count: 10_000),
            "(" + String(repeating: "-{}-1", count: 10_000) + ")" + String(repeating: "[1m:]", count: 1000),
            String(repeating: "sum(", count: 50_000) + "foo" + String(repeating: ")", count: 50_000),
        ]
        for query in cases {
            do {
                _ = try PromQL.parse(query)
                Issue.record("accepted \(query.prefix(20))")
            } catch {
                #expect(error.isNestingLimit || error.message.contains("non-empty matcher"), "\(error)")
            }
        }
    }

    @Test func nestingWithinTheLimitParses() throws {
        let depth = PromQL.ParseOptions().maximumDepth - 2
        let query = String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        #expect(try PromQL.parse(query).type == .scalar)
        let chain = "1" + String(repeating: " + 1", count: depth - 1)
        #expect(try PromQL.parse(chain).type == .scalar)
    }
}
