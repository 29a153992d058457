import Testing
import VigilLogQL
import VigilModel
import VigilTestSupport

/// Random and mutated queries: the parser must return or throw an error with a position, never
/// crash or hang; whatever parses must run.
@Suite struct FuzzTests {
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let seeds = [
        #"{app="api", env=~"prod|stage"} |= "error" != "debug" |~ "(?i)time(out)?" | json | status >= 500 and duration > 1s"#,
        #"sum by (status) (count_over_time({job="ingress"} | json [5m]))"#,
        #"topk(3, sum by (path) (rate({a="b"} | logfmt | unwrap bytes(size) | __error__="" [1m]))) / on (path) group_left 2"#,
        #"{a="b"} | pattern "<ip> - <_> \"<m> <p>\"" | line_format "{{.ip | ToUpper}}" | label_format x=ip, y="{{.m}}" | drop z | keep a"#,
        #"label_replace(quantile_over_time(0.9, {a="b"} | regexp "(?P<n>\\d+)" | unwrap n [5m] offset 1h) by (n), "d", "$1", "n", "(.*)")"#,
        #"absent_over_time({a="日本"} |= ip("10.0.0.0/8") or "x" [1m]) > bool vector(1) or count_over_time({a="x"}[1m]) ^ -3 % 4"#,
    ]

    static let fragments = [
        "{", "}", "(", ")", "[", "]", ",", "|", "|=", "|~", "!=", "!~", "=~", "=", "==", ">", ">=", "<", "+", "-", "*", "/",
        "%", "^", "\"", "`", "\\", "#", "5m", "1.5", "10KB", "json", "logfmt", "unwrap", "by", "sum", "rate", "or", "and",
        "bool", "on", "group_left", "offset", "--strict", "ip(", "\"x\"", "a", " ", "\n", "é", "😀", "\u{0}", "{{", "}}",
    ]

    @Test func randomTokenSoup() async {
        var random = Generator(state: 0xC0FFEE)
        for _ in 0..<3000 {
            var query = ""
            for _ in 0..<Int.random(in: 1...30, using: &random) {
                query += Self.fragments.randomElement(using: &random)!
            }
            await check(query)
        }
    }

    @Test func mutatedValidQueries() async {
        var random = Generator(state: 42)
        for _ in 0..<3000 {
            var scalars = Array(Self.seeds.randomElement(using: &random)!.unicodeScalars)
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let position = Int.random(in: 0...scalars.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0 where position < scalars.count: scalars.remove(at: position)
                case 1:
                    let fragment = Self.fragments.randomElement(using: &random)!
                    scalars.insert(contentsOf: fragment.unicodeScalars, at: position)
                default:
                    if position < scalars.count, let other = scalars.indices.randomElement(using: &random) {
                        scalars.swapAt(position, other)
                    }
                }
            }
            await check(String(String.UnicodeScalarView(scalars)))
        }
    }

    @Test func deepNestingIsRefused() async {
        await offTheCooperativePool { checkDeepNestingIsRefused() }
    }

    private func checkDeepNestingIsRefused() {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        #expect(throws: LogQLParseError.self) { try LogQLParser.parse(deep) }
        let filters = #"{a="b"} | "# + String(repeating: "(", count: 5000) + "x=1" + String(repeating: ")", count: 5000)
        #expect(throws: LogQLParseError.self) { try LogQLParser.parse(filters) }
    }

    @Test func seedsParseAndRun() async throws {
        let data = source([(["a": "b"], 1, #"{"status":"500","path":"/x"}"#), (["a": "日本"], 2, "10.1.1.1 x")])
        for seed in Self.seeds {
            let parsed = try LogQLParser.parse(seed)
            #expect(try LogQLParser.parse(parsed.description) == parsed, "\(seed)")
            _ = try? await LogQLEngine(source: data).rangeQuery(seed, start: 0, end: ns(600), step: ns(60))
        }
    }

    func check(_ query: String) async {
        do {
            let parsed = try LogQLParser.parse(query)
            // What parses has a canonical form that parses to the same tree.
            let again = try? LogQLParser.parse(parsed.description)
            #expect(again == parsed, "\(query) → \(parsed.description)")
        } catch {
            let hasPosition = error.line == 0 && error.column == 0 || (error.line >= 1 && error.column >= 1 && error.offset >= 0)
            #expect(hasPosition, "\(query): \(error)")
            #expect(error.offset <= query.utf8.count)
        }
    }
}
