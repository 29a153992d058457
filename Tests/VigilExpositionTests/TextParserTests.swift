import Testing
import VigilTestSupport
import VigilExposition
import VigilModel

@Suite("Text format 0.0.4 parser")
struct TextParserTests {
    @Test func parsesAFullExposition() throws {
        let input = """
        # HELP http_requests_total The total number of HTTP requests.
        # TYPE http_requests_total counter
        http_requests_total{method="post",code="200"} 1027 1395066363000
        http_requests_total{method="post",code="400"}    3 1395066363000

        # A free comment
        msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9
        metric_without_timestamp_and_labels 12.47
        something_weird{problem="division by zero"} +Inf -3982045
        # TYPE rpc_duration_seconds summary
        rpc_duration_seconds{quantile="0.01"} 3102
        rpc_duration_seconds_sum 1.7560473e+07
        rpc_duration_seconds_count 2693

        """
        let entries = try parse(input, .text)
        #expect(entries == [
            .help("http_requests_total", "The total number of HTTP requests."),
            .type("http_requests_total", .counter),
            .series(raw: "http_requests_total{method=\"post\",code=\"200\"}",
                    labels: ["__name__": "http_requests_total", "method": "post", "code": "200"],
                    value: 1027, timestamp: 1_395_066_363_000, exemplar: nil),
            .series(raw: "http_requests_total{method=\"post\",code=\"400\"}",
                    labels: ["__name__": "http_requests_total", "method": "post", "code": "400"],
                    value: 3, timestamp: 1_395_066_363_000, exemplar: nil),
            .comment(" A free comment"),
            .series(raw: #"msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",error="Cannot find file:\n\"FILE.TXT\""}"#,
                    labels: ["__name__": "msdos_file_access_time_seconds", "path": #"C:\DIR\FILE.TXT"#,
                             "error": "Cannot find file:\n\"FILE.TXT\""],
                    value: 1.458255915e9, timestamp: nil, exemplar: nil),
            .series(raw: "metric_without_timestamp_and_labels", labels: ["__name__": "metric_without_timestamp_and_labels"],
                    value: 12.47, timestamp: nil, exemplar: nil),
            .series(raw: "something_weird{problem=\"division by zero\"}",
                    labels: ["__name__": "something_weird", "problem": "division by zero"],
                    value: .infinity, timestamp: -3_982_045, exemplar: nil),
            .type("rpc_duration_seconds", .summary),
            .series(raw: "rpc_duration_seconds{quantile=\"0.01\"}", labels: ["__name__": "rpc_duration_seconds", "quantile": "0.01"],
                    value: 3102, timestamp: nil, exemplar: nil),
            .series(raw: "rpc_duration_seconds_sum", labels: ["__name__": "rpc_duration_seconds_sum"],
                    value: 1.7560473e7, timestamp: nil, exemplar: nil),
            .series(raw: "rpc_duration_seconds_count", labels: ["__name__": "rpc_duration_seconds_count"],
                    value: 2693, timestamp: nil, exemplar: nil),
        ])
    }

    @Test func acceptsPrometheusLeniencies() throws {
        let input = "  \tfoo {a = \"b\" , c=\"d\",} 1\t 2 \t\nbar{} 2\n\n\n#nospace comment\n# HELP\n#\n"
        let entries = try parse(input, .text)
        #expect(entries == [
            .series(raw: "foo {a = \"b\" , c=\"d\",}", labels: ["__name__": "foo", "a": "b", "c": "d"], value: 1, timestamp: 2, exemplar: nil),
            .series(raw: "bar{}", labels: ["__name__": "bar"], value: 2, timestamp: nil, exemplar: nil),
            .comment("nospace comment"),
            .comment(" HELP"),
            .comment(""),
        ])
    }

    @Test func keepsUnknownEscapesAsPrometheusDoes() throws {
        // Prometheus unescapes only \\, \n (and \" in label values); anything else stays as written.
        let entries = try parse("# HELP a say \\\"hi\\\" \\q\nb{l=\"x\\qy\\\"z\"} 1\n", .text)
        #expect(entries == [
            .help("a", "say \\\"hi\\\" \\q"),
            .series(raw: "b{l=\"x\\qy\\\"z\"}", labels: ["__name__": "b", "l": "x\\qy\"z"], value: 1, timestamp: nil, exemplar: nil),
        ])
    }

    @Test func helpEscapesAndEmptyHelp() throws {
        let entries = try parse("# HELP a Line one\\nback\\\\slash \"quoted\" ünï\n# HELP b\n# TYPE  a \t gauge  \n", .text)
        #expect(entries == [.help("a", "Line one\nback\\slash \"quoted\" ünï"), .help("b", ""), .type("a", .gauge)])
    }

    @Test(arguments: [
        ("1", 1.0), ("-1", -1), ("+1.5", 1.5), (".5", 0.5), ("5.", 5), ("1e3", 1000), ("1E-3", 0.001), ("007", 7),
        ("Inf", .infinity), ("+inf", .infinity), ("-Infinity", -.infinity), ("INFINITY", .infinity),
        ("1.7976931348623157e308", 1.7976931348623157e308), ("4.9e-324", 4.9e-324), ("1e-400", 0),
        ("0.30000000000000004", 0.30000000000000004), ("123456789012345678901234567890", 1.2345678901234568e29),
        ("-0", -0.0), ("9007199254740993", 9007199254740992),
    ] as [(String, Double)])
    func parsesGoFloatSpellings(text: String, expected: Double) throws {
        let entries = try parse("m \(text)\n", .text)
        guard case .series(_, _, let value, _, _) = entries.first else {
            Issue.record("no series")
            return
        }
        #expect(value.bitPattern == expected.bitPattern, "\(text) parsed as \(value)")
    }

    @Test func parsesNaN() throws {
        for text in ["NaN", "nan", "NAN"] {
            guard case .series(_, _, let value, _, _) = try parse("m \(text)\n", .text).first else {
                Issue.record("no series")
                continue
            }
            #expect(value.isNaN)
        }
    }

    @Test(arguments: [
        // (input, line, column, message fragment)
        ("foo 1", 1, 6, "must end with a newline"),
        ("foo", 1, 4, "must end with a newline"),
        ("# HELP foo a\n# HELP foo b\n", 2, 8, "second HELP"),
        ("# TYPE foo gauge\n# TYPE foo gauge\n", 2, 8, "second TYPE"),
        ("foo 1\n# TYPE foo gauge\n", 2, 8, "after its samples"),
        ("foo_bucket{le=\"1\"} 1\n# TYPE foo histogram\n", 2, 8, "after its samples"),
        ("foo_count 1\n# TYPE foo summary\n", 2, 8, "after its samples"),
        ("# TYPE foo bar\n", 1, 12, "invalid metric type"),
        ("# TYPE foo unknown\n", 1, 12, "invalid metric type"),
        ("# TYPE foo gauge extra\n", 1, 18, "unexpected data after metric type"),
        ("# TYPE 1foo gauge\n", 1, 8, "expected metric name"),
        ("foo 1x\n", 1, 5, "invalid value"),
        ("foo 0x10\n", 1, 5, "invalid value"),
        ("foo 0x1p-2\n", 1, 5, "invalid value"),
        ("foo 1_000\n", 1, 5, "invalid value"),
        ("foo +nan\n", 1, 5, "invalid value"),
        ("foo 1e400\n", 1, 5, "invalid value"),
        ("foo 1e\n", 1, 5, "invalid value"),
        ("foo .\n", 1, 5, "invalid value"),
        ("foo \n", 1, 5, "expected value"),
        ("foo 1\r\n", 1, 5, "invalid value"),
        ("foo 1 123 x\n", 1, 11, "unexpected data after timestamp"),
        ("foo 1 12.5\n", 1, 7, "invalid timestamp"),
        ("foo 1 99999999999999999999\n", 1, 7, "invalid timestamp"),
        ("foo{1a=\"b\"} 1\n", 1, 5, "expected label name"),
        ("foo{a \"b\"} 1\n", 1, 7, "expected '='"),
        ("foo{a=b} 1\n", 1, 7, "expected '\"'"),
        ("foo{a=\"1\",a=\"2\"} 1\n", 1, 11, "duplicate label name"),
        ("foo{__name__=\"x\"} 1\n", 1, 5, "__name__"),
        ("foo{a=\"b\nc\"} 1\n", 1, 9, "newline in label value"),
        ("foo{a=\"b\"c=\"d\"} 1\n", 1, 10, "expected ',' or '}'"),
        ("foo{a=\"b\"}x 1\n", 1, 11, "invalid value"),
        ("1foo 1\n", 1, 1, "expected metric name"),
        ("ok 1\n\nok 2\n  {a=\"b\"} 3\n", 4, 3, "expected metric name"),
        ("foo{a=\"unterminated} 1\n", 1, 23, "newline in label value"),
    ] as [(String, Int, Int, String)])
    func rejects(input: String, line: Int, column: Int, message: String) {
        let error = parseError(input, .text)
        #expect(error?.line == line, "\(input.debugDescription): \(String(describing: error))")
        #expect(error?.column == column, "\(input.debugDescription): \(String(describing: error))")
        #expect(error?.message.contains(message) == true, "\(input.debugDescription): \(String(describing: error))")
    }

    @Test func rejectsInvalidUTF8() {
        var bytes = Array("foo{a=\"ok".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\"} 1\n".utf8)
        let error = parseError(bytes, .text)
        #expect(error?.column == 10)
        #expect(error?.message.contains("UTF-8") == true)
        #expect(error?.description == "line 1, column 10: invalid UTF-8 in label value")
    }

    @Test func emptyInputHasNoEntries() throws {
        #expect(try parse("", .text).isEmpty)
        #expect(try parse("\n\n", .text).isEmpty)
    }

    @Test func nodeExporterPayloadParses() throws {
        let payload = nodeExporterPayload(series: 2000)
        let entries = try parse(payload, .text)
        let series = entries.filter { if case .series = $0 { true } else { false } }
        #expect(series.count >= 2000)
        #expect(entries.contains(.type("node_cpu_seconds_total", .counter)))
        #expect(entries.contains(.help("node_textfile_untyped", "An untyped metric with an escaped \\ help and \n newline.")))
    }

    @Test func goExpfmtRulesRejectWhatGoRejects() throws {
        func firstError(_ text: String, strict: Bool) -> ExpositionError? {
            Array(text.utf8).withUnsafeBytes { buffer -> ExpositionError? in
                var parser = TextParser(bytes: buffer, goExpfmt: strict)
                do throws(ExpositionError) {
                    while try parser.next() != nil {}
                    return nil
                } catch {
                    return error
                }
            }
        }
        for text in ["x{a=\"\\q\"} 1\n", "# HELP x a\\qb\nx 1\n", "# HELP x say \\\"hi\\\"\nx 1\n"] {
            #expect(firstError(text, strict: false) == nil, "\(text.debugDescription)")
            #expect(firstError(text, strict: true)?.message.contains("invalid escape sequence") == true, "\(text.debugDescription)")
        }
        #expect(firstError("x{a=\"\\\\ \\\" \\n\"} 1\n# HELP x a \\\\ b \\n\n", strict: true) == nil)
    }

    @Test func goExpfmtReadsHashTypeWithoutABlank() throws {
        func entries(_ text: String, goExpfmt: Bool) throws -> [ExpositionEntry] {
            try Array(text.utf8).withUnsafeBytes { buffer in
                var parser = TextParser(bytes: buffer, goExpfmt: goExpfmt)
                var result: [ExpositionEntry] = []
                while let entry = try parser.next() { result.append(entry) }
                return result
            }
        }
        #expect(try entries("#TYPE x counter\n#HELP x h\nx 1\n", goExpfmt: false) == [.comment, .comment, .series])
        #expect(try entries("#TYPE x counter\n#HELP x h\nx 1\n", goExpfmt: true) == [.type, .help, .series])
        #expect(try entries("#TYPEx y\n", goExpfmt: true) == [.comment])
        #expect(try entries("x 1\n \t", goExpfmt: true) == [.series])
        #expect(try entries("# TYPE x\n# HELP x \t\n# HELP  \n# HELP x h\nx 1\n", goExpfmt: true) == [.comment, .comment, .comment, .help, .series])
        #expect(throws: ExpositionError.self) { try entries("# TYPE x\n", goExpfmt: false) }
        #expect(throws: ExpositionError.self) { try entries("# HELP 1x\n", goExpfmt: true) }
        #expect(try entries("# TYPE x Coun\\ter\nx 1\n", goExpfmt: true) == [.type, .series])
        #expect(throws: ExpositionError.self) { try entries("# TYPE x counter \n", goExpfmt: true) }
        #expect(try entries("# TYPE x counter \n", goExpfmt: false) == [.type])
        for line in ["x 1 \n", "x 1 123\t\n"] {
            #expect(throws: ExpositionError.self) { try entries(line, goExpfmt: true) }
            #expect(try entries(line, goExpfmt: false) == [.series])
        }
        #expect(throws: ExpositionError.self) { try entries("x 1\n \t", goExpfmt: false) }
    }

    @Test func labelPairsKeepOrderAndEmptyValues() throws {
        let pairs: [Label]? = Array("x{b=\"2\",a=\"\",c=\"q\\\"\"} 1\n".utf8).withUnsafeBytes { buffer in
            var parser = TextParser(bytes: buffer)
            guard (try? parser.next()) == .series else { return nil }
            return parser.labelPairs()
        }
        #expect(pairs == [Label(name: "b", value: "2"), Label(name: "a", value: ""), Label(name: "c", value: "q\"")])
    }
}
