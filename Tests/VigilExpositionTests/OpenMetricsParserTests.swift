import Testing
import VigilTestSupport
import VigilExposition
import VigilModel

@Suite("OpenMetrics 1.0 parser")
struct OpenMetricsParserTests {
    @Test func parsesAFullExposition() throws {
        let input = """
        # TYPE acme_http_router_request_seconds summary
        # UNIT acme_http_router_request_seconds seconds
        # HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.
        acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32
        acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0
        acme_http_router_request_seconds_created{path="/api/v1",method="GET"} 1605281325.0
        # HELP go_goroutines Number of goroutines, \\"quoted\\" \\\\ \\"escaped\\".
        # TYPE go_goroutines gauge
        go_goroutines 69 1712345678.123
        # TYPE process_cpu_seconds counter
        # UNIT process_cpu_seconds seconds
        process_cpu_seconds_total 4.20072246e+06 # {trace_id="KOO5S4vxi0o"} 0.67 1.5
        process_cpu_seconds_created 1.6e9
        # TYPE rpc_latency histogram
        rpc_latency_bucket{le="0.1"} 10 # {trace_id="abc"} 0.05
        rpc_latency_bucket{le="+Inf"} 17
        rpc_latency_count 17
        rpc_latency_sum 324.5
        # TYPE queue gaugehistogram
        queue_bucket{le="+Inf"} 2
        queue_gcount 2
        queue_gsum -3
        # TYPE build info
        build_info{version="1.0"} 1
        # TYPE state stateset
        state{state="a"} 1
        state{state="b"} 0
        # TYPE other unknown
        other{} -Infinity
        untyped_implicit NaN -1.5
        # EOF
        """
        let entries = try parse(input, .openMetrics)
        try #require(entries.count == 30)
        #expect(entries[2] == .help("acme_http_router_request_seconds", "Latency though all of ACME's HTTP request router."))
        #expect(entries[1] == .unit("acme_http_router_request_seconds", "seconds"))
        #expect(entries[6] == .help("go_goroutines", "Number of goroutines, \"quoted\" \\ \"escaped\"."))
        #expect(entries[8] == .series(raw: "go_goroutines", labels: ["__name__": "go_goroutines"], value: 69,
                                      timestamp: 1_712_345_678_123, exemplar: nil))
        #expect(entries[11] == .series(
            raw: "process_cpu_seconds_total", labels: ["__name__": "process_cpu_seconds_total"], value: 4.20072246e6,
            timestamp: nil, exemplar: Exemplar(labels: ["trace_id": "KOO5S4vxi0o"], value: 0.67, timestamp: 1500)))
        #expect(entries[14] == .series(
            raw: "rpc_latency_bucket{le=\"0.1\"}", labels: ["__name__": "rpc_latency_bucket", "le": "0.1"], value: 10,
            timestamp: nil, exemplar: Exemplar(labels: ["trace_id": "abc"], value: 0.05)))
        #expect(entries[18] == .type("queue", .gaugehistogram))
        #expect(entries[28] == .series(raw: "other{}", labels: ["__name__": "other"], value: -.infinity, timestamp: nil, exemplar: nil))
        #expect(entries[29] == .series(raw: "untyped_implicit", labels: ["__name__": "untyped_implicit"], value: .nan,
                                       timestamp: -1500, exemplar: nil))
    }

    @Test func eofWithAndWithoutNewline() throws {
        #expect(try parse("# EOF", .openMetrics).isEmpty)
        #expect(try parse("# EOF\n", .openMetrics).isEmpty)
        #expect(try parse("a 1\n# EOF", .openMetrics).count == 1)
    }

    @Test(arguments: [
        ("1", Int64(1000)), ("1.5", 1500), ("1712345678.123", 1_712_345_678_123), ("1.001", 1001), ("1.0019", 1001),
        ("-1.5", -1500), ("1e3", 1_000_000), ("1.5E+3", 1_500_000), ("0", 0), ("+2", 2000), (".5", 500),
    ] as [(String, Int64)])
    func timestampsAreSecondsStoredAsMilliseconds(text: String, expected: Int64) throws {
        let entries = try parse("a 1 \(text)\n# EOF\n", .openMetrics)
        guard case .series(_, _, _, let timestamp, _) = entries.first else {
            Issue.record("no series")
            return
        }
        #expect(timestamp == expected)
    }

    @Test func exemplarLabelLengthLimitIs128CodePoints() throws {
        let ok = String(repeating: "é", count: 126) // "id" (2) + 126 = 128 code points, 254 bytes
        let okInput = "# TYPE c counter\nc_total 1 # {id=\"\(ok)\"} 1\n# EOF\n"
        #expect(try parse(okInput, .openMetrics).count == 2)
        let tooLong = "# TYPE c counter\nc_total 1 # {id=\"\(ok)x\"} 1\n# EOF\n"
        let error = parseError(tooLong, .openMetrics)
        #expect(error?.line == 2)
        #expect(error?.column == 11)
        #expect(error?.message.contains("more than 128") == true)
    }

    @Test(arguments: [
        ("", 1, 1, "data does not end with # EOF"),
        ("a 1\n", 2, 1, "data does not end with # EOF"),
        ("a 1", 1, 4, "data does not end with # EOF"),
        ("# EOF\na 1\n", 2, 1, "unexpected data after # EOF"),
        ("# EOF\n\n", 2, 1, "unexpected data after # EOF"),
        ("# EOF\n# EOF\n", 2, 1, "unexpected data after # EOF"),
        ("a  1\n# EOF\n", 1, 3, "expected value"),
        ("a 1 \n# EOF\n", 1, 5, "expected timestamp"),
        ("a 1\r\n# EOF\n", 1, 3, "invalid value"),
        ("\n# EOF\n", 1, 1, "expected metric name"),
        (" a 1\n# EOF\n", 1, 1, "expected metric name"),
        ("# hello\n# EOF\n", 1, 1, "are not allowed"),
        ("#TYPE a gauge\n# EOF\n", 1, 1, "are not allowed"),
        ("# EOFX\n", 1, 1, "are not allowed"),
        ("# TYPE a  gauge\n# EOF\n", 1, 10, "invalid metric type"),
        ("# TYPE a counters\n# EOF\n", 1, 10, "invalid metric type"),
        ("# TYPE a untyped\n# EOF\n", 1, 10, "invalid metric type"),
        ("# HELP a\n# EOF\n", 1, 9, "expected a single space"),
        ("# HELP a say \"hi\"\n# EOF\n", 1, 14, "unescaped '\"'"),
        ("# HELP a bad \\t\n# EOF\n", 1, 14, "invalid escape"),
        ("a 1\n# TYPE a gauge\n# EOF\n", 2, 8, "must come before its samples"),
        ("# TYPE a gauge\n# TYPE a gauge\n# EOF\n", 2, 8, "second TYPE"),
        ("# HELP a x\n# HELP a y\n# EOF\n", 2, 8, "second HELP"),
        ("# UNIT a_s s\n# UNIT a_s s\n# EOF\n", 2, 8, "second UNIT"),
        ("# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n# EOF\n", 5, 1, "more than once"),
        ("# TYPE a gauge\n# TYPE b gauge\n# TYPE a gauge\n# EOF\n", 3, 8, "more than once"),
        ("# TYPE a counter\na 1\n# EOF\n", 2, 1, "expected _total or _created"),
        ("# TYPE a histogram\na 1\n# EOF\n", 2, 1, "not valid for histogram"),
        ("# TYPE a info\na 1\n# EOF\n", 2, 1, "expected _info"),
        ("# TYPE a histogram\na_bucket 1\n# EOF\n", 2, 1, "\"le\""),
        ("# TYPE a summary\na 1\n# EOF\n", 2, 1, "\"quantile\""),
        ("# TYPE a gauge\na 1 # {x=\"y\"} 1\n# EOF\n", 2, 5, "exemplars are only allowed"),
        ("# TYPE a histogram\na_count 1 # {x=\"y\"} 1\n# EOF\n", 2, 11, "exemplars are only allowed"),
        ("# TYPE a counter\na_total 1 # {x=\"y\"}\n# EOF\n", 2, 20, "expected a single space"),
        ("# TYPE a counter\na_total 1 #{x=\"y\"} 1\n# EOF\n", 2, 12, "expected a single space"),
        ("# TYPE a counter\na_total 1 # {x=\"y\"} 1 2 3\n# EOF\n", 2, 24, "unexpected data after sample"),
        ("# TYPE a_seconds gauge\n# UNIT a_seconds bytes\n# EOF\n", 2, 18, "not a suffix"),
        ("# UNIT aseconds seconds\n# EOF\n", 1, 17, "not a suffix"),
        ("# UNIT a_s s-x\n# EOF\n", 1, 13, "invalid character in unit"),
        ("a{x=\"y\",} 1\n# EOF\n", 1, 9, "expected label name"),
        ("a{x = \"y\"} 1\n# EOF\n", 1, 4, "expected '='"),
        ("a{x=\"y\" } 1\n# EOF\n", 1, 8, "expected ',' or '}'"),
        ("a{x=\"\\t\"} 1\n# EOF\n", 1, 6, "invalid escape"),
        ("a{x=\"1\",x=\"2\"} 1\n# EOF\n", 1, 9, "duplicate label name"),
        ("a 1 NaN\n# EOF\n", 1, 5, "invalid timestamp"),
        ("a 1 2 3\n# EOF\n", 1, 7, "unexpected data after timestamp"),
        ("a 0x1\n# EOF\n", 1, 3, "invalid value"),
        ("a +NaN\n# EOF\n", 1, 3, "invalid value"),
    ] as [(String, Int, Int, String)])
    func rejects(input: String, line: Int, column: Int, message: String) {
        let error = parseError(input, .openMetrics)
        #expect(error?.line == line, "\(input.debugDescription): \(String(describing: error))")
        #expect(error?.column == column, "\(input.debugDescription): \(String(describing: error))")
        #expect(error?.message.contains(message) == true, "\(input.debugDescription): \(String(describing: error))")
    }

    @Test func acceptsNewFamiliesWithSuffixLikeNames() throws {
        // After counter "a", "a_foo" is a separate (unknown) family, which is allowed.
        let entries = try parse("# TYPE a counter\na_total 1\na_foo 2\n# EOF\n", .openMetrics)
        #expect(entries.count == 3)
    }

    @Test func nodeExporterPayloadParses() throws {
        let payload = nodeExporterPayload(series: 2000, format: .openMetrics)
        let entries = try parse(payload, .openMetrics)
        #expect(entries.filter { if case .series = $0 { true } else { false } }.count >= 2000)
        #expect(entries.contains(.type("node_cpu_seconds", .counter)))
    }
}
